import type { Employee, EmployeeStatus } from './model.js'

/** One formatter per time zone: building one costs far more than formatting with it, and every plan asks. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** R20: the calendar date (YYYY-MM-DD) that `now` falls on in the company's time zone. */
export function todayIn(timeZone: string, now: Date): string {
  let format = dayFormats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(now)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

/**
 * R20: the status that holds on `today`. A termination takes effect at the end of its date, so a
 * person terminated on a date still to come (or today) is still employed.
 */
export function statusOn(
  person: Pick<Employee, 'status' | 'terminationDate'>,
  today: string,
): EmployeeStatus {
  const { status, terminationDate } = person
  if (terminationDate === null) return status
  if (terminationDate < today) return 'terminated'
  return status === 'terminated' ? 'active' : status
}

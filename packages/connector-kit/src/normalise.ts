import { ConnectorError, type EmployeeStatus, type SkippedPerson, statusTable, todayIn } from '@hrsync/core'

/** Day-first and month-first formats some vendors use; ISO dates need no format. */
export type DateFormat = 'DD/MM/YYYY' | 'DD-MM-YYYY' | 'DD.MM.YYYY' | 'MM/DD/YYYY'

const pad = (n: number) => String(n).padStart(2, '0')

function checkedDate(year: number, month: number, day: number, original: string): string {
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ConnectorError('malformed_response', `"${original}" is not a calendar date`)
  }
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`
}

/**
 * Calendar days already checked, each kept as one string: a company's dates repeat (hire dates, month
 * ends), and the people of a pull then share their date strings instead of holding a copy each. Bounded.
 */
const checkedDays = new Map<string, string>()

/** `date` is YYYY-MM-DD, cut from the start of `original`. */
function isoDay(date: string, original: string): string {
  const known = checkedDays.get(date)
  if (known !== undefined) return known
  checkedDate(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)), original)
  if (checkedDays.size >= 20_000) checkedDays.clear()
  checkedDays.set(date, date)
  return date
}

/** A calendar date, alone, with a time, or with a zone offset and no time (Workday: 2022-01-10-08:00). */
const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?:$|[T ]|Z$|[+-]\d{2}:?\d{2}$)/

/**
 * A vendor date as YYYY-MM-DD, or null when empty. ISO dates and datetimes keep their own calendar day
 * (`2019-01-07T00:00:00+01:00` → 2019-01-07, never shifted to UTC); OData `/Date(ms)/` is read in UTC.
 */
export function toIsoDate(value: unknown, format?: DateFormat): string | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'string')
    throw new ConnectorError('malformed_response', `expected a date, got ${typeof value}`)
  const text = value.trim()
  if (text === '' || text.startsWith('0000-00-00')) return null
  if (ISO_DAY.test(text)) return isoDay(text.length === 10 ? text : text.slice(0, 10), text)
  const odata = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(text)
  if (odata) return new Date(Number(odata[1])).toISOString().slice(0, 10)
  if (format) {
    const parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text)
    const separator = format.charAt(2)
    if (parts && text.includes(separator)) {
      const [first, second, year] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
      return format === 'MM/DD/YYYY'
        ? checkedDate(year, first, second, text)
        : checkedDate(year, second, first, text)
    }
  }
  throw new ConnectorError(
    'malformed_response',
    `"${text}" is not a date in a known format${format ? ` (expected ${format})` : ''}`,
  )
}

/** Trims a string; empty or missing → null. Numbers become strings. */
export function cleanString(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return null
  const text = value.trim()
  return text === '' ? null : text
}

/**
 * A work email read from a vendor field of any type: trimmed, empty or not a string → null. The case is
 * the vendor's; core's normaliseEmail lower-cases it where emails are compared (R1).
 */
export function emailFrom(value: unknown): string | null {
  return cleanString(typeof value === 'number' ? null : value)
}

/** A vendor id as a string (numbers and bigints stringified); missing → null. */
export function idString(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim()
  return null
}

/**
 * Looks a vendor status up in the connector's total table (exactly, then trimmed and case-insensitively).
 * An unknown value is reported as a skipped person, never silently defaulted.
 */
export function mapStatus<V extends string>(
  table: Readonly<Record<V, EmployeeStatus>>,
  vendorValue: unknown,
  person: { remoteId: string; email?: string | null },
): { status: EmployeeStatus } | { skipped: SkippedPerson } {
  if (typeof vendorValue === 'string' && Object.hasOwn(table, vendorValue)) {
    return { status: table[vendorValue as V] }
  }
  const entries = Object.entries(table) as Array<[string, EmployeeStatus]>
  if (typeof vendorValue === 'string') {
    const loose = entries.find(([key]) => key.toLowerCase() === vendorValue.trim().toLowerCase())
    if (loose) return { status: loose[1] }
  }
  const shown =
    vendorValue === undefined || vendorValue === null ? 'no status' : `status "${String(vendorValue)}"`
  return {
    skipped: {
      remoteId: person.remoteId,
      email: person.email ?? null,
      reason: 'unmapped_status',
      message: `${shown} is not one of the documented values (${entries.map(([key]) => key).join(', ')})`,
    },
  }
}

/**
 * For vendors whose records carry no status, only employment dates: the three states those dates can
 * describe. Leave cannot be told from dates, so it is never reported.
 */
export const EMPLOYMENT_DATE_STATUS = statusTable({
  notStarted: 'pending',
  employed: 'active',
  left: 'terminated',
})
export type EmploymentState = keyof typeof EMPLOYMENT_DATE_STATUS

/** Where a person stands by their dates; the last day itself is still a working day (R20). */
export function employmentState(
  startDate: string | null,
  endDate: string | null,
  now: Date,
  timeZone = 'UTC',
): EmploymentState {
  const today = todayIn(timeZone, now)
  if (endDate !== null && endDate < today) return 'left'
  if (startDate !== null && startDate > today) return 'notStarted'
  return 'employed'
}

/** The employment dates of a record without a status, and the status they describe. */
export interface DatedEmployment {
  startDate: string | null
  terminationDate: string | null
  status: EmployeeStatus
}

/**
 * Reads a record's start and end dates (toIsoDate: an unreadable one throws, and mapRecords skips the
 * person) and derives the status from them, for vendors whose records carry dates and no status:
 * `employee({ remoteId, …, ...datedEmployment(record.StartDate, record.LeaveDate, now) })`.
 */
export function datedEmployment(start: unknown, end: unknown, now: Date, timeZone = 'UTC'): DatedEmployment {
  const startDate = toIsoDate(start)
  const terminationDate = toIsoDate(end)
  const state = employmentState(startDate, terminationDate, now, timeZone)
  return { startDate, terminationDate, status: EMPLOYMENT_DATE_STATUS[state] }
}

/** A termination date before today means terminated, whatever the vendor's status says (R20). */
export function terminatedIfPast(
  status: EmployeeStatus,
  terminationDate: string | null,
  now: Date,
  timeZone = 'UTC',
): EmployeeStatus {
  return terminationDate !== null && terminationDate < todayIn(timeZone, now) ? 'terminated' : status
}

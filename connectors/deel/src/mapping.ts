import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, type EmployeeStatus, employee, statusTable } from '@hrsync/core'

/**
 * `hiring_status` of a person. `active`, `inactive` and `onboarding` are the values of Deel's
 * `HiringStatusEnum`; `offboarding` is in the `hiring_statuses` filter of `GET /people` (OpenAPI 1.25.0,
 * letsdeel/deel-api-java-sdk `api/openapi.yaml`); `onboarded` is a filter value of the current reference
 * (https://developer.deel.com/api/reference/endpoints/people/get-people).
 */
export const STATUS = statusTable({
  active: 'active',
  onboarding: 'pending',
  // onboarding is complete; a start date still ahead keeps the person pending (see `mapped`)
  onboarded: 'active',
  // still employed until the last day; the termination date ends it
  offboarding: 'active',
  inactive: 'terminated',
})
export type DeelHiringStatus = keyof typeof STATUS

/** The fields of a `GET /people` item the connector reads. */
export interface DeelPerson {
  id?: string
  first_name?: string | null
  last_name?: string | null
  emails?: Array<{ type?: string | null; value?: string | null }> | null
  hiring_status?: string | null
  job_title?: string | null
  department?: { id?: string; name?: string | null } | null
  direct_manager?: { id?: string | null; work_email?: string | null } | null
  start_date?: string | null
  direct_employee_termination_last_day?: string | null
}

/** The `work` entry of `emails`; the primary and personal addresses are never used. */
export function workEmail(emails: DeelPerson['emails']): string | null {
  for (const entry of emails ?? []) {
    if (entry?.type === 'work') {
      const value = emailFrom(entry.value)
      if (value !== null) return value
    }
  }
  return null
}

/** Without a hiring status, or once onboarding is complete, the start date decides. */
function statusFromDates(startDate: string | null, now: Date): EmployeeStatus {
  return startDate !== null && startDate > todayIn('UTC', now) ? 'pending' : 'active'
}

/** What a person is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: DeelPerson): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(person.id), email: workEmail(person.emails) }
}

/**
 * One Deel person as a canonical Employee. A person without an id or with an undocumented hiring status
 * is refused with skipPerson, a malformed date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(person: DeelPerson, now: Date): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a Deel person without an id', { email })
  const startDate = toIsoDate(person.start_date)
  const terminationDate = toIsoDate(person.direct_employee_termination_last_day)
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.first_name),
    lastName: cleanString(person.last_name),
    status: terminatedIfPast(hiringStatus(person, startDate, { remoteId, email }, now), terminationDate, now),
    managerRemoteId: idString(person.direct_manager?.id),
    department: cleanString(person.department?.name),
    jobTitle: cleanString(person.job_title),
    startDate,
    terminationDate,
  })
}

/** The status the hiring status gives; without one, or once onboarded, the start date decides. */
function hiringStatus(
  person: DeelPerson,
  startDate: string | null,
  known: { remoteId: string; email: string | null },
  now: Date,
): EmployeeStatus {
  if (person.hiring_status === null || person.hiring_status === undefined)
    return statusFromDates(startDate, now)
  const mapped = mapStatus(STATUS, person.hiring_status, known)
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  return person.hiring_status === 'onboarded' ? statusFromDates(startDate, now) : mapped.status
}

import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, type EmployeeStatus, employee, type SkippedPerson, statusTable } from '@hrsync/core'

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

/** One Deel person as a canonical Employee, or the reason it is skipped. */
export function toEmployee(person: DeelPerson, now: Date): Employee | SkippedPerson {
  const remoteId = idString(person.id)
  const email = workEmail(person.emails)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'a Deel person without an id' }
  }
  try {
    return mapped(person, remoteId, email, now)
  } catch (error) {
    // a malformed date skips this person only
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

function mapped(
  person: DeelPerson,
  remoteId: string,
  email: string | null,
  now: Date,
): Employee | SkippedPerson {
  const startDate = toIsoDate(person.start_date)
  const terminationDate = toIsoDate(person.direct_employee_termination_last_day)
  let status: EmployeeStatus
  if (person.hiring_status === null || person.hiring_status === undefined) {
    status = statusFromDates(startDate, now)
  } else {
    const mapped = mapStatus(STATUS, person.hiring_status, { remoteId, email })
    if ('skipped' in mapped) return mapped.skipped
    status = person.hiring_status === 'onboarded' ? statusFromDates(startDate, now) : mapped.status
  }
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.first_name),
    lastName: cleanString(person.last_name),
    status: terminatedIfPast(status, terminationDate, now),
    managerRemoteId: idString(person.direct_manager?.id),
    department: cleanString(person.department?.name),
    jobTitle: cleanString(person.job_title),
    startDate,
    terminationDate,
  })
}

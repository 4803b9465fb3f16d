import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import type { EmployeeRecord } from './vendor.js'

/** The four documented values of `status` (https://developer.personio.de/reference/get_company-employees). */
export const PERSONIO_STATUS = statusTable({
  active: 'active',
  leave: 'leave',
  onboarding: 'pending',
  inactive: 'terminated',
})

/** The attributes a credential must be allowed to read for a useful sync. */
export const REQUIRED_ATTRIBUTES = ['email', 'status', 'supervisor'] as const

/** What a record is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: EmployeeRecord): { remoteId: string | null; email: string | null } {
  const a = record.attributes ?? {}
  return { remoteId: idString(a.id?.value), email: emailFrom(a.email?.value) }
}

/**
 * One Personio employee record as a canonical Employee. A record without an id or with an undocumented
 * status is refused with skipPerson, and an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(record: EmployeeRecord, now: Date): Employee {
  const a = record.attributes ?? {}
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('an employee record without an id', { email })
  const mapped = mapStatus(PERSONIO_STATUS, a.status?.value, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  // dates carry a local offset (2019-01-07T00:00:00+01:00): the kit keeps the calendar day
  const terminationDate = toIsoDate(a.termination_date?.value)
  return employee({
    remoteId,
    email,
    firstName: cleanString(a.first_name?.value),
    lastName: cleanString(a.last_name?.value),
    status: terminatedIfPast(mapped.status, terminationDate, now),
    managerRemoteId: idString(a.supervisor?.value?.attributes?.id?.value),
    department: cleanString(a.department?.value?.attributes?.name),
    jobTitle: cleanString(a.position?.value),
    startDate: toIsoDate(a.hire_date?.value),
    terminationDate,
  })
}

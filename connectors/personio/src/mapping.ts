import {
  cleanString,
  idString,
  mapStatus,
  normaliseEmail,
  terminatedIfPast,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'
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

/** One Personio employee record as a canonical Employee, or the reason it cannot be one. */
export function toEmployee(record: EmployeeRecord, now: Date): Employee | SkippedPerson {
  const a = record.attributes ?? {}
  const remoteId = idString(a.id?.value)
  const email = normaliseEmail(a.email?.value)
  if (remoteId === null) {
    return {
      remoteId: '(none)',
      email,
      reason: 'invalid_record',
      message: 'an employee record without an id',
    }
  }
  try {
    const mapped = mapStatus(PERSONIO_STATUS, a.status?.value, { remoteId, email })
    if ('skipped' in mapped) return mapped.skipped
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
  } catch (error) {
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

export function isSkipped(value: Employee | SkippedPerson): value is SkippedPerson {
  return 'reason' in value
}

import { cleanString, emailFrom, idString, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'
import type { EmployeeRecord } from './vendor.js'

/**
 * The employee record has an `active` flag and hire and end dates, and no status; these are the states they
 * describe, the dates first (`active` is false for future starters too). Leave lives under /v1/leave.
 */
export const STATUS = statusTable({
  ended: 'terminated',
  notStarted: 'pending',
  inactive: 'terminated',
  active: 'active',
})
export type EmployeeState = keyof typeof STATUS

/** The fields read from /v1/employee, in the order of the `select` parameter. */
export const EMPLOYEE_FIELDS = [
  'id',
  'firstName',
  'lastName',
  'workEmail',
  'active',
  'hireDate',
  'endDate',
  'title',
  'managerEmployeeId',
  'departmentId',
] as const satisfies ReadonlyArray<keyof EmployeeRecord>

/** Where the person stands; an end date today still counts as employed (it ends with the day). */
export function employeeState(
  record: Pick<EmployeeRecord, 'active'>,
  startDate: string | null,
  endDate: string | null,
  now: Date,
): EmployeeState {
  const today = todayIn('UTC', now)
  if (endDate !== null && endDate < today) return 'ended'
  if (startDate !== null && startDate > today) return 'notStarted'
  if (record.active === false) return 'inactive'
  return 'active'
}

/** One employee record as a canonical Employee, or the reason it cannot be one. */
export function toEmployee(
  record: EmployeeRecord,
  departments: ReadonlyMap<string, string>,
  now: Date,
): Employee | SkippedPerson {
  const remoteId = idString(record.id)
  // `privateEmail` is never read: the canonical email is the work email
  const email = emailFrom(record.workEmail)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'an employee without an id' }
  }
  try {
    const startDate = toIsoDate(record.hireDate)
    const terminationDate = toIsoDate(record.endDate)
    const departmentId = idString(record.departmentId)
    return employee({
      remoteId,
      email,
      firstName: cleanString(record.firstName),
      lastName: cleanString(record.lastName),
      status: STATUS[employeeState(record, startDate, terminationDate, now)],
      managerRemoteId: idString(record.managerEmployeeId),
      department: departmentId === null ? null : (departments.get(departmentId) ?? null),
      jobTitle: cleanString(record.title),
      startDate,
      terminationDate,
    })
  } catch (error) {
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

export function isSkipped(value: Employee | SkippedPerson): value is SkippedPerson {
  return 'reason' in value
}

import {
  cleanString,
  type EmploymentState,
  emailFrom,
  employmentState,
  idString,
  skipPerson,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
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

/** The state each date-derived state is called here, before the `active` flag is read. */
const BY_DATES: Readonly<Record<EmploymentState, EmployeeState>> = {
  left: 'ended',
  notStarted: 'notStarted',
  employed: 'active',
}

/**
 * Where the person stands: the dates first (the kit's rule, an end date today still counts as employed),
 * then the `active` flag of someone the dates call employed.
 */
export function employeeState(
  record: Pick<EmployeeRecord, 'active'>,
  startDate: string | null,
  endDate: string | null,
  now: Date,
): EmployeeState {
  const byDates = BY_DATES[employmentState(startDate, endDate, now)]
  return byDates === 'active' && record.active === false ? 'inactive' : byDates
}

/** What a record is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: EmployeeRecord): { remoteId: string | null; email: string | null } {
  // `privateEmail` is never read: the canonical email is the work email
  return { remoteId: idString(record.id), email: emailFrom(record.workEmail) }
}

/**
 * One employee record as a canonical Employee. A record without an id is refused with skipPerson, an
 * unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(
  record: EmployeeRecord,
  departments: ReadonlyMap<string, string>,
  now: Date,
): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('an employee without an id', { email })
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
}

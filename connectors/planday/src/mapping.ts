import {
  cleanString,
  emailFrom,
  idString,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import type { PlandayEmployee } from './vendor.js'

/**
 * Planday has no status field: the list a person comes from decides. `GET /hr/v1.0/employees` holds the
 * active employees, `GET /hr/v1.0/employees/deactivated` the former ones, and an active employee whose
 * `hiredFrom` is after today has been hired but has not started.
 */
export const STATUS = statusTable({
  active: 'active',
  hiredNotStarted: 'pending',
  deactivated: 'terminated',
})
export type PlandayState = keyof typeof STATUS

/** Which of Planday's two employee lists a record came from. */
export type EmployeeList = 'active' | 'deactivated'

/** The lookups that turn Planday's ids into names and manager references. */
export interface Lookups {
  /** department id → name */
  departments: ReadonlyMap<number, string>
  /** supervisor record id → the supervisor's employee id */
  supervisors: ReadonlyMap<number, number>
}

function stateOf(list: EmployeeList, startDate: string | null, now: Date): PlandayState {
  if (list === 'deactivated') return 'deactivated'
  return startDate !== null && startDate > todayIn('UTC', now) ? 'hiredNotStarted' : 'active'
}

/**
 * The day a deactivated employee's account was closed. `dateTimeDeleted` keeps the last deactivation even
 * after a reactivation, so it only dates someone who is on the deactivated list now.
 */
function deactivatedOn(person: PlandayEmployee, list: EmployeeList): string | null | undefined {
  // a date-time: toIsoDate takes its calendar day, and refuses a value that is not a string
  return list === 'deactivated' ? person.dateTimeDeleted : undefined
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: PlandayEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(person.id), email: emailFrom(person.email) }
}

/**
 * One Planday employee as a canonical Employee. An employee without an id is refused with skipPerson,
 * an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(
  person: PlandayEmployee,
  list: EmployeeList,
  lookups: Lookups,
  now: Date,
): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a Planday employee without an id', { email })
  // public clients name these fields two ways (hiredFrom / hiredDate, deactivationDate / dateTimeDeleted)
  const startDate = toIsoDate(person.hiredFrom ?? person.hiredDate)
  const terminationDate = toIsoDate(person.deactivationDate ?? deactivatedOn(person, list))
  // supervisorId names a supervisor record, not an employee: the supervisors list maps one to the other
  const manager =
    person.supervisorEmployeeId ??
    (person.supervisorId == null ? undefined : lookups.supervisors.get(person.supervisorId))
  const departmentId = person.primaryDepartmentId ?? person.departments?.[0]
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.firstName),
    lastName: cleanString(person.lastName),
    status: terminatedIfPast(STATUS[stateOf(list, startDate, now)], terminationDate, now),
    managerRemoteId: idString(manager),
    department: departmentId == null ? null : (lookups.departments.get(departmentId) ?? null),
    jobTitle: cleanString(person.jobTitle),
    startDate,
    terminationDate,
  })
}

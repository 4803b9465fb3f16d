import {
  cleanString,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  type EmploymentState,
  emailFrom,
  idString,
  skipPerson,
} from '@hrsync/connector-kit'
import { type Employee, employee } from '@hrsync/core'

/** Most People HR fields are `{ DisplayValue, FieldHistory }`; a few are plain strings. */
export type Field = { DisplayValue?: string | null } | string | null | undefined

/** One item of GetAllEmployeeDetail's `Result` (the fields the connector reads). */
export interface PeopleHrEmployee {
  EmployeeId?: Field
  FirstName?: Field
  LastName?: Field
  EmailId?: Field
  StartDate?: Field
  JobRole?: Field
  Department?: Field
  ReportsToEmployeeId?: Field
  LeavingDate?: Field
}

/** The value of a field, wrapped or not; `""` → null. */
export function dv(field: Field): string | null {
  const value = typeof field === 'object' && field !== null ? field.DisplayValue : field
  return cleanString(value)
}

/**
 * People HR's list has no status; EmployeeStatus ("1") has no published meaning. The dates decide: not
 * started (StartDate after today), employed (including someone serving notice, LeavingDate after today)
 * or left (LeavingDate before today).
 */
export const STATUS = EMPLOYMENT_DATE_STATUS
export type PeopleHrStatus = EmploymentState

/** What a record is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: PeopleHrEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(dv(record.EmployeeId)), email: emailFrom(dv(record.EmailId)) }
}

/**
 * One employee record as a canonical Employee. A record without an EmployeeId is refused with
 * skipPerson, an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(record: PeopleHrEmployee, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('an employee without EmployeeId', { email })
  return employee({
    remoteId,
    email,
    firstName: dv(record.FirstName),
    lastName: dv(record.LastName),
    managerRemoteId: idString(dv(record.ReportsToEmployeeId)),
    department: dv(record.Department),
    jobTitle: dv(record.JobRole),
    // the leaving date is the last day of employment: terminated from the day after (R20)
    ...datedEmployment(dv(record.StartDate), dv(record.LeavingDate), now),
  })
}

import {
  cleanString,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  type EmploymentState,
  emailFrom,
  employmentState,
  idString,
  skipPerson,
} from '@hrsync/connector-kit'
import { type Employee, employee } from '@hrsync/core'

/** One record of the customer's employee interface, with the fields the connector reads. */
export interface SympaEmployee {
  PersonId?: string | number | null
  EmployeeNumber?: string | null
  FirstName?: string | null
  LastName?: string | null
  WorkEmail?: string | null
  /** Edm.DateTimeOffset with the company's local offset, e.g. `2018-08-20T00:00:00+03:00` */
  EmploymentStartDate?: string | null
  EmploymentEndDate?: string | null
  JobTitle?: string | null
  OrganizationUnit?: string | null
  SupervisorPersonId?: string | number | null
}

/** No status value on the record: the employment dates decide (the kit's date-derived states). */
export const STATUS = EMPLOYMENT_DATE_STATUS
export { type EmploymentState, employmentState }

/** What a record is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: SympaEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(record.PersonId), email: emailFrom(record.WorkEmail) }
}

/**
 * One employee record as a canonical Employee. A record without a PersonId is refused with skipPerson,
 * an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(record: SympaEmployee, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('a Sympa employee without a PersonId', { email })
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.FirstName),
    lastName: cleanString(record.LastName),
    managerRemoteId: idString(record.SupervisorPersonId),
    department: cleanString(record.OrganizationUnit),
    jobTitle: cleanString(record.JobTitle),
    // the calendar day as written: converting the local offset to UTC would move midnight to the day before
    ...datedEmployment(record.EmploymentStartDate, record.EmploymentEndDate, now),
  })
}

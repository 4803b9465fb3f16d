import {
  cleanString,
  EMPLOYMENT_DATE_STATUS,
  type EmploymentState,
  emailFrom,
  employmentState,
  idString,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson } from '@hrsync/core'

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

export function toEmployee(record: SympaEmployee, now: Date): Employee | SkippedPerson {
  const remoteId = idString(record.PersonId)
  const email = emailFrom(record.WorkEmail)
  if (remoteId === null) {
    return {
      remoteId: '(none)',
      email,
      reason: 'invalid_record',
      message: 'a Sympa employee without a PersonId',
    }
  }
  try {
    // the calendar day as written: converting the local offset to UTC would move midnight to the day before
    const startDate = toIsoDate(record.EmploymentStartDate)
    const terminationDate = toIsoDate(record.EmploymentEndDate)
    return employee({
      remoteId,
      email,
      firstName: cleanString(record.FirstName),
      lastName: cleanString(record.LastName),
      status: STATUS[employmentState(startDate, terminationDate, now)],
      managerRemoteId: idString(record.SupervisorPersonId),
      department: cleanString(record.OrganizationUnit),
      jobTitle: cleanString(record.JobTitle),
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

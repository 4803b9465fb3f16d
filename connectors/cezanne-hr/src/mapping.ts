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

/** The person fields the connector selects, in `$select` order. */
export const FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'WorkEmail',
  'StartDate',
  'LeaveDate',
  'JobTitle',
  'Department',
  'LineManagerId',
] as const

/** One record of the People entity set as the connector selects it. */
export interface CezannePerson {
  Id?: number | string | null
  FirstName?: string | null
  LastName?: string | null
  WorkEmail?: string | null
  /** OData v3 Edm.DateTime without a zone (`2019-04-01T00:00:00`), or `/Date(ms)/` in verbose JSON */
  StartDate?: string | null
  LeaveDate?: string | null
  JobTitle?: string | null
  Department?: string | null
  LineManagerId?: number | string | null
}

/** No status value on the record: the employment dates decide (the kit's date-derived states). */
export const STATUS = EMPLOYMENT_DATE_STATUS
export { type EmploymentState, employmentState }

/** What a person is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: CezannePerson): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(person.Id), email: emailFrom(person.WorkEmail) }
}

/**
 * One person as a canonical Employee. A person without an Id is refused with skipPerson, an unreadable
 * date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(person: CezannePerson, now: Date): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a Cezanne person without an Id', { email })
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.FirstName),
    lastName: cleanString(person.LastName),
    managerRemoteId: idString(person.LineManagerId),
    department: cleanString(person.Department),
    jobTitle: cleanString(person.JobTitle),
    // zone-less date-times: the first ten characters are the calendar day
    ...datedEmployment(person.StartDate, person.LeaveDate, now),
  })
}

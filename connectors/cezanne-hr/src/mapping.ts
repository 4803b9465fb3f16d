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

export function toEmployee(person: CezannePerson, now: Date): Employee | SkippedPerson {
  const remoteId = idString(person.Id)
  const email = emailFrom(person.WorkEmail)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'a Cezanne person without an Id' }
  }
  try {
    // zone-less date-times: the first ten characters are the calendar day
    const startDate = toIsoDate(person.StartDate)
    const terminationDate = toIsoDate(person.LeaveDate)
    return employee({
      remoteId,
      email,
      firstName: cleanString(person.FirstName),
      lastName: cleanString(person.LastName),
      status: STATUS[employmentState(startDate, terminationDate, now)],
      managerRemoteId: idString(person.LineManagerId),
      department: cleanString(person.Department),
      jobTitle: cleanString(person.JobTitle),
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

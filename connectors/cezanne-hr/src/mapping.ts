import { cleanString, idString, normaliseEmail, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'

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

/**
 * A Cezanne person carries no status value: the employment dates decide. These are the three states the
 * dates can describe; leave lives in Cezanne's absence module, so it is never reported.
 */
export const STATUS = statusTable({
  notStarted: 'pending',
  employed: 'active',
  left: 'terminated',
})
export type EmploymentState = keyof typeof STATUS

/** A leaving date before today means left; the leaving day itself is still a working day. */
export function employmentState(
  startDate: string | null,
  leaveDate: string | null,
  now: Date,
): EmploymentState {
  const today = todayIn(now)
  if (leaveDate !== null && leaveDate < today) return 'left'
  if (startDate !== null && startDate > today) return 'notStarted'
  return 'employed'
}

export function toEmployee(person: CezannePerson, now: Date): Employee | SkippedPerson {
  const remoteId = idString(person.Id)
  const email = normaliseEmail(person.WorkEmail)
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

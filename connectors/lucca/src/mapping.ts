import { cleanString, emailFrom, idString, skipPerson, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'

/**
 * Lucca's v3 users carry no status field: the contract dates decide. These are the three states the
 * dates can describe (https://developers.lucca.fr/api-reference/legacy/directory/list-users).
 */
export const STATUS = statusTable({
  contractNotStarted: 'pending',
  underContract: 'active',
  contractEnded: 'terminated',
})
export type ContractState = keyof typeof STATUS

/** The fields the connector asks for, in the order Lucca's `fields` parameter receives them. */
export const FIELDS = [
  'id',
  'firstName',
  'lastName',
  'mail',
  'jobTitle',
  'dtContractStart',
  'dtContractEnd',
  'employeeNumber',
  'department.id',
  'department.name',
  'manager.id',
] as const

export interface LuccaUser {
  id: number
  firstName?: string | null
  lastName?: string | null
  mail?: string | null
  jobTitle?: string | null
  dtContractStart?: string | null
  dtContractEnd?: string | null
  employeeNumber?: string | null
  department?: { id?: number; name?: string | null } | null
  manager?: { id?: number | null } | null
}

/** Where the person stands given the contract dates; an end date today still counts as under contract. */
export function contractState(startDate: string | null, endDate: string | null, now: Date): ContractState {
  const today = todayIn('UTC', now)
  if (endDate !== null && endDate < today) return 'contractEnded'
  if (startDate !== null && startDate > today) return 'contractNotStarted'
  return 'underContract'
}

/** What a user is known by before it is mapped: a user skipped later is reported under it. */
export function identify(user: LuccaUser): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(user.id), email: emailFrom(user.mail) }
}

/** One Lucca user as a canonical Employee; a user without an id or with an unreadable date is refused. */
export function toEmployee(user: LuccaUser, now: Date): Employee {
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('a Lucca user without an id', { email })
  // local date-times without a zone: the first ten characters are the calendar day
  const startDate = toIsoDate(user.dtContractStart)
  const terminationDate = toIsoDate(user.dtContractEnd)
  return employee({
    remoteId,
    email,
    firstName: cleanString(user.firstName),
    lastName: cleanString(user.lastName),
    status: STATUS[contractState(startDate, terminationDate, now)],
    managerRemoteId: idString(user.manager?.id),
    department: cleanString(user.department?.name),
    jobTitle: cleanString(user.jobTitle),
    startDate,
    terminationDate,
  })
}

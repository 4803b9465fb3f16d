import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import type { GraphUser } from './vendor.js'

/**
 * Graph has no employment status, only `accountEnabled`; the hire and leave dates decide pending and
 * terminated (https://learn.microsoft.com/en-us/graph/api/resources/user).
 */
export const STATUS = statusTable({
  enabled: 'active',
  disabled: 'terminated',
})
export type EntraAccountState = keyof typeof STATUS

function accountState(user: GraphUser): EntraAccountState | undefined {
  if (user.accountEnabled === true) return 'enabled'
  if (user.accountEnabled === false) return 'disabled'
  return undefined
}

/** What a user is known by before it is mapped: a person skipped later is reported under it. */
export function identify(user: GraphUser): { remoteId: string | null; email: string | null } {
  // userPrincipalName is a sign-in name, not a mailbox: only `mail` is the work email
  return { remoteId: idString(user.id), email: emailFrom(user.mail) }
}

/**
 * One Graph user as an Employee. A user without an id or without an accountEnabled flag is refused with
 * skipPerson, an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(user: GraphUser, now: Date): Employee {
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('a Graph user without an id', { email })
  const mapped = mapStatus(STATUS, accountState(user), { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const startDate = toIsoDate(user.employeeHireDate)
  const terminationDate = toIsoDate(user.employeeLeaveDateTime)
  // pre-hire accounts are often created disabled until day one: a future hire date means pending either way
  const hired = startDate !== null && startDate > todayIn('UTC', now) ? 'pending' : mapped.status
  return employee({
    remoteId,
    email,
    firstName: cleanString(user.givenName),
    lastName: cleanString(user.surname),
    status: terminatedIfPast(hired, terminationDate, now),
    managerRemoteId: idString(user.manager?.id),
    managerEmail: emailFrom(user.manager?.mail),
    department: cleanString(user.department),
    jobTitle: cleanString(user.jobTitle),
    startDate,
    terminationDate,
  })
}

/** Guests are invited outsiders, not employees. */
export const isGuest = (user: GraphUser): boolean => user.userType === 'Guest'

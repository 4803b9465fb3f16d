import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'
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

/** One Graph user as an Employee, or the reason it cannot be one. */
export function toEmployee(user: GraphUser, now: Date): Employee | SkippedPerson {
  const remoteId = idString(user.id)
  // userPrincipalName is a sign-in name, not a mailbox: only `mail` is the work email
  const email = emailFrom(user.mail)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'a Graph user without an id' }
  }
  const mapped = mapStatus(STATUS, accountState(user), { remoteId, email })
  if ('skipped' in mapped) return mapped.skipped
  try {
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
  } catch (error) {
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

/** Guests are invited outsiders, not employees. */
export const isGuest = (user: GraphUser): boolean => user.userType === 'Guest'

export function isSkipped(value: Employee | SkippedPerson): value is SkippedPerson {
  return 'reason' in value
}

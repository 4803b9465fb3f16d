import { cleanString, emailFrom, idString, mapStatus, skipPerson, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import type { OktaUser } from './vendor.js'

/**
 * The eight documented user statuses (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/).
 * RECOVERY, PASSWORD_EXPIRED and LOCKED_OUT are sign-in states of an active user; SUSPENDED keeps the user but
 * blocks sign-in, which is the closest Okta has to a leave; STAGED and PROVISIONED are not activated yet.
 */
export const STATUS = statusTable({
  STAGED: 'pending',
  PROVISIONED: 'pending',
  ACTIVE: 'active',
  RECOVERY: 'active',
  PASSWORD_EXPIRED: 'active',
  LOCKED_OUT: 'active',
  SUSPENDED: 'leave',
  DEPROVISIONED: 'terminated',
})
export type OktaStatus = keyof typeof STATUS

/**
 * How `profile.managerId` finds the manager's Okta id: by employee number first (what HR-mastered orgs store),
 * then as an Okta user id.
 */
export function managerDirectory(users: OktaUser[]): (managerId: unknown) => string | null {
  const byEmployeeNumber = new Map<string, string>()
  const ids = new Set<string>()
  for (const user of users) {
    const id = idString(user.id)
    if (id === null) continue
    ids.add(id)
    const number = cleanString(user.profile?.employeeNumber)
    if (number !== null && !byEmployeeNumber.has(number)) byEmployeeNumber.set(number, id)
  }
  return (managerId) => {
    const ref = cleanString(managerId)
    if (ref === null) return null
    return byEmployeeNumber.get(ref) ?? (ids.has(ref) ? ref : null)
  }
}

/** What a user is known by before it is mapped: a person skipped later is reported under it. */
export function identify(user: OktaUser): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(user.id), email: emailFrom(user.profile?.email) }
}

/**
 * One Okta user as an Employee. A user without an id or with an undocumented status is refused with
 * skipPerson, a malformed date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(user: OktaUser, managerOf: (managerId: unknown) => string | null): Employee {
  const profile = user.profile ?? {}
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('an Okta user without an id', { email })
  const mapped = mapStatus(STATUS, user.status, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  return employee({
    remoteId,
    email,
    firstName: cleanString(profile.firstName),
    lastName: cleanString(profile.lastName),
    status: mapped.status,
    managerRemoteId: managerOf(profile.managerId),
    department: cleanString(profile.department),
    jobTitle: cleanString(profile.title),
    // a deactivated user's last status change is the deactivation; Okta keeps no HR termination date
    terminationDate: mapped.status === 'terminated' ? toIsoDate(user.statusChanged) : null,
  })
}

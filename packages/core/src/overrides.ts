import type { Change, DirectoryUser } from './directory.js'
import { userName } from './match.js'

/**
 * Admin overrides: what an admin may do to one user ahead of HR. The sync honours them (people.ts):
 * a user an admin deactivated stays deactivated whatever HR says next, and a leaver's grace period
 * keeps their access through its date. R17 holds here too: the last active admin keeps access and
 * stays admin.
 */
export type OverrideErrorCode =
  | 'already_deactivated'
  | 'no_access'
  | 'last_admin'
  | 'not_linked'
  | 'date_in_past'

/** An override the rules refuse; the message says why. */
export class OverrideError extends Error {
  override readonly name = 'OverrideError'
  constructor(
    readonly code: OverrideErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const activeAdmins = (users: readonly DirectoryUser[]) =>
  users.filter((user) => user.role === 'admin' && user.status === 'active').length

function keepLastAdmin(user: DirectoryUser, users: readonly DirectoryUser[], action: string): void {
  if (user.role === 'admin' && user.status === 'active' && activeAdmins(users) <= 1) {
    throw new OverrideError(
      'last_admin',
      `${userName(user)} is the last active admin: make another admin first, then ${action}`,
    )
  }
}

/**
 * Deactivating a user ahead of HR: the changes that cut their access (an invitation is withdrawn).
 * Refused for a user without access to lose and for the last active admin (R17).
 */
export function planAdminDeactivation(user: DirectoryUser, users: readonly DirectoryUser[]): Change[] {
  if (user.status === 'deactivated')
    throw new OverrideError('already_deactivated', `${userName(user)} is already deactivated`)
  if (user.status === 'uninvited') {
    throw new OverrideError(
      'no_access',
      `${userName(user)} was never invited and has no access to remove; leave them on Add people`,
    )
  }
  keepLastAdmin(user, users, 'deactivate them')
  const reason = `${userName(user)} was deactivated by an admin ahead of HR`
  return user.status === 'invited'
    ? [
        { kind: 'revoke_invitation', userId: user.id, reason },
        { kind: 'deactivate_user', userId: user.id, reason },
      ]
    : [{ kind: 'deactivate_user', userId: user.id, reason }]
}

/** R17: a role change that would leave the company with no active admin is refused. */
export function checkRoleChange(
  user: DirectoryUser,
  role: DirectoryUser['role'],
  users: readonly DirectoryUser[],
): void {
  if (role === 'member') keepLastAdmin(user, users, 'change their role')
}

/**
 * A leaver's grace period ("keep access until <date>"): for a user linked to HR who still has
 * access, through a date from today on (in the company's time zone, R20); null ends it.
 */
export function checkGracePeriod(user: DirectoryUser, until: string | null, today: string): void {
  if (until === null) return
  if (user.link === null) {
    throw new OverrideError(
      'not_linked',
      `${userName(user)} is not synced from HR: the sync never removes them, so there is nothing to delay`,
    )
  }
  if (user.status === 'deactivated' || user.status === 'uninvited') {
    throw new OverrideError('no_access', `${userName(user)} has no access to keep (${user.status})`)
  }
  if (until < today) throw new OverrideError('date_in_past', `${until} is in the past (today is ${today})`)
}

/**
 * Whether an admin may give a deactivated user access again (an invitation): a returning person
 * (R10), or a user an admin deactivated ahead of HR whom HR does not list as terminated.
 */
export function reactivatable(user: DirectoryUser, returning: boolean): boolean {
  if (user.status !== 'deactivated') return false
  if (returning) return true
  return user.adminDeactivated === true && user.person?.status !== 'terminated'
}

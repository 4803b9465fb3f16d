import type { Change, Directory, DirectoryUser, HeldRemoval, SyncWarning } from './directory.js'
import { userName } from './match.js'
import { inGracePeriod, lastAdminKept, lastAdminWarning, projectUsers } from './people.js'
import { orderChanges } from './plan.js'
import { unassignedReviewerCleared } from './teams.js'

/** What a held removal was decided on: when any of it differs now, the decision is stale. */
export type HeldUserState = Pick<DirectoryUser, 'status' | 'role' | 'email' | 'link'>

/** A removal a run held (R5, R17), waiting for an admin. */
export interface PendingRemoval extends HeldRemoval {
  id: string
  /** the user when the removal was held; null when it was not recorded */
  userAtHold: HeldUserState | null
}

/** What an approval knows of the present besides the directory. */
export interface HeldApproval {
  integrationId: string
  /** the HR system's name, for the answer's sentences */
  source: string
  teamSync: boolean
  /** the company's date (R20): a grace period an admin granted that still runs keeps the user */
  today: string
  /**
   * The users the latest successful sync since the hold still found gone (it held their removal or
   * kept them as the last admin); null when no sync succeeded since.
   */
  stillGone: ReadonlySet<string> | null
}

export type HeldSkipReason =
  | 'user_removed'
  | 'already_done'
  | 'user_changed'
  | 'back_in_hr'
  | 'access_kept_until'
  | 'last_admin_kept'

/** A person whose held removals an approval left alone, and why. */
export interface SkippedRemoval {
  userId: string
  /** the held removals of this user left unapplied */
  removalIds: string[]
  reason: HeldSkipReason
  message: string
}

export interface HeldDecision {
  /** the removals that still hold and what they do to teams, in the order a plan applies them */
  changes: Change[]
  /** the ids of the held removals applied */
  applied: string[]
  skipped: SkippedRemoval[]
  warnings: SyncWarning[]
}

/**
 * The users a successful sync found gone but did not remove: those whose removal it held, and the
 * last admin it kept (R17). A person it held nothing for was in HR again, or their user changed.
 */
export function stillGoneAfter(
  run: { held: readonly { userId: string }[]; warnings: readonly SyncWarning[] },
  users: readonly DirectoryUser[],
  integrationId: string,
): Set<string> {
  const gone = new Set(run.held.map((removal) => removal.userId))
  const kept = new Set(
    run.warnings
      .filter((warning) => warning.code === 'last_admin_kept')
      .flatMap((warning) => warning.remoteIds),
  )
  if (kept.size === 0) return gone
  for (const user of users) {
    if (user.link?.integrationId === integrationId && kept.has(user.link.remoteId)) gone.add(user.id)
  }
  return gone
}

/** Whether the user is already where their removals would take them. */
function alreadyDone(user: DirectoryUser, removals: readonly PendingRemoval[]): boolean {
  const last = removals[removals.length - 1]!.change.kind
  if (last === 'deactivate_user') return user.status === 'deactivated'
  if (last === 'revoke_invitation') return user.status !== 'invited'
  return false
}

/** What changed on the user since the hold, in words; null when nothing did (or it was not recorded). */
function changeSinceHold(user: DirectoryUser, atHold: HeldUserState | null): string | null {
  if (atHold === null) return null
  const link = (state: HeldUserState) =>
    state.link ? `${state.link.integrationId}/${state.link.remoteId}` : 'none'
  const differences = [
    ['status', atHold.status, user.status],
    ['role', atHold.role, user.role],
    ['email', atHold.email, user.email],
    ['HR link', link(atHold), link(user)],
  ].filter(([, before, now]) => before !== now)
  if (differences.length === 0) return null
  return differences.map(([what, before, now]) => `${what} ${before} → ${now}`).join(', ')
}

function byUser(removals: readonly PendingRemoval[]): Map<string, PendingRemoval[]> {
  const grouped = new Map<string, PendingRemoval[]>()
  for (const removal of removals) {
    const own = grouped.get(removal.userId)
    if (own === undefined) grouped.set(removal.userId, [removal])
    else own.push(removal)
  }
  return grouped
}

/**
 * R5, R17: an admin approves removals a run held. The decision is taken again on the present: a
 * removal applies only to a user unchanged since the hold whom the latest successful sync still finds
 * gone and no grace period keeps, and never to the last active admin (as in a sync). What the removals do to teams follows in
 * the same changes, as the next sync would do it.
 */
export function approveHeld(
  directory: Directory,
  removals: readonly PendingRemoval[],
  approval: HeldApproval,
): HeldDecision {
  const { source } = approval
  const users = new Map(directory.users.map((user) => [user.id, user]))
  const skipped: SkippedRemoval[] = []
  const skip = (userId: string, own: PendingRemoval[], reason: HeldSkipReason, message: string) =>
    skipped.push({ userId, removalIds: own.map((removal) => removal.id), reason, message })
  let going: Array<{ user: DirectoryUser; removals: PendingRemoval[] }> = []
  for (const [userId, own] of byUser(removals)) {
    const user = users.get(userId)
    if (user === undefined) {
      skip(userId, own, 'user_removed', 'The user was removed since the hold; nothing left to remove')
      continue
    }
    const name = userName(user)
    const changed = changeSinceHold(user, own[0]!.userAtHold)
    if (alreadyDone(user, own)) skip(userId, own, 'already_done', `${name} is already ${user.status}`)
    else if (changed !== null) {
      skip(
        userId,
        own,
        'user_changed',
        `${name} changed since the hold (${changed}); the next sync decides again`,
      )
    } else if (approval.stillGone !== null && !approval.stillGone.has(userId)) {
      skip(userId, own, 'back_in_hr', `A later sync found ${name} in ${source} again; they keep their access`)
    } else if (inGracePeriod(user, approval.today)) {
      // granted after the hold: the admin's later word wins, as it does in a sync
      skip(
        userId,
        own,
        'access_kept_until',
        `${name} keeps access until ${user.keepAccessUntil}, as an admin decided; the first sync after that date removes them`,
      )
    } else going.push({ user, removals: own })
  }

  // R17, exactly as in a sync: the approved removals must leave an active admin.
  const warnings: SyncWarning[] = []
  const activeAdmins = directory.users.filter((user) => user.status === 'active' && user.role === 'admin')
  const kept = lastAdminKept(
    activeAdmins.length,
    going.map(({ user }) => user),
  )
  if (kept !== null) {
    const warning = lastAdminWarning(kept, source)
    warnings.push(warning)
    const own = going.find(({ user }) => user === kept)!.removals
    skip(kept.id, own, 'last_admin_kept', warning.message)
    going = going.filter(({ user }) => user !== kept)
  }

  const removalChanges: Change[] = going.flatMap(({ removals: own }) => own.map((removal) => removal.change))
  const teamFollowUps = approval.teamSync ? teamsAfter(directory, removalChanges, approval.integrationId) : []
  return {
    changes: orderChanges([...removalChanges, ...teamFollowUps]),
    applied: going.flatMap(({ removals: own }) => own.map((removal) => removal.id)),
    skipped,
    warnings,
  }
}

/**
 * R13 once the removals are applied, as the next sync would do it: a deactivated or removed user is
 * in no synced team nor Unassigned, and Unassigned's reviewer is cleared when they lose access. A
 * held user reviews no synced team: the run that held them already moved that role (R14), since a
 * person gone from HR is no eligible reviewer. Ordinary teams are left alone, as a sync leaves them.
 */
function teamsAfter(directory: Directory, removals: Change[], integrationId: string): Change[] {
  const users = projectUsers(directory.users, removals, integrationId)
  const after = new Map(users.map(({ user }) => [user.id, user]))
  const inTeams = (userId: string) => {
    const user = after.get(userId)
    return user !== undefined && user.status !== 'deactivated'
  }
  const changes: Change[] = []
  for (const team of directory.teams) {
    if (team.kind === 'ordinary') continue
    if (team.kind === 'unassigned') {
      const cleared = unassignedReviewerCleared(team, users)
      if (cleared !== null) changes.push(cleared)
    }
    const members = team.memberUserIds.filter(inTeams)
    if (members.length !== team.memberUserIds.length) {
      changes.push({ kind: 'set_members', teamId: team.id, members: members.map((userId) => ({ userId })) })
    }
  }
  return changes
}

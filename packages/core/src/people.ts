import type {
  Change,
  DirectoryUser,
  HeldRemoval,
  Snapshot,
  SyncSettings,
  SyncWarning,
  UserRef,
} from './directory.js'
import { type Matching, matchPeople, normaliseEmail, type Person, sameRecord, userName } from './match.js'

type Removal = HeldRemoval['change']

/** What the people rules decide: the changes that apply now and the removals held for an admin. */
export interface PeoplePlan {
  matching: Matching
  changes: Change[]
  held: HeldRemoval[]
  warnings: SyncWarning[]
  /** the users linked to the integration once `changes` are applied */
  linked: number
}

/** The key of a user a plan creates: `<integrationId>:<remoteId>`. */
export function newUserKey(integrationId: string, remoteId: string): string {
  return `${integrationId}:${remoteId}`
}

/** One string per user reference, for comparing and sorting. */
export function userRefKey(ref: UserRef): string {
  return 'userId' in ref ? ref.userId : ref.newUserKey
}

/** How many of `users` pass `test`, without building the list. */
function countOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  let count = 0
  for (let at = 0; at < items.length; at++) if (test(items[at]!)) count++
  return count
}

/** The HR id a gone user is reported by: their person's, or the link's when the person is absent. */
const goneRemoteId = ({ user, person }: Matching['gone'][number]): string =>
  person?.remoteId ?? user.link!.remoteId

/** An admin's "keep access until <date>" for a leaver still runs `today` (the date included). */
export function inGracePeriod(user: DirectoryUser, today: string): boolean {
  const until = user.keepAccessUntil ?? null
  return until !== null && until >= today
}

/** R4, R6: what a gone person's user loses. */
function removalsFor(user: DirectoryUser, person: Person | null, source: string): Removal[] {
  const why =
    person === null
      ? `${userName(user)} is no longer in ${source}`
      : `${userName(user)} left (terminated in ${source}${person.employee.terminationDate ? ` on ${person.employee.terminationDate}` : ''})`
  const userId = user.id
  switch (user.status) {
    case 'active':
      return [{ kind: 'deactivate_user', userId, reason: why }]
    case 'invited':
      // R6: an invitation sent from the HR list is withdrawn with its record; an app user invited by an admin keeps the record (R4).
      return user.origin === 'hr'
        ? [
            { kind: 'revoke_invitation', userId, reason: why },
            { kind: 'remove_user', userId, reason: `${why}; the invitation was never accepted` },
          ]
        : [
            { kind: 'revoke_invitation', userId, reason: why },
            { kind: 'deactivate_user', userId, reason: why },
          ]
    case 'uninvited':
      return [{ kind: 'remove_user', userId, reason: `${why}; never invited` }]
    case 'deactivated':
      return []
  }
}

/**
 * R17: the last active admin is never deactivated by the sync, nor by an approval of held removals.
 * Of the users about to lose access, the one kept when no active admin would be left; else null.
 */
export function lastAdminKept(activeAdmins: number, leaving: readonly DirectoryUser[]): DirectoryUser | null {
  const admins = leaving.filter((user) => user.role === 'admin' && user.status === 'active')
  return activeAdmins > 0 && admins.length >= activeAdmins ? admins[0]! : null
}

export function lastAdminWarning(kept: DirectoryUser, source: string): SyncWarning {
  return {
    code: 'last_admin_kept',
    message: `${userName(kept)} left ${source} but is the last active admin; they keep access until another admin takes over`,
    remoteIds: kept.link ? [kept.link.remoteId] : [],
    email: normaliseEmail(kept.email) ?? kept.email,
  }
}

/** R1–R12, R17, R20 (and R5's mass-removal hold): the user changes of one run. */
export function planPeople(
  snapshot: Snapshot,
  users: DirectoryUser[],
  settings: SyncSettings,
  today: string,
): PeoplePlan {
  const matching = matchPeople(snapshot, users, today)
  const { integrationId, source } = snapshot
  const changes: Change[] = []
  const warnings: SyncWarning[] = [...matching.warnings]

  // Only an entry on Add people follows HR's names; a user with access keeps the name they have.
  const rename = (user: DirectoryUser, person: Person) => {
    const { firstName, lastName } = person.employee
    if (user.status === 'uninvited' && (user.firstName !== firstName || user.lastName !== lastName)) {
      changes.push({ kind: 'update_name', userId: user.id, firstName, lastName })
    }
  }
  for (let at = 0; at < matching.linked.length; at++) {
    const person = matching.linked[at]!
    const user = person.linkedUser
    // R10: a returning person's record is updated; their deactivated user stays deactivated.
    if (!sameRecord(user.person, person)) {
      changes.push({ kind: 'update_person', userId: user.id, person: person.record })
    }
    rename(user, person)
  }
  for (const match of matching.matches) {
    const { person } = match
    if (match.kind === 'create') {
      changes.push({
        kind: 'create_user',
        newUserKey: newUserKey(integrationId, person.remoteId),
        remoteId: person.remoteId,
        email: person.email!,
        firstName: person.employee.firstName,
        lastName: person.employee.lastName,
        person: person.record,
      })
      continue
    }
    changes.push({
      kind: 'link_user',
      userId: match.user.id,
      remoteId: person.remoteId,
      person: person.record,
      relinked: match.relinked,
    })
    // a leaver's entry is on its way out (R4): it need not follow HR's names
    if (person.status !== 'terminated') rename(match.user, person)
  }

  // One pass over the users for R17 (active admins) and R5 (linked active users), and the users
  // linked before the changes, from which the count after them follows.
  let activeAdmins = 0
  let linkedBefore = 0
  let linkedActive = 0
  for (let at = 0; at < users.length; at++) {
    const user = users[at]!
    const active = user.status === 'active'
    if (active && user.role === 'admin') activeAdmins++
    if (user.link?.integrationId !== integrationId) continue
    linkedBefore++
    if (active) linkedActive++
  }

  // Overrides: a deactivated user (by HR, or ahead of it by an admin) has nothing more to lose; a
  // leaver an admin granted a grace period keeps access through its last day, then goes as usual.
  let gone = matching.gone.filter(({ user }) => user.status !== 'deactivated')
  for (const leaver of gone.filter(({ user }) => inGracePeriod(user, today))) {
    warnings.push({
      code: 'access_kept_until',
      message: `${userName(leaver.user)} left ${source} but keeps access until ${leaver.user.keepAccessUntil}, as an admin decided`,
      remoteIds: [goneRemoteId(leaver)],
      email: normaliseEmail(leaver.user.email) ?? leaver.user.email,
    })
  }
  gone = gone.filter(({ user }) => !inGracePeriod(user, today))
  // R17: the last active admin is never deactivated by the sync.
  const kept = lastAdminKept(
    activeAdmins,
    gone.map(({ user }) => user),
  )
  if (kept !== null) {
    gone = gone.filter(({ user }) => user !== kept)
    warnings.push(lastAdminWarning(kept, source))
  }

  // R5: more removals than max(minCount, ratio × linked active users) in one run are all held.
  const limit = Math.max(settings.massRemoval.minCount, settings.massRemoval.ratio * linkedActive)
  const approved = settings.approveHeldRemovals === true
  const mass = gone.length > limit && !approved
  if (mass) {
    warnings.push({
      code: 'mass_removal_held',
      message: `${gone.length} users would lose access or be removed, more than the limit of ${Math.floor(limit)}; the removals wait for an admin to approve or reject them`,
      remoteIds: gone.map(goneRemoteId),
    })
  }

  const held: HeldRemoval[] = []
  const removed = new Set<string>()
  for (const leaver of gone) {
    const { user, person } = leaver
    const adminHeld = !approved && user.role === 'admin' && user.status === 'active'
    if (adminHeld) {
      warnings.push({
        code: 'admin_removal_held',
        message: `${userName(user)} is an admin: their deactivation waits for another admin to confirm`,
        remoteIds: [goneRemoteId(leaver)],
        email: normaliseEmail(user.email) ?? user.email,
      })
    }
    for (const change of removalsFor(user, person, source)) {
      if (adminHeld || mass) {
        held.push({ userId: user.id, change, reason: adminHeld ? 'admin' : 'mass_removal' })
      } else {
        changes.push(change)
        if (change.kind === 'remove_user') removed.add(user.id)
      }
    }
  }
  // A gone person's last HR record is kept on the user (history, R10), unless the user is removed or
  // was linked this run (the link carries the record).
  for (const { user, person } of matching.gone) {
    if (person !== null && !removed.has(user.id) && user.link !== null && !sameRecord(user.person, person)) {
      changes.push({ kind: 'update_person', userId: user.id, person: person.record })
    }
  }
  return { matching, changes, held, warnings, linked: linkedBefore + linkDelta(changes) }
}

/**
 * How `changes` move the count of users linked to the integration: a user created from HR or linked
 * by email adds one, a removed user (always a linked one: only gone users are removed) takes one
 * away, and a user linked again to a returning person (R10) was linked already. Nothing else touches
 * a link. Counted from the changes, so a plan does not look every user up once more.
 */
function linkDelta(changes: readonly Change[]): number {
  let delta = 0
  for (const change of changes) {
    if (change.kind === 'create_user' || (change.kind === 'link_user' && !change.relinked)) delta++
    else if (change.kind === 'remove_user') delta--
  }
  return delta
}

/** The users linked to the integration. */
export function linkedCount(users: readonly DirectoryUser[], integrationId: string): number {
  return countOf(users, (user) => user.link?.integrationId === integrationId)
}

/** A user as it will be once a plan's user changes are applied. */
export interface ProjectedUser {
  ref: UserRef
  user: DirectoryUser
}

type CreateUser = Extract<Change, { kind: 'create_user' }>

/** A plan's user changes: those of each existing user (by id), and the users it creates. */
function userChanges(changes: Change[]): { touched: Map<string, Change[]>; created: CreateUser[] } {
  const touched = new Map<string, Change[]>()
  const created: CreateUser[] = []
  for (const change of changes) {
    if ('userId' in change) {
      const list = touched.get(change.userId)
      if (list === undefined) touched.set(change.userId, [change])
      else list.push(change)
    } else if (change.kind === 'create_user') created.push(change)
  }
  return { touched, created }
}

/**
 * The directory's users after `changes` (held removals are not applied), in directory order, then
 * the created ones. Users no change touches are shared with `users`, not copied: read them only.
 */
export function projectUsers(
  users: DirectoryUser[],
  changes: Change[],
  integrationId: string,
): ProjectedUser[] {
  const { touched, created } = userChanges(changes)
  const projected: ProjectedUser[] = []
  for (let at = 0; at < users.length; at++) {
    const original = users[at]!
    const own = touched.get(original.id)
    const user = own === undefined ? original : applyUserChanges(original, own, integrationId)
    if (user !== null) projected.push({ ref: { userId: user.id }, user })
  }
  for (const change of created) {
    projected.push({
      ref: { newUserKey: change.newUserKey },
      user: {
        id: change.newUserKey,
        email: change.email,
        firstName: change.firstName,
        lastName: change.lastName,
        status: 'uninvited',
        role: 'member',
        link: { integrationId, remoteId: change.remoteId },
        origin: 'hr',
        person: change.person,
        pinnedTeamKey: null,
      },
    })
  }
  return projected
}

/** One user after its changes; null once it is removed. */
function applyUserChanges(
  original: DirectoryUser,
  changes: Change[],
  integrationId: string,
): DirectoryUser | null {
  const user = { ...original }
  for (const change of changes) {
    switch (change.kind) {
      case 'link_user':
        Object.assign(user, { link: { integrationId, remoteId: change.remoteId }, person: change.person })
        break
      case 'update_person':
        user.person = change.person
        break
      case 'update_name':
        Object.assign(user, { firstName: change.firstName, lastName: change.lastName })
        break
      case 'revoke_invitation':
        user.status = 'uninvited'
        break
      case 'deactivate_user':
        user.status = 'deactivated'
        break
      case 'remove_user':
        return null
      default:
        break
    }
  }
  return user
}

/** What the console shows beside a user (R10, R11, R20). */
export function userFlags(
  user: DirectoryUser,
  today: string,
): { returning: boolean; leavingOn: string | null; hrEmailDiffers: boolean } {
  const person = user.link === null ? null : user.person
  // an admin who cut someone off ahead of HR gives access back themselves: not offered as returning
  const returning =
    user.status === 'deactivated' &&
    user.adminDeactivated !== true &&
    (person?.status === 'active' || person?.status === 'pending')
  const terminationDate = person?.terminationDate ?? null
  const leavingOn =
    person && person.status !== 'terminated' && terminationDate !== null && terminationDate >= today
      ? terminationDate
      : null
  const hrEmail = normaliseEmail(person?.hrEmail)
  return { returning, leavingOn, hrEmailDiffers: hrEmail !== null && hrEmail !== normaliseEmail(user.email) }
}

import {
  type Change,
  type Directory,
  type DirectoryTeam,
  type DirectoryUser,
  type SyncWarning,
  UNASSIGNED_TEAM_KEY,
  type UserRef,
} from './directory.js'
import type { RemoteIdIndex } from './keyed.js'
import { normaliseEmail, type Person, personName, userName } from './match.js'
import { type ProjectedUser, projectUsers, userRefKey } from './people.js'

export const UNASSIGNED_TEAM_NAME = 'Unassigned'

/** A linked user with access whose person is working (active or on leave) can review expenses. */
export function isEligibleReviewer(user: DirectoryUser): boolean {
  const status = user.person?.status
  return user.link !== null && user.status === 'active' && (status === 'active' || status === 'leave')
}

export const REASON_APP_ONLY = 'added in the app, not in HR'
const REASON_NOT_IN_HR = 'not in the current HR data'
/** Why a person has no manager, by code: 0 is "has a manager". */
const NO_MANAGER_REASONS = [
  '',
  'no manager in HR',
  'manager not in HR data',
  'loop in the manager chain',
] as const
const NO_MANAGER = 1
const UNKNOWN_MANAGER = 2
const IN_LOOP = 3

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The manager hierarchy of a snapshot once R15 and R16 are applied. A person is known by their
 * position in `persons.items` (snapshot order), so a million persons make two typed arrays, not two
 * maps of strings. There are no loops: R16 has broken them.
 */
export class OrgChart {
  constructor(
    readonly persons: RemoteIdIndex<Person>,
    /** the position of each person's manager; -1: none */
    private readonly managers: Int32Array,
    /** why each person has no manager, as a code of NO_MANAGER_REASONS */
    private readonly reasons: Uint8Array,
    readonly warnings: SyncWarning[],
  ) {}

  /** The position of the manager the person at `at` attaches to; -1: no manager, an unknown one, or a loop. */
  managerOf(at: number): number {
    return this.managers[at]!
  }

  /** Why the person at `at` has no manager ("no manager in HR", …); null when they have one. */
  reasonFor(at: number): string | null {
    const code = this.reasons[at]!
    return code === 0 ? null : NO_MANAGER_REASONS[code]!
  }

  /** The first of the person at `at` and their managers upwards that `wanted` accepts; -1: none. */
  nearestUp(at: number, wanted: (at: number) => boolean): number {
    for (let up = at; up !== -1; up = this.managers[up]!) if (wanted(up)) return up
    return -1
  }
}

/** R15, R16: resolves every manager reference and breaks loops, walking the persons in snapshot order. */
export function buildOrgChart(persons: RemoteIdIndex<Person>): OrgChart {
  const ordered = persons.items
  const count = ordered.length
  const managers = new Int32Array(count).fill(-1)
  const reasons = new Uint8Array(count)
  const unknown: Array<{ remoteId: string; warning: SyncWarning }> = []
  for (let at = 0; at < count; at++) {
    const person = ordered[at]!
    const { managerRemoteId, managerEmail } = person.employee
    const given = managerRemoteId ?? (normaliseEmail(managerEmail) === null ? null : managerEmail)
    // the manager as matching resolved it (an email becomes the remoteId of its person)
    const ref = person.managerRemoteId
    // R16: a self-manager counts as no manager.
    if (given === null || ref === person.remoteId) {
      reasons[at] = NO_MANAGER
      continue
    }
    const manager = ref === null ? -1 : persons.indexOf(ref)
    if (manager !== -1) {
      managers[at] = manager
      continue
    }
    reasons[at] = UNKNOWN_MANAGER
    if (person.status !== 'terminated') {
      unknown.push({
        remoteId: person.remoteId,
        warning: {
          code: 'unknown_manager',
          message: `${personName(person)}: manager not in HR data (${given})`,
          remoteIds: [person.remoteId],
        },
      })
    }
  }

  // R16: everyone on a loop of two or more is treated as having no manager. Each chain is walked
  // once: `state` marks the persons of the walk in progress (OPEN) and those already settled (DONE).
  const OPEN = 1
  const DONE = 2
  const loops: Array<{ remoteId: string; warning: SyncWarning }> = []
  const state = new Uint8Array(count)
  const path: number[] = []
  for (let start = 0; start < count; start++) {
    path.length = 0
    let at = start
    while (at !== -1 && state[at] === 0) {
      state[at] = OPEN
      path.push(at)
      at = managers[at]!
    }
    if (at !== -1 && state[at] === OPEN) {
      const loop = path.slice(path.indexOf(at))
      // reported from its first member by remoteId
      const remoteIdAt = (member: number) => ordered[member]!.remoteId
      const first = loop.reduce(
        (min, member, i) => (compare(remoteIdAt(member), remoteIdAt(loop[min]!)) < 0 ? i : min),
        0,
      )
      const inOrder = [...loop.slice(first), ...loop.slice(0, first)]
      for (const member of inOrder) {
        managers[member] = -1
        reasons[member] = IN_LOOP
      }
      if (inOrder.some((member) => ordered[member]!.status !== 'terminated')) {
        const names = inOrder.map((member) => personName(ordered[member]!))
        loops.push({
          remoteId: remoteIdAt(inOrder[0]!),
          warning: {
            code: 'manager_loop',
            message: `Loop in the manager chain: ${[...names, names[0]].join(' -> ')}`,
            remoteIds: inOrder.map(remoteIdAt),
          },
        })
      }
    }
    for (const member of path) state[member] = DONE
  }
  // Reported in remoteId order (a loop by its first member), whatever order HR listed people in.
  const inRemoteIdOrder = (found: Array<{ remoteId: string; warning: SyncWarning }>) =>
    found.sort((a, b) => compare(a.remoteId, b.remoteId)).map(({ warning }) => warning)
  return new OrgChart(persons, managers, reasons, [...inRemoteIdOrder(unknown), ...inRemoteIdOrder(loops)])
}

/** A synced team as the hierarchy wants it. */
export interface DesiredTeam {
  /** the manager's remoteId */
  key: string
  name: string
  managerName: string
  /** the manager in HR, and their user (null: none, e.g. no work email in HR) */
  manager: { status: Person['status']; user: DirectoryUser | null }
  reviewer: ProjectedUser | null
  members: ProjectedUser[]
}

/** Who belongs where: every synced team, and the members of Unassigned with the reason each is there. */
export interface TeamLayout {
  teams: Map<string, DesiredTeam>
  unassigned: ProjectedUser[]
  /** by user reference key */
  reasons: Map<string, string>
}

const byRefKey = (a: ProjectedUser, b: ProjectedUser) => compare(userRefKey(a.ref), userRefKey(b.ref))

/** R12, R13, R14: one team per manager, its reviewer, its members; the rest in Unassigned. */
export function layoutTeams(
  chart: OrgChart,
  users: ProjectedUser[],
  integrationId: string,
  current: { teams: DirectoryTeam[]; usePins: boolean },
): TeamLayout {
  const ordered = chart.persons.items
  const count = ordered.length
  // each person's linked user as a position in `users`, -1 for none (the last, should two users
  // claim one person); typed arrays, as a plain array this long would start as a dictionary
  const linkedAt = new Int32Array(count).fill(-1)
  // and each user's person as a position in `persons.items`, -1 for none
  const personAt = new Int32Array(users.length).fill(-1)
  for (let at = 0; at < users.length; at++) {
    const link = users[at]!.user.link
    if (link?.integrationId !== integrationId) continue
    const person = chart.persons.indexOf(link.remoteId)
    personAt[at] = person
    if (person !== -1) linkedAt[person] = at
  }
  // R14: skip-level — the nearest eligible reviewer from the manager upwards.
  const canReview = (at: number) => linkedAt[at] !== -1 && isEligibleReviewer(users[linkedAt[at]!]!.user)
  const reviewerFor = (manager: number): ProjectedUser | null => {
    const reviewer = chart.nearestUp(manager, canReview)
    return reviewer === -1 ? null : users[linkedAt[reviewer]!]!
  }

  // the managers of at least one person not terminated, in remoteId order
  const leads = new Uint8Array(count)
  for (let at = 0; at < count; at++) {
    const manager = chart.managerOf(at)
    if (manager !== -1 && ordered[at]!.status !== 'terminated') leads[manager] = 1
  }
  const keys: number[] = []
  for (let at = 0; at < count; at++) if (leads[at] === 1) keys.push(at)
  keys.sort((a, b) => compare(ordered[a]!.remoteId, ordered[b]!.remoteId))
  const teams = new Map<string, DesiredTeam>()
  // each manager's team as a position in `led`
  const led: DesiredTeam[] = []
  const teamAt = new Int32Array(count).fill(-1)
  for (const manager of keys) {
    const key = ordered[manager]!.remoteId
    const managerName = personName(ordered[manager]!)
    const team: DesiredTeam = {
      key,
      name: `${managerName}'s team`,
      managerName,
      manager: {
        status: ordered[manager]!.status,
        user: linkedAt[manager] === -1 ? null : users[linkedAt[manager]!]!.user,
      },
      reviewer: reviewerFor(manager),
      members: [],
    }
    teams.set(key, team)
    teamAt[manager] = led.length
    led.push(team)
  }

  const unassigned: ProjectedUser[] = []
  const why = new Map<ProjectedUser, string>()
  const toUnassigned = (projected: ProjectedUser, reason: string) => {
    unassigned.push(projected)
    why.set(projected, reason)
  }
  const syncedTeams = current.teams
    .filter((team) => team.kind === 'synced' && team.key !== null && teams.has(team.key))
    .sort((a, b) => compare(a.key!, b.key!))
  // Members are placed in the users' order, then each list is put in user reference order.
  for (let at = 0; at < users.length; at++) {
    const projected = users[at]!
    const { user } = projected
    if (user.status === 'deactivated') continue
    if (user.link === null) {
      // R12: an app-only user stays where an admin placed them during setup.
      const pinned = current.usePins ? user.pinnedTeamKey : null
      const team = pinned === null ? undefined : teams.get(pinned)
      if (team === undefined) toUnassigned(projected, REASON_APP_ONLY)
      else team.members.push(projected)
      continue
    }
    if (user.link.integrationId !== integrationId) continue
    const position = personAt[at]!
    if (position !== -1 && ordered[position]!.status !== 'terminated') {
      const manager = chart.managerOf(position)
      if (manager === -1) toUnassigned(projected, chart.reasonFor(position)!)
      else led[teamAt[manager]!]!.members.push(projected)
      continue
    }
    // Still a user but no longer in HR (removal held, last admin, skipped record): keeps its place until decided.
    const keep = syncedTeams.find((team) => team.memberUserIds.includes(user.id))
    if (keep === undefined) toUnassigned(projected, REASON_NOT_IN_HR)
    else teams.get(keep.key!)!.members.push(projected)
  }
  for (const team of teams.values()) if (team.members.length > 1) team.members.sort(byRefKey)
  unassigned.sort(byRefKey)
  const reasons = new Map(unassigned.map((projected) => [userRefKey(projected.ref), why.get(projected)!]))
  return { teams, unassigned, reasons }
}

function refsOf(users: ProjectedUser[]): UserRef[] {
  return users.map((projected) => projected.ref)
}

/** Whether `ids` is in ascending order: the lists a plan builds and stores are, and need no sort. */
function inOrder(ids: readonly string[]): boolean {
  for (let at = 1; at < ids.length; at++) if (compare(ids[at - 1]!, ids[at]!) > 0) return false
  return true
}

/** Whether the stored members are `wanted`, a layout's list (in user reference order). */
function sameMembers(current: string[], wanted: UserRef[]): boolean {
  if (current.length !== wanted.length) return false
  const a = inOrder(current) ? current : [...current].sort(compare)
  const b = wanted.map(userRefKey)
  for (let at = 0; at < a.length; at++) if (a[at] !== b[at]) return false
  return true
}

/** Why a manager cannot review their own team, in words: "is not invited yet", "is deactivated". */
function cannotReview({ status, user }: DesiredTeam['manager']): string {
  if (status === 'terminated') return 'has left'
  if (status === 'pending') return 'has not started yet'
  if (user === null) return 'has no account in the app'
  if (user.status === 'deactivated') return 'is deactivated'
  if (user.status === 'uninvited') return 'is not invited yet'
  // an active account of a working manager reviews: only an invitation not accepted is left
  return 'has not accepted the invitation yet'
}

/** R14 in a setup preview: why a team's reviewer is not its manager; null when the manager reviews. */
export function reviewerNote(team: DesiredTeam): string | null {
  const reviewer = team.reviewer
  if (reviewer !== null && reviewer.user.link?.remoteId === team.key) return null
  const why = `${team.managerName} ${cannotReview(team.manager)}`
  return reviewer === null
    ? `${why}, and nobody above can review`
    : `${why}: ${userName(reviewer.user)} is the nearest eligible manager above`
}

function reviewerReason(team: DesiredTeam): string {
  const reviewer = team.reviewer
  if (reviewer === null) return `Nobody from ${team.managerName} upwards can review (no active account)`
  if (reviewer.user.link?.remoteId === team.key) return `${team.managerName} reviews their team`
  return `${team.managerName} cannot review; ${userName(reviewer.user)} is the nearest eligible manager above`
}

/** The reviewer of Unassigned is the admin's choice; it is only cleared when that user loses access. */
export function unassignedReviewerCleared(
  unassigned: DirectoryTeam,
  users: readonly ProjectedUser[],
): Change | null {
  const reviewerId = unassigned.reviewerUserId
  if (reviewerId === null || users.some(({ user }) => user.id === reviewerId && user.status === 'active'))
    return null
  return {
    kind: 'set_reviewer',
    teamId: unassigned.id,
    fromUserId: reviewerId,
    to: null,
    reason: 'The reviewer of Unassigned no longer has access; an admin picks a new one',
  }
}

/** The changes that bring the synced teams and Unassigned to `layout`; ordinary teams are left alone. */
export function teamChanges(layout: TeamLayout, existing: DirectoryTeam[], users: ProjectedUser[]): Change[] {
  const changes: Change[] = []
  const synced = new Map<string, DirectoryTeam>()
  for (const team of existing) if (team.kind === 'synced' && team.key !== null) synced.set(team.key, team)

  for (const team of layout.teams.values()) {
    const reviewer = team.reviewer?.ref ?? null
    const members = refsOf(team.members)
    const current = synced.get(team.key)
    if (current === undefined) {
      changes.push({ kind: 'create_team', key: team.key, name: team.name, reviewer, members })
      continue
    }
    // R13: an admin's rename is kept.
    if (!current.nameOverridden && current.name !== team.name) {
      changes.push({ kind: 'rename_team', teamId: current.id, name: team.name })
    }
    // R14: every reviewer change is its own change, so pending expenses can follow it.
    if (current.reviewerUserId !== (reviewer === null ? null : userRefKey(reviewer))) {
      changes.push({
        kind: 'set_reviewer',
        teamId: current.id,
        fromUserId: current.reviewerUserId,
        to: reviewer,
        reason: reviewerReason(team),
      })
    }
    if (!sameMembers(current.memberUserIds, members)) {
      changes.push({ kind: 'set_members', teamId: current.id, members })
    }
  }
  for (const [key, current] of synced) {
    if (!layout.teams.has(key)) {
      changes.push({
        kind: 'delete_team',
        teamId: current.id,
        reason: `Nobody in HR reports to the manager of ${current.name} any more`,
      })
    }
  }

  const members = refsOf(layout.unassigned)
  const unassigned = existing.find((team) => team.kind === 'unassigned')
  if (unassigned === undefined) {
    changes.push({
      kind: 'create_team',
      key: UNASSIGNED_TEAM_KEY,
      name: UNASSIGNED_TEAM_NAME,
      reviewer: null,
      members,
    })
    return changes
  }
  const cleared = unassignedReviewerCleared(unassigned, users)
  if (cleared !== null) changes.push(cleared)
  if (!sameMembers(unassigned.memberUserIds, members)) {
    changes.push({ kind: 'set_members', teamId: unassigned.id, members })
  }
  return changes
}

/** R14 skip-level: the nearest eligible reviewer among the managers above a person (by remoteId). */
function reviewerAbove(
  chart: OrgChart,
  users: ProjectedUser[],
  integrationId: string,
  remoteId: string,
  lastManager: string | null,
): ProjectedUser | null {
  const linked = new Map<string, ProjectedUser>()
  for (const projected of users) {
    const link = projected.user.link
    if (link?.integrationId === integrationId) linked.set(link.remoteId, projected)
  }
  const { persons } = chart
  const linkedAt = (at: number) => linked.get(persons.items[at]!.remoteId)
  // someone no longer in HR is placed by the manager HR gave them last
  const self = persons.indexOf(remoteId)
  const above =
    self === -1 ? (lastManager === null ? -1 : persons.indexOf(lastManager)) : chart.managerOf(self)
  const reviewer = chart.nearestUp(above, (at) => {
    const candidate = linkedAt(at)
    return candidate !== undefined && isEligibleReviewer(candidate.user)
  })
  return reviewer === -1 ? null : linkedAt(reviewer)!
}

/**
 * R14 for ordinary teams: a reviewer the run deactivates or removes stops reviewing, and the change
 * names the nearest eligible manager above them as a suggestion; the team is the admin's, so the admin
 * picks. `chart` is built only when such a team exists.
 */
export function ordinaryReviewerChanges(
  directory: Directory,
  changes: Change[],
  integrationId: string,
  chart: () => OrgChart,
): Change[] {
  const leaving = new Set<string>()
  for (const change of changes) {
    if (change.kind === 'deactivate_user' || change.kind === 'remove_user') leaving.add(change.userId)
  }
  const teams = directory.teams.filter(
    (team) => team.kind === 'ordinary' && team.reviewerUserId !== null && leaving.has(team.reviewerUserId),
  )
  if (teams.length === 0) return []
  const org = chart()
  const users = projectUsers(directory.users, changes, integrationId)
  const byId = new Map(directory.users.map((user) => [user.id, user]))
  return teams.map((team) => {
    const leaver = byId.get(team.reviewerUserId!)!
    const suggested =
      leaver.link === null
        ? null
        : reviewerAbove(
            org,
            users,
            integrationId,
            leaver.link.remoteId,
            leaver.person?.managerRemoteId ?? null,
          )
    return {
      kind: 'set_reviewer',
      teamId: team.id,
      fromUserId: leaver.id,
      to: null,
      suggested: suggested?.ref ?? null,
      reason:
        suggested === null
          ? `${userName(leaver)} left and no longer reviews ${team.name}; nobody above them can review, an admin picks a reviewer`
          : `${userName(leaver)} left and no longer reviews ${team.name}; ${userName(suggested.user)}, the nearest eligible manager above, is suggested`,
    }
  })
}

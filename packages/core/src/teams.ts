import {
  type Change,
  type DirectoryTeam,
  type DirectoryUser,
  type SyncWarning,
  UNASSIGNED_TEAM_KEY,
  type UserRef,
} from './directory.js'
import type { RemoteIdLookup } from './keyed.js'
import { normaliseEmail, type Person, personName, userName } from './match.js'
import { type ProjectedUser, userRefKey } from './people.js'

export const UNASSIGNED_TEAM_NAME = 'Unassigned'

/** A linked user with access whose person is working (active or on leave) can review expenses. */
export function isEligibleReviewer(user: DirectoryUser): boolean {
  const status = user.person?.status
  return user.link !== null && user.status === 'active' && (status === 'active' || status === 'leave')
}

/** The manager hierarchy of a snapshot once R15 and R16 are applied. */
export interface OrgChart {
  persons: RemoteIdLookup<Person>
  /** the manager each person attaches to; absent: no manager, an unknown one, or a loop */
  managerOf: Map<string, string>
  /** why a person has no manager */
  noManagerReason: Map<string, string>
  warnings: SyncWarning[]
}

const REASON_NO_MANAGER = 'no manager in HR'
const REASON_UNKNOWN_MANAGER = 'manager not in HR data'
const REASON_LOOP = 'loop in the manager chain'
const REASON_APP_ONLY = 'added in the app, not in HR'
const REASON_NOT_IN_HR = 'not in the current HR data'

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * R15, R16: resolves every manager reference and breaks loops. `ordered` holds the same persons in
 * snapshot order; its loops are indexed for the reason `matchPeople`'s are.
 */
export function buildOrgChart(persons: RemoteIdLookup<Person>, ordered: readonly Person[]): OrgChart {
  // Managers given only by email are looked up among the persons' emails, indexed on first use.
  let byEmail: Map<string, Person[]> | null = null
  const resolveEmail = (email: string): string | undefined => {
    if (byEmail === null) {
      byEmail = new Map()
      for (let at = 0; at < ordered.length; at++) {
        const person = ordered[at]!
        if (person.email === null) continue
        const group = byEmail.get(person.email)
        if (group === undefined) byEmail.set(person.email, [person])
        else group.push(person)
      }
    }
    const candidates = byEmail.get(normaliseEmail(email) ?? '') ?? []
    const employed = candidates.filter((person) => person.status !== 'terminated')
    if (employed.length === 1) return employed[0]!.remoteId
    return candidates.length === 1 ? candidates[0]!.remoteId : undefined
  }

  const managerOf = new Map<string, string>()
  const noManagerReason = new Map<string, string>()
  const unknown: Array<{ remoteId: string; warning: SyncWarning }> = []
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const { managerRemoteId, managerEmail } = person.employee
    const given = managerRemoteId ?? (normaliseEmail(managerEmail) === null ? null : managerEmail)
    const ref = managerRemoteId ?? (given === null ? null : resolveEmail(given))
    // R16: a self-manager counts as no manager.
    if (given === null || ref === person.remoteId) {
      noManagerReason.set(person.remoteId, REASON_NO_MANAGER)
    } else if (ref === undefined || ref === null || !persons.has(ref)) {
      noManagerReason.set(person.remoteId, REASON_UNKNOWN_MANAGER)
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
    } else {
      managerOf.set(person.remoteId, ref)
    }
  }

  // R16: everyone on a loop of two or more is treated as having no manager. Each chain is walked
  // once: `state` marks the persons of the walk in progress (open) and those already settled (done).
  const loops: Array<{ remoteId: string; warning: SyncWarning }> = []
  const state = new Map<string, 'open' | 'done'>()
  for (let index = 0; index < ordered.length; index++) {
    const path: string[] = []
    let at: string | undefined = ordered[index]!.remoteId
    while (at !== undefined && !state.has(at)) {
      state.set(at, 'open')
      path.push(at)
      at = managerOf.get(at)
    }
    if (at !== undefined && state.get(at) === 'open') {
      const loop = path.slice(path.indexOf(at))
      const first = loop.indexOf([...loop].sort(compare)[0]!)
      const inOrder = [...loop.slice(first), ...loop.slice(0, first)]
      for (const remoteId of inOrder) {
        managerOf.delete(remoteId)
        noManagerReason.set(remoteId, REASON_LOOP)
      }
      if (inOrder.some((remoteId) => persons.get(remoteId)!.status !== 'terminated')) {
        const names = inOrder.map((remoteId) => personName(persons.get(remoteId)!))
        loops.push({
          remoteId: inOrder[0]!,
          warning: {
            code: 'manager_loop',
            message: `Loop in the manager chain: ${[...names, names[0]].join(' -> ')}`,
            remoteIds: inOrder,
          },
        })
      }
    }
    for (const remoteId of path) state.set(remoteId, 'done')
  }
  // Reported in remoteId order (a loop by its first member), whatever order HR listed people in.
  const inRemoteIdOrder = (found: Array<{ remoteId: string; warning: SyncWarning }>) =>
    found.sort((a, b) => compare(a.remoteId, b.remoteId)).map(({ warning }) => warning)
  const warnings = [...inRemoteIdOrder(unknown), ...inRemoteIdOrder(loops)]
  return { persons, managerOf, noManagerReason, warnings }
}

/** A synced team as the hierarchy wants it. */
export interface DesiredTeam {
  /** the manager's remoteId */
  key: string
  name: string
  managerName: string
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

/** R12, R13, R14: one team per manager, its reviewer, its members; the rest in Unassigned. */
export function layoutTeams(
  chart: OrgChart,
  users: ProjectedUser[],
  integrationId: string,
  current: { teams: DirectoryTeam[]; usePins: boolean },
): TeamLayout {
  const linked = new Map<string, ProjectedUser>()
  for (const projected of users) {
    const link = projected.user.link
    if (link?.integrationId === integrationId) linked.set(link.remoteId, projected)
  }
  // R14: skip-level — the nearest eligible reviewer from the manager upwards.
  const reviewerFor = (managerRemoteId: string): ProjectedUser | null => {
    const seen = new Set<string>()
    for (
      let at: string | undefined = managerRemoteId;
      at !== undefined && !seen.has(at);
      at = chart.managerOf.get(at)
    ) {
      seen.add(at)
      const candidate = linked.get(at)
      if (candidate !== undefined && isEligibleReviewer(candidate.user)) return candidate
    }
    return null
  }

  const keys = new Set<string>()
  for (const [remoteId, manager] of chart.managerOf) {
    if (chart.persons.get(remoteId)!.status !== 'terminated') keys.add(manager)
  }
  const teams = new Map<string, DesiredTeam>()
  for (const key of [...keys].sort(compare)) {
    const managerName = personName(chart.persons.get(key)!)
    teams.set(key, {
      key,
      name: `${managerName}'s team`,
      managerName,
      reviewer: reviewerFor(key),
      members: [],
    })
  }

  const unassigned: ProjectedUser[] = []
  const reasons = new Map<string, string>()
  const toUnassigned = (projected: ProjectedUser, reason: string) => {
    unassigned.push(projected)
    reasons.set(userRefKey(projected.ref), reason)
  }
  const syncedTeams = current.teams
    .filter((team) => team.kind === 'synced' && team.key !== null && teams.has(team.key))
    .sort((a, b) => compare(a.key!, b.key!))
  const ordered = [...users].sort((a, b) => compare(userRefKey(a.ref), userRefKey(b.ref)))
  for (const projected of ordered) {
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
    const person = chart.persons.get(user.link.remoteId)
    if (person !== undefined && person.status !== 'terminated') {
      const manager = chart.managerOf.get(person.remoteId)
      if (manager === undefined)
        toUnassigned(projected, chart.noManagerReason.get(person.remoteId) ?? REASON_NO_MANAGER)
      else teams.get(manager)!.members.push(projected)
      continue
    }
    // Still a user but no longer in HR (removal held, last admin, skipped record): keeps its place until decided.
    const keep = syncedTeams.find((team) => team.memberUserIds.includes(user.id))
    if (keep === undefined) toUnassigned(projected, REASON_NOT_IN_HR)
    else teams.get(keep.key!)!.members.push(projected)
  }
  return { teams, unassigned, reasons }
}

function refsOf(users: ProjectedUser[]): UserRef[] {
  return users.map((projected) => projected.ref)
}

function sameMembers(current: string[], wanted: UserRef[]): boolean {
  const a = [...current].sort(compare)
  const b = wanted.map(userRefKey).sort(compare)
  return a.length === b.length && a.every((id, i) => id === b[i])
}

function reviewerReason(team: DesiredTeam): string {
  const reviewer = team.reviewer
  if (reviewer === null) return `Nobody from ${team.managerName} upwards can review (no active account)`
  if (reviewer.user.link?.remoteId === team.key) return `${team.managerName} reviews their team`
  return `${team.managerName} cannot review; ${userName(reviewer.user)} is the nearest eligible manager above`
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
  // The reviewer of Unassigned is the admin's choice; it is only cleared when that user loses access.
  const reviewerId = unassigned.reviewerUserId
  if (reviewerId !== null && !users.some(({ user }) => user.id === reviewerId && user.status === 'active')) {
    changes.push({
      kind: 'set_reviewer',
      teamId: unassigned.id,
      fromUserId: reviewerId,
      to: null,
      reason: 'The reviewer of Unassigned no longer has access; an admin picks a new one',
    })
  }
  if (!sameMembers(unassigned.memberUserIds, members)) {
    changes.push({ kind: 'set_members', teamId: unassigned.id, members })
  }
  return changes
}

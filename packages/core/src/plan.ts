import { todayIn } from './dates.js'
import type { Change, Directory, Snapshot, SyncPlan, SyncSettings, SyncWarning } from './directory.js'
import { linkedCount, type PeoplePlan, type ProjectedUser, planPeople, projectUsers } from './people.js'
import { buildOrgChart, layoutTeams, type OrgChart, ordinaryReviewerChanges, teamChanges } from './teams.js'

/** Everything a run knows before it decides on teams: shared by plan() and the team sync setup. */
export interface Assessment {
  failure: string | null
  today: string
  people: PeoplePlan | null
  /** the manager hierarchy; built only when teams are asked for */
  chart: OrgChart | null
  /** the users as they will be once the people changes are applied; listed only when teams are asked for */
  users: ProjectedUser[]
  /** the people warnings, and the hierarchy's when teams are asked for */
  warnings: SyncWarning[]
}

/** R5: a failed, partial or empty pull is never read as "everyone left". */
function failureOf(snapshot: Snapshot, directory: Directory, settings: SyncSettings): string | null {
  if (snapshot.integrationId !== settings.integrationId) {
    return `The snapshot belongs to integration ${snapshot.integrationId}, not ${settings.integrationId}`
  }
  if (!snapshot.complete)
    return snapshot.failure ?? `The pull from ${snapshot.source} did not read every page`
  if (snapshot.employees.length === 0) {
    const linked = linkedCount(directory.users, snapshot.integrationId)
    if (linked === 0) return null
    return `${snapshot.source} returned nobody while ${linked} users are linked; an empty list is treated as a failed pull`
  }
  return null
}

export function assess(
  snapshot: Snapshot,
  directory: Directory,
  settings: SyncSettings,
  now: Date,
  teams: boolean,
): Assessment {
  const today = todayIn(settings.timeZone, now)
  const failure = failureOf(snapshot, directory, settings)
  if (failure !== null) {
    return {
      failure,
      today,
      people: null,
      chart: null,
      users: teams ? projectUsers(directory.users, [], snapshot.integrationId) : [],
      warnings: [{ code: 'pull_failed', message: failure, remoteIds: [] }],
    }
  }
  const people = planPeople(snapshot, directory.users, settings, today)
  if (!teams) return { failure: null, today, people, chart: null, users: [], warnings: people.warnings }
  const chart = buildOrgChart(people.matching.persons)
  return {
    failure: null,
    today,
    people,
    chart,
    users: projectUsers(directory.users, people.changes, snapshot.integrationId),
    warnings: [...people.warnings, ...chart.warnings],
  }
}

/** The order changes are listed and applied in: users before teams, a revocation before its removal. */
const KIND_ORDER: Record<Change['kind'], number> = {
  create_user: 0,
  link_user: 1,
  update_person: 2,
  update_name: 3,
  revoke_invitation: 4,
  deactivate_user: 5,
  remove_user: 6,
  unlink_user: 7,
  create_team: 8,
  rename_team: 9,
  set_reviewer: 10,
  set_members: 11,
  pin_team: 12,
  convert_team: 13,
  delete_team: 14,
}

function subjectOf(change: Change): string {
  if ('userId' in change) return change.userId
  if ('teamId' in change) return change.teamId
  return change.kind === 'create_user' ? change.newUserKey : change.key
}

/**
 * Sorts changes by kind, then by the user or team they touch: the same input always gives the same
 * plan. The sort is stable, so changes of one kind to one subject keep the order they were made in.
 */
export function orderChanges(changes: Change[]): Change[] {
  return [...changes].sort((a, b) => {
    const byKind = KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    if (byKind !== 0) return byKind
    const x = subjectOf(a)
    const y = subjectOf(b)
    return x < y ? -1 : x > y ? 1 : 0
  })
}

const TEAM_KINDS = new Set<Change['kind']>([
  'create_team',
  'rename_team',
  'set_reviewer',
  'set_members',
  'delete_team',
  'convert_team',
])

/**
 * What one run changes. In rule order:
 * - R5: a failed, partial or empty pull changes nothing (`failureOf`);
 * - R1–R3, R10–R12: who is who, and who is gone (`matchPeople` in match.ts);
 * - R4, R6, R8, R9, R17, R20: what each user gets or loses, R5's mass-removal hold (`planPeople`);
 * - R13–R16, Unassigned, R12 placements, when team sync is on (`buildOrgChart`, `layoutTeams`, `teamChanges`).
 * R19: SCIM snapshots go through this same function. R7 and R18 are `previewDisconnect` and `stopTeamSync`.
 */
export function plan(snapshot: Snapshot, directory: Directory, settings: SyncSettings, now: Date): SyncPlan {
  // Loops and unknown managers matter only to teams: reported while team sync is on.
  const assessment = assess(snapshot, directory, settings, now, settings.teamSync)
  const { people, chart, users, warnings } = assessment
  if (assessment.failure !== null || people === null) {
    return {
      integrationId: snapshot.integrationId,
      ok: false,
      failure: assessment.failure ?? 'The pull failed',
      changes: [],
      warnings: assessment.warnings,
      held: [],
      counts: {
        persons: snapshot.employees.length,
        linked: linkedCount(directory.users, snapshot.integrationId),
        created: 0,
        deactivated: 0,
        removed: 0,
        held: 0,
        warnings: assessment.warnings.length,
        teamsChanged: 0,
      },
    }
  }

  const changes = [...people.changes]
  if (chart !== null) {
    const layout = layoutTeams(chart, users, snapshot.integrationId, {
      teams: directory.teams,
      usePins: true,
    })
    changes.push(...teamChanges(layout, directory.teams, users))
  }
  changes.push(
    ...ordinaryReviewerChanges(
      directory,
      people.changes,
      snapshot.integrationId,
      () => chart ?? buildOrgChart(people.matching.persons),
    ),
  )
  const ordered = orderChanges(changes)
  const count = (kind: Change['kind']) => ordered.filter((change) => change.kind === kind).length
  const teamsChanged = new Set(
    ordered
      .filter((change) => TEAM_KINDS.has(change.kind))
      .map((change) => `${change.kind === 'create_team' ? 'new:' : ''}${subjectOf(change)}`),
  ).size
  return {
    integrationId: snapshot.integrationId,
    ok: true,
    changes: ordered,
    warnings,
    held: people.held,
    counts: {
      persons: snapshot.employees.length,
      linked: people.linked,
      created: count('create_user'),
      deactivated: count('deactivate_user'),
      removed: count('remove_user'),
      held: people.held.length,
      warnings: warnings.length,
      teamsChanged,
    },
  }
}

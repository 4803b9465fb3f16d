import {
  type Change,
  type Directory,
  type DirectoryTeam,
  type DirectoryUser,
  type Snapshot,
  type SyncSettings,
  type TeamPreview,
  UNASSIGNED_TEAM_KEY,
  type UserRef,
} from './directory.js'
import { userName } from './match.js'
import { userRefKey } from './people.js'
import { assess } from './plan.js'
import { layoutTeams, REASON_APP_ONLY, reviewerNote, UNASSIGNED_TEAM_NAME } from './teams.js'

export type TeamSyncErrorCode =
  | 'unknown_user'
  | 'not_app_only'
  | 'unknown_team'
  | 'invalid_reviewer'
  /** the company changed since the preview in a way that undoes the admin's choices */
  | 'preview_changed'

/** A setup review the planner cannot carry out; the message says what to fix. */
export class TeamSyncError extends Error {
  override readonly name = 'TeamSyncError'
  constructor(
    readonly code: TeamSyncErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Setup: what finishing would build (teams, reviewers, Unassigned) and which app teams it deletes. Changes nothing. */
export function previewTeamSync(
  snapshot: Snapshot,
  directory: Directory,
  settings: SyncSettings,
  now: Date,
): TeamPreview {
  const assessment = assess(snapshot, directory, settings, now, true)
  const deletes = directory.teams.map((team) => team.id).sort()
  if (assessment.chart === null) {
    return {
      teams: [],
      unassigned: { members: [], reviewer: null, reasons: {} },
      deletes,
      warnings: assessment.warnings,
    }
  }
  // R12: when team sync starts, app-only users land in Unassigned; earlier placements do not carry over.
  const layout = layoutTeams(assessment.chart, assessment.users, snapshot.integrationId, {
    teams: [],
    usePins: false,
  })
  return {
    teams: [...layout.teams.values()].map((team) => ({
      key: team.key,
      name: team.name,
      reviewer: team.reviewer?.ref ?? null,
      reviewerNote: reviewerNote(team),
      members: team.members.map((member) => member.ref),
    })),
    unassigned: {
      members: layout.unassigned.map((member) => member.ref),
      reviewer: null,
      reasons: Object.fromEntries(layout.reasons),
    },
    deletes,
    warnings: assessment.warnings,
  }
}

/** The admin's review of Unassigned: its reviewer, and where app-only users go (user id -> team key). */
export interface TeamSyncReview {
  unassignedReviewerUserId?: string | null
  placements?: Record<string, string>
}

/** Whoever the admin may choose as Unassigned's reviewer: a user who has access. */
export function canReviewUnassigned(user: DirectoryUser | undefined): boolean {
  return user?.status === 'active'
}

/** The users a preview names, by id: whoever the admin saw when choosing. */
function usersShown(preview: TeamPreview): Set<string> {
  const shown = new Set<string>()
  const add = (ref: UserRef | null) => {
    if (ref !== null && 'userId' in ref) shown.add(ref.userId)
  }
  for (const team of preview.teams) {
    add(team.reviewer)
    team.members.forEach(add)
  }
  add(preview.unassigned.reviewer)
  preview.unassigned.members.forEach(add)
  return shown
}

/**
 * Finishing setup: the app's teams are deleted (their reviewers no longer apply to expenses already
 * submitted), the synced teams and Unassigned are created, and placements of app-only users are pinned.
 *
 * `present` is the layout of the directory as it is now; `shown`, the preview the admin reviewed
 * (the same when omitted). What changed since is laid out anew, unless it undoes the admin's choices:
 * a placed user or the chosen reviewer gone, a placement's team gone, or an app team the admin was
 * not shown about to be deleted. Then `TeamSyncError('preview_changed')` says what changed, and the
 * admin reviews `present` instead.
 */
export function finishTeamSync(
  present: TeamPreview,
  review: TeamSyncReview,
  directory: Directory,
  shown: TeamPreview = present,
): Change[] {
  const users = new Map(directory.users.map((user) => [user.id, user]))
  const teamKeys = new Set(present.teams.map((team) => team.key))
  const unassigned = new Set(present.unassigned.members.map(userRefKey))
  const wasShown = usersShown(shown)
  const changed: string[] = []

  const placed = new Map<string, string>()
  for (const [userId, teamKey] of Object.entries(review.placements ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const user = users.get(userId)
    // the admin could place this user when choosing: if that no longer holds, the company changed
    const wasPlaceable = shown.unassigned.reasons[userId] === REASON_APP_ONLY
    if (user === undefined || user.status === 'deactivated') {
      const who = user === undefined ? `User ${userId}` : userName(user)
      if (wasPlaceable) {
        changed.push(`${who}, placed in a team, no longer has access`)
        continue
      }
      throw new TeamSyncError(
        'unknown_user',
        user === undefined ? `No user ${userId} in this company` : `${who} no longer has access`,
      )
    }
    if (user.link !== null || !unassigned.has(userId)) {
      if (wasPlaceable) {
        changed.push(`${userName(user)} is now in HR: their team follows their manager there`)
        continue
      }
      throw new TeamSyncError(
        'not_app_only',
        `${userName(user)} is placed by HR: change their manager in HR to move them`,
      )
    }
    if (teamKey === UNASSIGNED_TEAM_KEY) continue
    if (teamKeys.has(teamKey)) placed.set(userId, teamKey)
    else if (shown.teams.some((team) => team.key === teamKey)) {
      changed.push(`The team ${userName(user)} was placed in is gone: nobody in HR reports to its manager`)
    } else throw new TeamSyncError('unknown_team', `No team ${teamKey} in the preview`)
  }

  let reviewer = present.unassigned.reviewer
  if (review.unassignedReviewerUserId !== undefined) {
    const id = review.unassignedReviewerUserId
    const user = id === null ? undefined : users.get(id)
    if (id !== null && !canReviewUnassigned(user)) {
      if (wasShown.has(id) && user?.status !== 'uninvited' && user?.status !== 'invited') {
        changed.push(
          `${user === undefined ? `User ${id}` : userName(user)}, chosen to review Unassigned, no longer has access`,
        )
      } else {
        throw new TeamSyncError(
          'invalid_reviewer',
          `The reviewer of Unassigned must be an active user (${id} is not)`,
        )
      }
    }
    reviewer = id === null ? null : { userId: id }
  }

  const deletable = new Set(shown.deletes)
  for (const teamId of present.deletes) {
    if (deletable.has(teamId)) continue
    const name = directory.teams.find((team) => team.id === teamId)?.name ?? teamId
    changed.push(`The team ${name} was made after the preview and would be deleted`)
  }
  if (changed.length > 0) {
    throw new TeamSyncError(
      'preview_changed',
      `The company changed since the preview: ${changed.join('; ')}. Review the new preview and finish again`,
    )
  }

  const changes: Change[] = present.deletes.map((teamId) => ({
    kind: 'delete_team',
    teamId,
    reason: 'Team sync replaced the app teams: their reviewers no longer apply to expenses already submitted',
  }))
  for (const team of [...present.teams].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const extra: UserRef[] = [...placed].filter(([, key]) => key === team.key).map(([userId]) => ({ userId }))
    changes.push({
      kind: 'create_team',
      key: team.key,
      name: team.name,
      reviewer: team.reviewer,
      members: [...team.members, ...extra],
    })
  }
  changes.push({
    kind: 'create_team',
    key: UNASSIGNED_TEAM_KEY,
    name: UNASSIGNED_TEAM_NAME,
    reviewer,
    members: present.unassigned.members.filter((ref) => !placed.has(userRefKey(ref))),
  })
  // R12: later runs keep these placements; placements from an earlier setup are cleared.
  for (const user of [...directory.users].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (user.link !== null) continue
    const teamKey = placed.get(user.id) ?? null
    if (teamKey !== user.pinnedTeamKey) changes.push({ kind: 'pin_team', userId: user.id, teamKey })
  }
  return changes
}

/** An admin's edit of a team, or a new ordinary team's fields. */
export interface TeamEdit {
  name?: string
  reviewerUserId?: string | null
  memberUserIds?: string[]
}

/** What an edit writes: the edit, and for a renamed synced team the mark that keeps its name (R13). */
export type TeamUpdate = TeamEdit & { nameOverridden?: boolean }

/** The integration whose team sync is on, and its HR system's name for the reasons given. */
export interface TeamSyncOn {
  integrationId: string
  source: string
}

export type TeamEditErrorCode =
  | 'unknown_user'
  | 'invalid_reviewer'
  /** a synced team's members or reviewer, Unassigned's members or name: team sync decides them */
  | 'team_managed_by_hr_sync'
  /** a synced person placed in another team: their team follows their manager in HR */
  | 'person_managed_by_hr_sync'

/** An edit the rules refuse; the message says why and what to do instead. */
export class TeamEditError extends Error {
  override readonly name = 'TeamEditError'
  constructor(
    readonly code: TeamEditErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * What an admin may change on a team (`team` null: a new ordinary team). While team sync is on:
 * a synced team can be renamed, and the name is kept on later runs (R13), but its members and
 * reviewer follow HR; Unassigned's reviewer can be changed to a user with access; and a synced person
 * belongs to the team HR gives them alone, so ordinary teams take app-only users only.
 * `users` holds the users the edit names, by id; a missing one is unknown.
 */
export function planTeamEdit(
  team: DirectoryTeam | null,
  edit: TeamEdit,
  users: ReadonlyMap<string, DirectoryUser>,
  teamSync: TeamSyncOn | null,
): TeamUpdate {
  const named = [edit.reviewerUserId, ...(edit.memberUserIds ?? [])]
  for (const id of named) {
    if (id != null && !users.has(id)) throw new TeamEditError('unknown_user', `No user ${id} in this company`)
  }
  const source = teamSync?.source ?? 'the HR system'
  const managed = (message: string) => new TeamEditError('team_managed_by_hr_sync', message)
  if (team?.kind === 'synced') {
    if (edit.memberUserIds !== undefined) {
      throw managed(`Team sync is on: move people by changing their manager in ${source}`)
    }
    if (edit.reviewerUserId !== undefined) {
      throw managed(`Team sync is on: a team's reviewer follows the manager chain in ${source}`)
    }
    return edit.name === undefined ? {} : { name: edit.name, nameOverridden: true }
  }
  if (team?.kind === 'unassigned') {
    if (edit.memberUserIds !== undefined) {
      throw managed(`Team sync is on: people leave Unassigned when their manager is set in ${source}`)
    }
    if (edit.name !== undefined) throw managed('Unassigned keeps its name: only its reviewer can be changed')
    const id = edit.reviewerUserId
    if (id != null && !canReviewUnassigned(users.get(id))) {
      throw new TeamEditError(
        'invalid_reviewer',
        `The reviewer of Unassigned must be an active user (${userName(users.get(id)!)} is not)`,
      )
    }
    return id === undefined ? {} : { reviewerUserId: id }
  }
  for (const id of edit.memberUserIds ?? []) {
    const user = users.get(id)!
    if (teamSync !== null && user.link?.integrationId === teamSync.integrationId) {
      throw new TeamEditError(
        'person_managed_by_hr_sync',
        `${userName(user)} is in ${source}: while team sync is on, their team follows their manager there`,
      )
    }
  }
  return { ...edit }
}

/** R18: synced teams become ordinary with their members and reviewers; an empty Unassigned goes. */
export function stopTeamSync(directory: Directory): Change[] {
  const changes: Change[] = []
  for (const team of [...directory.teams].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (team.kind === 'synced') changes.push({ kind: 'convert_team', teamId: team.id, to: 'ordinary' })
    if (team.kind !== 'unassigned') continue
    changes.push(
      team.memberUserIds.length === 0
        ? { kind: 'delete_team', teamId: team.id, reason: 'Team sync stopped and Unassigned was empty' }
        : { kind: 'convert_team', teamId: team.id, to: 'ordinary' },
    )
  }
  return changes
}

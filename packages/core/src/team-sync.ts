import {
  type Change,
  type Directory,
  type Snapshot,
  type SyncSettings,
  type TeamPreview,
  UNASSIGNED_TEAM_KEY,
  type UserRef,
} from './directory.js'
import { userName } from './match.js'
import { userRefKey } from './people.js'
import { assess } from './plan.js'
import { layoutTeams, UNASSIGNED_TEAM_NAME } from './teams.js'

export type TeamSyncErrorCode = 'unknown_user' | 'not_app_only' | 'unknown_team' | 'invalid_reviewer'

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

/**
 * Finishing setup: the app's teams are deleted (their reviewers no longer apply to expenses already
 * submitted), the synced teams and Unassigned are created, and placements of app-only users are pinned.
 */
export function finishTeamSync(preview: TeamPreview, review: TeamSyncReview, directory: Directory): Change[] {
  const users = new Map(directory.users.map((user) => [user.id, user]))
  const teamKeys = new Set(preview.teams.map((team) => team.key))
  const unassigned = new Set(preview.unassigned.members.map(userRefKey))

  const placed = new Map<string, string>()
  for (const [userId, teamKey] of Object.entries(review.placements ?? {}).sort(([a], [b]) =>
    a < b ? -1 : 1,
  )) {
    const user = users.get(userId)
    if (user === undefined) throw new TeamSyncError('unknown_user', `No user ${userId} in this company`)
    if (user.link !== null || !unassigned.has(userId)) {
      throw new TeamSyncError(
        'not_app_only',
        `${userName(user)} is placed by HR: change their manager in HR to move them`,
      )
    }
    if (teamKey !== UNASSIGNED_TEAM_KEY && !teamKeys.has(teamKey)) {
      throw new TeamSyncError('unknown_team', `No team ${teamKey} in the preview`)
    }
    if (teamKey !== UNASSIGNED_TEAM_KEY) placed.set(userId, teamKey)
  }

  let reviewer = preview.unassigned.reviewer
  if (review.unassignedReviewerUserId !== undefined) {
    const id = review.unassignedReviewerUserId
    const user = id === null ? undefined : users.get(id)
    if (id !== null && user?.status !== 'active') {
      throw new TeamSyncError(
        'invalid_reviewer',
        `The reviewer of Unassigned must be an active user (${id} is not)`,
      )
    }
    reviewer = id === null ? null : { userId: id }
  }

  const changes: Change[] = preview.deletes.map((teamId) => ({
    kind: 'delete_team',
    teamId,
    reason: 'Team sync replaced the app teams: their reviewers no longer apply to expenses already submitted',
  }))
  for (const team of [...preview.teams].sort((a, b) => (a.key < b.key ? -1 : 1))) {
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
    members: preview.unassigned.members.filter((ref) => !placed.has(userRefKey(ref))),
  })
  // R12: later runs keep these placements; placements from an earlier setup are cleared.
  for (const user of [...directory.users].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (user.link !== null) continue
    const teamKey = placed.get(user.id) ?? null
    if (teamKey !== user.pinnedTeamKey) changes.push({ kind: 'pin_team', userId: user.id, teamKey })
  }
  return changes
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

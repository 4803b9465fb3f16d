import { describe, expect, it } from 'vitest'
import type { Directory, DirectoryUser, TeamSyncOn } from '../src/index.js'
import {
  finishTeamSync,
  planTeamEdit,
  previewTeamSync,
  stopTeamSync,
  UNASSIGNED_TEAM_KEY,
} from '../src/index.js'
import {
  appUser,
  INTEGRATION,
  NOW,
  org,
  person,
  settings,
  snapshot,
  syncedDirectory,
  team,
  userOf,
} from './build.js'

// The setup review (steps 1–3), the edits allowed while team sync is on (step 4) and R18, in the
// words an admin reads.

const on = settings({ teamSync: true })
const HR: TeamSyncOn = { integrationId: INTEGRATION, source: 'Personio' }

const start = (): Directory => syncedDirectory(org(), {}, { extraUsers: [appUser('zoe'), appUser('max')] })
const withUser = (directory: Directory, id: string, fields: Partial<DirectoryUser>): Directory => ({
  ...directory,
  users: directory.users.map((user) => (user.id === id ? { ...user, ...fields } : user)),
})
const byId = (directory: Directory) => new Map(directory.users.map((user) => [user.id, user]))
const changedSince = (what: string) =>
  expect.objectContaining({
    code: 'preview_changed',
    message: `The company changed since the preview: ${what}. Review the new preview and finish again`,
  })

describe('Setup finish: what changed since the preview, in words', () => {
  it('Setup finish: a placed user linked to HR since the preview answers preview_changed', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const now = withUser(before, 'zoe', { link: { integrationId: INTEGRATION, remoteId: 'zoe' } })
    const withZoe = [...org(), person('zoe', { managerRemoteId: 'ana' })]
    const present = previewTeamSync(snapshot(withZoe), now, on, NOW)
    expect(() => finishTeamSync(present, { placements: { zoe: 'ben' } }, now, shown)).toThrow(
      changedSince('Zoe Doe is now in HR: their team follows their manager there'),
    )
  })

  it('Setup finish: a placement whose team is gone since the preview answers preview_changed', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    // Dan now reports to Ana: nobody reports to Ben any more
    const present = previewTeamSync(snapshot(org({ dan: { managerRemoteId: 'ana' } })), before, on, NOW)
    expect(() => finishTeamSync(present, { placements: { zoe: 'ben' } }, before, shown)).toThrow(
      changedSince('The team Zoe Doe was placed in is gone: nobody in HR reports to its manager'),
    )
  })

  it('Setup finish: a placed user deactivated since the preview, and a chosen reviewer deleted, are both named', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const zoeGone = withUser(before, 'zoe', { status: 'deactivated' })
    const now = { ...zoeGone, users: zoeGone.users.filter((user) => user.id !== 'max') }
    const present = previewTeamSync(snapshot(org()), now, on, NOW)
    expect(() =>
      finishTeamSync(present, { placements: { zoe: 'ana' }, unassignedReviewerUserId: 'max' }, now, shown),
    ).toThrow(
      changedSince(
        'Zoe Doe, placed in a team, no longer has access; User max, chosen to review Unassigned, no longer has access',
      ),
    )
  })

  it('Setup finish: placing a user the preview never offered, or in a team it never showed, is bad input', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    expect(() => finishTeamSync(preview, { placements: { ghost: 'ana' } }, directory)).toThrow(
      expect.objectContaining({ code: 'unknown_user', message: 'No user ghost in this company' }),
    )
    const gone = withUser(directory, 'zoe', { status: 'deactivated' })
    const goneShown = previewTeamSync(snapshot(org()), gone, on, NOW)
    expect(() => finishTeamSync(goneShown, { placements: { zoe: 'ana' } }, gone)).toThrow(
      expect.objectContaining({ code: 'unknown_user', message: 'Zoe Doe no longer has access' }),
    )
    expect(() => finishTeamSync(preview, { placements: { zoe: 'nope' } }, directory)).toThrow(
      expect.objectContaining({ code: 'unknown_team', message: 'No team nope in the preview' }),
    )
    const ben = userOf(directory, 'ben').id
    expect(() => finishTeamSync(preview, { placements: { [ben]: 'ceo' } }, directory)).toThrow(
      expect.objectContaining({
        code: 'not_app_only',
        message: 'Ben Doe is placed by HR: change their manager in HR to move them',
      }),
    )
  })

  it('Setup finish: an invited user the preview showed cannot review Unassigned: bad input, not a change', () => {
    const before = syncedDirectory(org(), { cy: 'invited' })
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const cy = userOf(before, 'cy').id
    expect(() => finishTeamSync(shown, { unassignedReviewerUserId: cy }, before, shown)).toThrow(
      expect.objectContaining({
        code: 'invalid_reviewer',
        message: `The reviewer of Unassigned must be an active user (${cy} is not)`,
      }),
    )
  })

  it('R12 app-only users: placed in Unassigned, a user stays there unpinned; an earlier placement is cleared', () => {
    const directory = withUser(start(), 'max', { pinnedTeamKey: 'ana' })
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    const changes = finishTeamSync(preview, { placements: { zoe: UNASSIGNED_TEAM_KEY } }, directory)
    const unassigned = changes.find(
      (change) => change.kind === 'create_team' && change.key === UNASSIGNED_TEAM_KEY,
    )
    expect(unassigned).toMatchObject({ name: 'Unassigned', reviewer: null })
    expect(unassigned?.kind === 'create_team' && unassigned.members).toContainEqual({ userId: 'zoe' })
    expect(changes.filter((change) => change.kind === 'pin_team')).toEqual([
      { kind: 'pin_team', userId: 'max', teamKey: null },
    ])
  })

  it('R12 app-only users: placements are applied in each team, whatever order the admin gave them in', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    const changes = finishTeamSync(preview, { placements: { zoe: 'ben', max: 'ana' } }, directory)
    const membersOf = (key: string) =>
      changes.flatMap((change) => (change.kind === 'create_team' && change.key === key ? change.members : []))
    expect(membersOf('ana')).toContainEqual({ userId: 'max' })
    expect(membersOf('ana')).not.toContainEqual({ userId: 'zoe' })
    expect(membersOf('ben')).toContainEqual({ userId: 'zoe' })
    expect(membersOf(UNASSIGNED_TEAM_KEY)).not.toContainEqual({ userId: 'zoe' })
    expect(changes.filter((change) => change.kind === 'pin_team')).toEqual([
      { kind: 'pin_team', userId: 'max', teamKey: 'ana' },
      { kind: 'pin_team', userId: 'zoe', teamKey: 'ben' },
    ])
    expect(changes.filter((change) => change.kind === 'create_team').map((change) => change.key)).toEqual([
      'ana',
      'ben',
      'ceo',
      UNASSIGNED_TEAM_KEY,
    ])
  })
})

describe('Setup preview', () => {
  it('Setup preview: on a failed pull it shows no teams, says why, and still lists the app teams in id order', () => {
    const directory = { ...start(), teams: [team('t-b'), team('t-a')] }
    const preview = previewTeamSync(snapshot(org(), { complete: false }), directory, on, NOW)
    expect(preview).toEqual({
      teams: [],
      unassigned: { members: [], reviewer: null, reasons: {} },
      deletes: ['t-a', 't-b'],
      warnings: [
        { code: 'pull_failed', message: 'The pull from Personio did not read every page', remoteIds: [] },
      ],
    })
  })

  it('R12 app-only users: a new setup starts from scratch, so an earlier placement shows in Unassigned', () => {
    const directory = withUser(start(), 'zoe', { pinnedTeamKey: 'ana' })
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    expect(preview.unassigned.members).toContainEqual({ userId: 'zoe' })
    expect(preview.unassigned.reasons.zoe).toBe('added in the app, not in HR')
    expect(preview.teams.find((t) => t.key === 'ana')?.members).not.toContainEqual({ userId: 'zoe' })
  })
})

describe('Team sync on: what an admin may edit, in words', () => {
  const synced = () => syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })
  const teamOf = (directory: Directory, key: string) => directory.teams.find((t) => t.key === key)!

  it('R13 rename: a synced team refuses a reviewer, saying it follows the manager chain; no edit writes nothing', () => {
    const directory = synced()
    const ana = teamOf(directory, 'ana')
    expect(() => planTeamEdit(ana, { reviewerUserId: 'zoe' }, byId(directory), HR)).toThrow(
      expect.objectContaining({
        code: 'team_managed_by_hr_sync',
        message: "Team sync is on: a team's reviewer follows the manager chain in Personio",
      }),
    )
    expect(() => planTeamEdit(ana, { memberUserIds: [] }, byId(directory), null)).toThrow(
      expect.objectContaining({
        message: 'Team sync is on: move people by changing their manager in the HR system',
      }),
    )
    expect(planTeamEdit(ana, {}, byId(directory), HR)).toEqual({})
  })

  it('Unassigned: keeps its name and its members; its reviewer is set or cleared', () => {
    const directory = synced()
    const unassigned = teamOf(directory, UNASSIGNED_TEAM_KEY)
    expect(() => planTeamEdit(unassigned, { name: 'Nobody' }, byId(directory), HR)).toThrow(
      expect.objectContaining({
        code: 'team_managed_by_hr_sync',
        message: 'Unassigned keeps its name: only its reviewer can be changed',
      }),
    )
    expect(() => planTeamEdit(unassigned, { memberUserIds: ['zoe'] }, byId(directory), HR)).toThrow(
      expect.objectContaining({
        message: 'Team sync is on: people leave Unassigned when their manager is set in Personio',
      }),
    )
    expect(planTeamEdit(unassigned, { reviewerUserId: null }, byId(directory), HR)).toEqual({
      reviewerUserId: null,
    })
    expect(planTeamEdit(unassigned, {}, byId(directory), HR)).toEqual({})
    const cy = userOf(directory, 'cy').id
    const uninvited = withUser(directory, cy, { status: 'uninvited' })
    expect(() => planTeamEdit(unassigned, { reviewerUserId: cy }, byId(uninvited), HR)).toThrow(
      expect.objectContaining({
        code: 'invalid_reviewer',
        message: 'The reviewer of Unassigned must be an active user (Cy Doe is not)',
      }),
    )
  })

  it('Team sync on: a member unknown to the company is refused by id', () => {
    const directory = synced()
    expect(() =>
      planTeamEdit(null, { name: 'Travel', memberUserIds: ['ghost'] }, byId(directory), HR),
    ).toThrow(expect.objectContaining({ code: 'unknown_user', message: 'No user ghost in this company' }))
    const ben = userOf(directory, 'ben').id
    expect(() => planTeamEdit(null, { memberUserIds: [ben] }, byId(directory), HR)).toThrow(
      expect.objectContaining({
        message: 'Ben Doe is in Personio: while team sync is on, their team follows their manager there',
      }),
    )
  })

  it('R18 stop team sync: an empty Unassigned is deleted with the reason; teams are taken in id order', () => {
    const directory = synced()
    const emptied = {
      ...directory,
      teams: directory.teams.map((t) => (t.key === UNASSIGNED_TEAM_KEY ? { ...t, memberUserIds: [] } : t)),
    }
    const changes = stopTeamSync(emptied)
    expect(changes).toContainEqual({
      kind: 'delete_team',
      teamId: teamOf(directory, UNASSIGNED_TEAM_KEY).id,
      reason: 'Team sync stopped and Unassigned was empty',
    })
    const teamIds = changes.map((change) => ('teamId' in change ? change.teamId : ''))
    expect(teamIds).toEqual([...teamIds].sort())
  })
})

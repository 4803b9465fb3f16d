import { describe, expect, it } from 'vitest'
import type { Directory, DirectoryUser, TeamSyncOn } from '../src/index.js'
import {
  finishTeamSync,
  plan,
  planTeamEdit,
  previewTeamSync,
  TeamEditError,
  UNASSIGNED_TEAM_KEY,
} from '../src/index.js'
import { applyChanges, applyPlan } from './apply.js'
import { appUser, INTEGRATION, NOW, org, settings, snapshot, syncedDirectory, team, userOf } from './build.js'

// What an admin does to teams around the sync: issue 19, items 2–5 and 8.

const on = settings({ teamSync: true })
const HR: TeamSyncOn = { integrationId: INTEGRATION, source: 'Personio' }

const byId = (directory: Directory) => new Map(directory.users.map((user) => [user.id, user]))
const withoutUser = (directory: Directory, id: string): Directory => ({
  ...directory,
  users: directory.users.filter((user) => user.id !== id),
})
const withUser = (directory: Directory, id: string, fields: Partial<DirectoryUser>): Directory => ({
  ...directory,
  users: directory.users.map((user) => (user.id === id ? { ...user, ...fields } : user)),
})

describe('issue 19 item 2: finishing setup lays the teams out again on the present directory', () => {
  const start = (): Directory =>
    syncedDirectory(org(), { cy: 'uninvited' }, { extraUsers: [appUser('zoe'), appUser('max')] })

  it('Setup finish: a leaver removed since the preview is in no team; the admin choices still apply', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    // a sync removed Cy, who left before being invited
    const cy = userOf(before, 'cy').id
    const now = withoutUser(before, cy)
    const leaverGone = org().filter((employee) => employee.remoteId !== 'cy')
    const present = previewTeamSync(snapshot(leaverGone), now, on, NOW)
    const changes = finishTeamSync(
      present,
      { unassignedReviewerUserId: 'max', placements: { zoe: 'ana' } },
      now,
      shown,
    )
    const after = applyChanges(now, changes, INTEGRATION)
    expect(after.teams.flatMap((t) => [...t.memberUserIds, t.reviewerUserId])).not.toContain(cy)
    expect(after.teams.find((t) => t.key === 'ana')?.memberUserIds).toContain('zoe')
    expect(after.teams.find((t) => t.key === UNASSIGNED_TEAM_KEY)?.reviewerUserId).toBe('max')
  })

  it('Setup finish: a placed user deleted since the preview answers preview_changed, naming them', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const now = withoutUser(before, 'zoe')
    const present = previewTeamSync(snapshot(org()), now, on, NOW)
    expect(() => finishTeamSync(present, { placements: { zoe: 'ana' } }, now, shown)).toThrow(
      expect.objectContaining({ code: 'preview_changed', message: expect.stringMatching(/User zoe/) }),
    )
  })

  it('Setup finish: a chosen reviewer deactivated since the preview answers preview_changed', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const now = withUser(before, 'max', { status: 'deactivated' })
    const present = previewTeamSync(snapshot(org()), now, on, NOW)
    expect(() => finishTeamSync(present, { unassignedReviewerUserId: 'max' }, now, shown)).toThrow(
      expect.objectContaining({ code: 'preview_changed', message: expect.stringMatching(/Max Doe/) }),
    )
  })

  it('Setup finish: an app team made after the preview is not deleted unseen', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const now = { ...before, teams: [team('t-new', { name: 'Travel' })] }
    const present = previewTeamSync(snapshot(org()), now, on, NOW)
    expect(() => finishTeamSync(present, {}, now, shown)).toThrow(
      expect.objectContaining({ code: 'preview_changed', message: expect.stringMatching(/Travel/) }),
    )
  })

  it('Setup finish: a reviewer who never had access is bad input, not a change', () => {
    const before = start()
    const shown = previewTeamSync(snapshot(org()), before, on, NOW)
    const cy = userOf(before, 'cy').id
    expect(() => finishTeamSync(shown, { unassignedReviewerUserId: cy }, before, shown)).toThrow(
      expect.objectContaining({ code: 'invalid_reviewer' }),
    )
  })
})

describe('issue 19 items 3–5: what an admin may edit while team sync is on', () => {
  const synced = () => syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })
  const teamOf = (directory: Directory, key: string) => directory.teams.find((t) => t.key === key)!

  it('R13 rename: a synced team can be renamed and the name survives syncs', () => {
    const directory = synced()
    const ana = teamOf(directory, 'ana')
    const update = planTeamEdit(ana, { name: 'Finance' }, byId(directory), HR)
    expect(update).toEqual({ name: 'Finance', nameOverridden: true })
    const renamed: Directory = {
      ...directory,
      teams: directory.teams.map((t) => (t.id === ana.id ? { ...t, ...update } : t)),
    }
    const married = org({ ana: { lastName: 'Stone' } })
    const next = applyPlan(renamed, plan(snapshot(married), renamed, on, NOW))
    expect(teamOf(next, 'ana').name).toBe('Finance')
  })

  it('R13 rename: a synced team keeps HR members and reviewer (409 team_managed_by_hr_sync)', () => {
    const directory = synced()
    const ana = teamOf(directory, 'ana')
    expect(() => planTeamEdit(ana, { memberUserIds: ['zoe'] }, byId(directory), HR)).toThrow(
      expect.objectContaining({
        code: 'team_managed_by_hr_sync',
        message: expect.stringMatching(/Personio/),
      }),
    )
    expect(() => planTeamEdit(ana, { reviewerUserId: 'zoe' }, byId(directory), HR)).toThrow(TeamEditError)
  })

  it('Team sync on: a new or edited ordinary team takes app-only users, never a synced person', () => {
    const directory = synced()
    const ben = userOf(directory, 'ben').id
    expect(() =>
      planTeamEdit(null, { name: 'Travel', memberUserIds: ['zoe', ben] }, byId(directory), HR),
    ).toThrow(
      expect.objectContaining({
        code: 'person_managed_by_hr_sync',
        message: expect.stringMatching(/Ben Doe/),
      }),
    )
    expect(planTeamEdit(null, { name: 'Travel', memberUserIds: ['zoe'] }, byId(directory), HR)).toEqual({
      name: 'Travel',
      memberUserIds: ['zoe'],
    })
    const travel = team('t-travel', { memberUserIds: ['zoe'] })
    expect(() => planTeamEdit(travel, { memberUserIds: [ben] }, byId(directory), HR)).toThrow(
      expect.objectContaining({ code: 'person_managed_by_hr_sync' }),
    )
    // with team sync off, people are placed freely
    expect(planTeamEdit(travel, { memberUserIds: [ben] }, byId(directory), null)).toEqual({
      memberUserIds: [ben],
    })
  })

  it('Unassigned: its reviewer can be changed after setup, to a user with access only', () => {
    const directory = withUser(synced(), 'zoe', {})
    const unassigned = teamOf(directory, UNASSIGNED_TEAM_KEY)
    expect(planTeamEdit(unassigned, { reviewerUserId: 'zoe' }, byId(directory), HR)).toEqual({
      reviewerUserId: 'zoe',
    })
    const gone = withUser(directory, 'zoe', { status: 'deactivated' })
    expect(() => planTeamEdit(unassigned, { reviewerUserId: 'zoe' }, byId(gone), HR)).toThrow(
      expect.objectContaining({ code: 'invalid_reviewer' }),
    )
    expect(() => planTeamEdit(unassigned, { memberUserIds: [] }, byId(directory), HR)).toThrow(
      expect.objectContaining({ code: 'team_managed_by_hr_sync' }),
    )
    expect(() => planTeamEdit(unassigned, { reviewerUserId: 'nobody' }, byId(directory), HR)).toThrow(
      expect.objectContaining({ code: 'unknown_user' }),
    )
  })
})

describe('issue 19 item 8: an ordinary team whose reviewer leaves', () => {
  it('R14 ordinary team: the reviewer who leaves stops reviewing; the skip-level manager is suggested', () => {
    const directory = syncedDirectory(org())
    const ana = userOf(directory, 'ana').id
    const ceo = userOf(directory, 'ceo').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ana })] }
    const result = plan(snapshot(org({ ana: { status: 'terminated' } })), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_reviewer',
      teamId: 't-ops',
      fromUserId: ana,
      to: null,
      suggested: { userId: ceo },
      reason:
        'Ana Doe left and no longer reviews Ops; Ceo Doe, the nearest eligible manager above, is suggested',
    })
    const after = applyPlan(withTeam, result)
    expect(after.teams[0]?.reviewerUserId).toBeNull()
    expect(plan(snapshot(org({ ana: { status: 'terminated' } })), after, settings(), NOW).changes).toEqual([])
  })

  it('R14 ordinary team: someone gone from HR is placed by their last manager; nobody eligible suggests nobody', () => {
    const directory = syncedDirectory(org(), { ceo: 'deactivated' })
    const ana = userOf(directory, 'ana').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ana })] }
    const result = plan(snapshot(org().filter((e) => e.remoteId !== 'ana')), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual(
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ops', to: null, suggested: null }),
    )
  })

  it('R14 ordinary team: a reviewer who stays changes nothing', () => {
    const directory = syncedDirectory(org())
    const ana = userOf(directory, 'ana').id
    const withTeam = { ...directory, teams: [team('t-ops', { reviewerUserId: ana })] }
    expect(plan(snapshot(org()), withTeam, settings(), NOW).changes).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import type { Change, Directory, DirectoryUser, TeamPreview, TeamSyncOn } from '../src/index.js'
import {
  finishTeamSync,
  planTeamEdit,
  previewTeamSync,
  stopTeamSync,
  TeamEditError,
  TeamSyncError,
  UNASSIGNED_TEAM_KEY,
} from '../src/index.js'
import { appUser, INTEGRATION, NOW, org, settings, snapshot, syncedDirectory, team, userOf } from './build.js'

// Edges of the setup finish, the team edits and R18: who the preview named, the order of the
// changes, and the exact values a caller reads.

const on = settings({ teamSync: true })
const HR: TeamSyncOn = { integrationId: INTEGRATION, source: 'Personio' }

const start = (extraUsers: DirectoryUser[] = [appUser('zoe'), appUser('max')]): Directory =>
  syncedDirectory(org(), {}, { extraUsers })
const previewOf = (directory: Directory): TeamPreview => previewTeamSync(snapshot(org()), directory, on, NOW)
const withUser = (directory: Directory, id: string, fields: Partial<DirectoryUser>): Directory => ({
  ...directory,
  users: directory.users.map((user) => (user.id === id ? { ...user, ...fields } : user)),
})
const byId = (directory: Directory) => new Map(directory.users.map((user) => [user.id, user]))
const thrown = (act: () => unknown): unknown => {
  try {
    act()
  } catch (error) {
    return error
  }
  throw new Error('nothing was thrown')
}
const changedSince = (what: string) =>
  expect.objectContaining({
    code: 'preview_changed',
    message: `The company changed since the preview: ${what}. Review the new preview and finish again`,
  })
const unassignedTeam = (changes: Change[]) =>
  changes.find((change) => change.kind === 'create_team' && change.key === UNASSIGNED_TEAM_KEY)

describe('Setup finish: a chosen reviewer gone since the preview is a change when the preview named them', () => {
  it('Setup finish: a reviewer the preview showed as a team member, deactivated since, answers preview_changed', () => {
    const before = start()
    const shown = previewOf(before)
    const cy = userOf(before, 'cy').id
    const now = withUser(before, cy, { status: 'deactivated' })
    expect(() => finishTeamSync(previewOf(now), { unassignedReviewerUserId: cy }, now, shown)).toThrow(
      changedSince('Cy Doe, chosen to review Unassigned, no longer has access'),
    )
  })

  it("Setup finish: a reviewer the preview showed only as a team's reviewer, deleted since, answers preview_changed", () => {
    const directory = start()
    const present = previewOf(directory)
    // Rita reviewed Ben's team in the preview the admin saw, and is in no list
    const shown: TeamPreview = {
      ...present,
      teams: present.teams.map((t) => (t.key === 'ben' ? { ...t, reviewer: { userId: 'rita' } } : t)),
    }
    expect(() => finishTeamSync(present, { unassignedReviewerUserId: 'rita' }, directory, shown)).toThrow(
      changedSince('User rita, chosen to review Unassigned, no longer has access'),
    )
  })

  it("Setup finish: a reviewer the preview showed only as Unassigned's reviewer, deleted since, answers preview_changed", () => {
    const directory = start()
    const present = previewOf(directory)
    const shown: TeamPreview = {
      ...present,
      unassigned: { ...present.unassigned, reviewer: { userId: 'rita' } },
    }
    expect(() => finishTeamSync(present, { unassignedReviewerUserId: 'rita' }, directory, shown)).toThrow(
      changedSince('User rita, chosen to review Unassigned, no longer has access'),
    )
  })

  it('Setup finish: clearing the reviewer of Unassigned with null leaves it without one', () => {
    const directory = start()
    const preview = previewOf(directory)
    const reviewed: TeamPreview = {
      ...preview,
      unassigned: { ...preview.unassigned, reviewer: { userId: 'max' } },
    }
    const changes = finishTeamSync(reviewed, { unassignedReviewerUserId: null }, directory)
    expect(unassignedTeam(changes)).toEqual({
      kind: 'create_team',
      key: UNASSIGNED_TEAM_KEY,
      name: 'Unassigned',
      reviewer: null,
      members: preview.unassigned.members,
    })
  })
})

describe('Setup finish: an app team made after the preview is named in the message', () => {
  it('Setup finish: the new team is named by its own name among several app teams', () => {
    const before = { ...start(), teams: [team('t-old', { name: 'Old' })] }
    const shown = previewOf(before)
    const now = { ...before, teams: [team('t-old', { name: 'Old' }), team('t-new', { name: 'Travel' })] }
    expect(() => finishTeamSync(previewOf(now), {}, now, shown)).toThrow(
      changedSince('The team Travel was made after the preview and would be deleted'),
    )
  })

  it('Setup finish: a new team no longer in the directory is named by its id', () => {
    const before = start()
    const shown = previewOf(before)
    const present = previewOf({ ...before, teams: [team('t-new', { name: 'Travel' })] })
    expect(() => finishTeamSync(present, {}, before, shown)).toThrow(
      changedSince('The team t-new was made after the preview and would be deleted'),
    )
  })
})

describe('Setup finish: the changes in order, whatever order the input came in', () => {
  it('R12 app-only users: several placed in one team join it in id order and are pinned in id order', () => {
    const directory = start([appUser('zoe'), appUser('amy'), appUser('max')])
    const preview = previewOf(directory)
    const changes = finishTeamSync(preview, { placements: { zoe: 'ana', amy: 'ana', max: 'ana' } }, directory)
    const ana = preview.teams.find((t) => t.key === 'ana')!
    expect(changes.find((change) => change.kind === 'create_team' && change.key === 'ana')).toEqual({
      kind: 'create_team',
      key: 'ana',
      name: ana.name,
      reviewer: ana.reviewer,
      members: [...ana.members, { userId: 'amy' }, { userId: 'max' }, { userId: 'zoe' }],
    })
    expect(changes.filter((change) => change.kind === 'pin_team')).toEqual([
      { kind: 'pin_team', userId: 'amy', teamKey: 'ana' },
      { kind: 'pin_team', userId: 'max', teamKey: 'ana' },
      { kind: 'pin_team', userId: 'zoe', teamKey: 'ana' },
    ])
  })

  it('R12 app-only users: a user linked to HR is never pinned, whatever pin they still carry', () => {
    const plain = start()
    const ben = userOf(plain, 'ben').id
    const directory = withUser(plain, ben, { pinnedTeamKey: 'ceo' })
    const changes = finishTeamSync(previewOf(directory), { placements: { zoe: 'ana' } }, directory)
    expect(changes.filter((change) => change.kind === 'pin_team')).toEqual([
      { kind: 'pin_team', userId: 'zoe', teamKey: 'ana' },
    ])
  })
})

describe('Team sync errors: the name is part of what a caller reads', () => {
  it('Setup finish: a refused review throws a TeamSyncError named so', () => {
    const directory = start()
    const error = thrown(() =>
      finishTeamSync(previewOf(directory), { placements: { zoe: 'nope' } }, directory),
    )
    expect(error).toBeInstanceOf(TeamSyncError)
    expect(error).toMatchObject({ name: 'TeamSyncError', code: 'unknown_team' })
  })

  it('Team sync on: a refused edit throws a TeamEditError named so', () => {
    const directory = start()
    const error = thrown(() => planTeamEdit(null, { memberUserIds: ['ghost'] }, byId(directory), HR))
    expect(error).toBeInstanceOf(TeamEditError)
    expect(error).toMatchObject({ name: 'TeamEditError', code: 'unknown_user' })
  })
})

describe('Team sync on: edits that name nobody', () => {
  const synced = () => syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })

  it('Unassigned: an edit without a reviewer writes no field at all', () => {
    const directory = synced()
    const unassigned = directory.teams.find((t) => t.key === UNASSIGNED_TEAM_KEY)!
    expect(planTeamEdit(unassigned, {}, byId(directory), HR)).toStrictEqual({})
  })

  it('Team sync on: an ordinary team renamed without members keeps the edit as given', () => {
    const directory = synced()
    expect(planTeamEdit(team('t-ops'), { name: 'Travel' }, byId(directory), HR)).toStrictEqual({
      name: 'Travel',
    })
    expect(planTeamEdit(null, { name: 'Travel' }, byId(directory), HR)).toStrictEqual({ name: 'Travel' })
  })
})

describe('R18 stop team sync', () => {
  it('R18 stop team sync: synced teams and a non-empty Unassigned become ordinary, in id order', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })
    const ids = (kind: string) =>
      directory.teams
        .filter((t) => t.kind === kind)
        .map((t) => t.id)
        .sort()
    expect(ids('unassigned')).toHaveLength(1)
    const expected = [...ids('synced'), ...ids('unassigned')]
      .sort()
      .map((teamId) => ({ kind: 'convert_team', teamId, to: 'ordinary' }))
    expect(stopTeamSync(directory)).toEqual(expected)
  })
})

import { describe, expect, it } from 'vitest'
import type { Change, Directory, DirectoryTeam } from '../src/index.js'
import { plan } from '../src/index.js'
import { appUser, INTEGRATION, NOW, org, settings, snapshot, syncedDirectory, team } from './build.js'

// Edges of the team layout and of R14 for ordinary teams: which stored teams keep a held leaver's
// place, and which changes make a reviewer stop reviewing.

const on = settings({ teamSync: true })

const ofKind = (changes: Change[], kind: Change['kind']) => changes.filter((change) => change.kind === kind)
const byKey = (a: DirectoryTeam, b: DirectoryTeam) => (a.key! < b.key! ? -1 : 1)

describe('Users whose removal waits: which stored team keeps a held leaver', () => {
  // cy is an admin: leaving, their removal is held and they keep their place in Ana's team
  const held = () => syncedDirectory(org(), {}, { teamSync: true, admins: ['ceo', 'cy'] })
  const cyLeaves = snapshot(org({ cy: { status: 'terminated' } }))

  it('Users whose removal waits: a held leaver stored in two synced teams keeps the first by key, whatever order the store lists them in', () => {
    const directory = held()
    // the store lists cy in Ceo's team too
    const stored = directory.teams.map((t) =>
      t.key === 'ceo' ? { ...t, memberUserIds: [...t.memberUserIds, 'hr1:cy'] } : t,
    )
    for (const teams of [[...stored].sort(byKey), [...stored].sort(byKey).reverse()]) {
      expect(ofKind(plan(cyLeaves, { ...directory, teams }, on, NOW).changes, 'set_members')).toEqual([
        { kind: 'set_members', teamId: 'team:ceo', members: [{ userId: 'hr1:ana' }] },
      ])
    }
  })

  it('Users whose removal waits: an ordinary team still carrying a manager’s key does not keep a held leaver; Unassigned takes them', () => {
    const directory = held()
    // cy is stored only in an app team left over with Ceo's key, not in Ana's synced team
    const teams: DirectoryTeam[] = [
      ...directory.teams.map((t) =>
        t.key === 'ana' ? { ...t, memberUserIds: t.memberUserIds.filter((id) => id !== 'hr1:cy') } : t,
      ),
      team('t-old', { name: 'Old', key: 'ceo', memberUserIds: ['hr1:cy'] }),
    ]
    expect(ofKind(plan(cyLeaves, { ...directory, teams }, on, NOW).changes, 'set_members')).toEqual([
      {
        kind: 'set_members',
        teamId: 'team:unassigned',
        members: [{ userId: 'hr1:ceo' }, { userId: 'hr1:cy' }],
      },
    ])
  })
})

describe('R14 ordinary team: which changes make its reviewer stop reviewing', () => {
  const withOps = (directory: Directory, reviewerUserId: string): Directory => ({
    ...directory,
    teams: [team('t-ops', { name: 'Ops', reviewerUserId })],
  })

  it('R14 ordinary team: a reviewer removed because they were never invited stops reviewing', () => {
    const directory = withOps(syncedDirectory(org(), { dan: 'uninvited' }), 'hr1:dan')
    const result = plan(snapshot(org({ dan: { status: 'terminated' } })), directory, settings(), NOW)
    expect(result.changes.map((change) => change.kind)).toEqual(['remove_user', 'set_reviewer'])
    expect(ofKind(result.changes, 'set_reviewer')).toEqual([
      {
        kind: 'set_reviewer',
        teamId: 't-ops',
        fromUserId: 'hr1:dan',
        to: null,
        suggested: { userId: 'hr1:ben' },
        reason:
          'Dan Doe left and no longer reviews Ops; Ben Doe, the nearest eligible manager above, is suggested',
      },
    ])
  })

  it('R14 ordinary team: a reviewer whose HR record only changes keeps reviewing', () => {
    const directory = withOps(syncedDirectory(org()), 'hr1:ben')
    const result = plan(snapshot(org({ ben: { lastName: 'Roe' } })), directory, settings(), NOW)
    expect(result.changes.map((change) => change.kind)).toEqual(['update_person'])
  })

  it('R14 ordinary team: a linked reviewer without a stored HR record, gone from HR, stops reviewing with no suggestion', () => {
    const synced = syncedDirectory(org())
    const gus = appUser('gus', { link: { integrationId: INTEGRATION, remoteId: 'gus' }, origin: 'hr' })
    const directory = withOps({ ...synced, users: [...synced.users, gus] }, 'gus')
    expect(ofKind(plan(snapshot(org()), directory, settings(), NOW).changes, 'set_reviewer')).toEqual([
      {
        kind: 'set_reviewer',
        teamId: 't-ops',
        fromUserId: 'gus',
        to: null,
        suggested: null,
        reason:
          'Gus Doe left and no longer reviews Ops; nobody above them can review, an admin picks a reviewer',
      },
    ])
  })

  it('R14 a manager who leaves: a synced team and Unassigned change reviewer once each, not also as ordinary teams', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    // dan was chosen to review Unassigned
    const stored: Directory = {
      ...directory,
      teams: directory.teams.map((t) => (t.kind === 'unassigned' ? { ...t, reviewerUserId: 'hr1:dan' } : t)),
    }
    const leaving = snapshot(org({ ana: { status: 'terminated' }, dan: { status: 'terminated' } }))
    const reviewers = plan(leaving, stored, on, NOW).changes.flatMap((change) =>
      change.kind === 'set_reviewer' ? [[change.teamId, change.to]] : [],
    )
    expect(reviewers).toEqual([
      ['team:ana', { userId: 'hr1:ceo' }],
      ['team:unassigned', null],
    ])
  })
})

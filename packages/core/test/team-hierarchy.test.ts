import { describe, expect, it } from 'vitest'
import type { Directory } from '../src/index.js'
import { isEligibleReviewer, plan, previewTeamSync, UNASSIGNED_TEAM_KEY } from '../src/index.js'
import { applyPlan } from './apply.js'
import { appUser, NOW, org, person, settings, snapshot, syncedDirectory, team, userOf } from './build.js'

// R13–R16: how the hierarchy is read, whatever order HR lists people in and the store lists members in.

const on = settings({ teamSync: true })

const teamOf = (directory: Directory, key: string) => directory.teams.find((t) => t.key === key)!

describe('R16 loops: where a loop is entered', () => {
  it('R16 loops: a loop first reached from someone below it is named from its first member; that person still attaches', () => {
    // HR lists cy first: the chain cy -> ben -> ana -> ben enters the loop at ben
    const employees = [
      person('cy', { managerRemoteId: 'ben' }),
      person('ana', { managerRemoteId: 'ben' }),
      person('ben', { managerRemoteId: 'ana' }),
    ]
    const directory = syncedDirectory(employees)
    const result = plan(snapshot(employees), directory, on, NOW)
    expect(result.warnings).toEqual([
      {
        code: 'manager_loop',
        message: 'Loop in the manager chain: Ana Doe -> Ben Doe -> Ana Doe',
        remoteIds: ['ana', 'ben'],
      },
    ])
    const after = applyPlan(directory, result)
    expect(teamOf(after, 'ben').memberUserIds).toEqual([userOf(after, 'cy').id])
    expect(teamOf(after, UNASSIGNED_TEAM_KEY).memberUserIds).toEqual(
      [userOf(after, 'ana').id, userOf(after, 'ben').id].sort(),
    )
  })

  it('R16 loops: a loop of three entered in its middle is named from its first member by remoteId', () => {
    const employees = [
      person('n2', { managerRemoteId: 'n3' }),
      person('n3', { managerRemoteId: 'n1' }),
      person('n1', { managerRemoteId: 'n2' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, on, NOW)
    expect(result.warnings.map(({ message, remoteIds }) => [message, remoteIds])).toEqual([
      ['Loop in the manager chain: N1 Doe -> N2 Doe -> N3 Doe -> N1 Doe', ['n1', 'n2', 'n3']],
    ])
  })

  it('R16 loops: several loops are reported in the order of their first members, whatever order HR lists them in', () => {
    const employees = [
      person('y', { managerRemoteId: 'z' }),
      person('z', { managerRemoteId: 'y' }),
      person('b', { managerRemoteId: 'a' }),
      person('a', { managerRemoteId: 'b' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, on, NOW)
    expect(result.warnings.map((warning) => warning.remoteIds)).toEqual([
      ['a', 'b'],
      ['y', 'z'],
    ])
  })

  it('R16 loops: a loop with one leaver in it is reported; a loop of leavers only is not', () => {
    const mixed = [
      person('a', { managerRemoteId: 'b', status: 'terminated' }),
      person('b', { managerRemoteId: 'a' }),
    ]
    expect(
      plan(snapshot(mixed), { users: [], teams: [] }, on, NOW).warnings.map((warning) => warning.code),
    ).toEqual(['manager_loop'])
    const leavers = mixed.map((employee) => ({ ...employee, status: 'terminated' as const }))
    expect(plan(snapshot(leavers), { users: [], teams: [] }, on, NOW).warnings).toEqual([])
  })
})

describe('R15 unknown manager: what counts as a manager reference', () => {
  it('R15 unknown manager: a blank manager email is no manager, not an unknown one', () => {
    const employees = [person('boss'), person('eve', { managerEmail: '   ' })]
    const directory = syncedDirectory(employees)
    const result = plan(snapshot(employees), directory, on, NOW)
    expect(result.warnings).toEqual([])
    const preview = previewTeamSync(snapshot(employees), directory, on, NOW)
    expect(preview.unassigned.reasons[userOf(directory, 'eve').id]).toBe('no manager in HR')
  })

  it('R15 unknown manager: a leaver whose manager is unknown is not reported', () => {
    const employees = [person('eve', { managerRemoteId: 'ghost', status: 'terminated' })]
    expect(plan(snapshot(employees), { users: [], teams: [] }, on, NOW).warnings).toEqual([])
  })
})

describe('R13 building teams: members as the store keeps them', () => {
  it('R13 building teams: the same members stored in another order are no change, in Unassigned too', () => {
    const directory = syncedDirectory(
      org(),
      {},
      { teamSync: true, extraUsers: [appUser('zz'), appUser('aa')] },
    )
    const reversed: Directory = {
      ...directory,
      teams: directory.teams.map((t) => ({ ...t, memberUserIds: [...t.memberUserIds].reverse() })),
    }
    expect(teamOf(reversed, UNASSIGNED_TEAM_KEY).memberUserIds).toEqual(['zz', 'hr1:ceo', 'aa'])
    expect(plan(snapshot(org()), reversed, on, NOW).changes).toEqual([])
  })

  it('R13 building teams: a member replaced by someone else is a change, though the team keeps its size', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const moved = org({ cy: { managerRemoteId: 'ceo' }, dan: { managerRemoteId: 'ana' } })
    const result = plan(snapshot(moved), directory, on, NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_members',
      teamId: teamOf(directory, 'ana').id,
      members: [{ userId: 'hr1:ben' }, { userId: 'hr1:dan' }],
    })
    expect(result.changes).toContainEqual({
      kind: 'set_members',
      teamId: teamOf(directory, 'ceo').id,
      members: [{ userId: 'hr1:ana' }, { userId: 'hr1:cy' }],
    })
  })

  it('Unassigned: a new member at the end of the list is a change', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const result = plan(snapshot([...org(), person('zed')]), directory, on, NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_members',
      teamId: teamOf(directory, UNASSIGNED_TEAM_KEY).id,
      members: [{ userId: 'hr1:ceo' }, { newUserKey: 'hr1:zed' }],
    })
  })
})

describe('R14 ordinary team: the reviewer who leaves, however they were linked', () => {
  it('R14 ordinary team: a reviewer gone from HR gets the manager of their last record as the suggestion', () => {
    const directory = syncedDirectory(org())
    const ben = userOf(directory, 'ben').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ben })] }
    const result = plan(snapshot(org().filter((e) => e.remoteId !== 'ben')), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        kind: 'set_reviewer',
        teamId: 't-ops',
        fromUserId: ben,
        to: null,
        suggested: { userId: userOf(directory, 'ana').id },
      }),
    )
  })

  it('R14 ordinary team: a reviewer gone from HR whose last record named no manager gets no suggestion', () => {
    const employees = [person('ceo'), person('ana')]
    const directory = syncedDirectory(employees)
    const ana = userOf(directory, 'ana').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ana })] }
    const result = plan(snapshot([person('ceo')]), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual(
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ops', to: null, suggested: null }),
    )
  })

  it('R14 ordinary team: a hand-added reviewer linked to a leaver this run (R4) stops reviewing', () => {
    const gus = appUser('gus')
    const withTeam: Directory = {
      users: [gus],
      teams: [team('t-ops', { name: 'Ops', reviewerUserId: 'gus' })],
    }
    const result = plan(snapshot([person('gus', { status: 'terminated' })]), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual(
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ops', fromUserId: 'gus', to: null }),
    )
  })
})

describe('R13 building teams: whose user is whose', () => {
  it("R13 building teams: a user another integration links to the same HR id is not this integration's person", () => {
    const employees = org({ ana: { email: null } })
    const synced = syncedDirectory(employees)
    const scim = appUser('x', {
      link: { integrationId: 'scim', remoteId: 'ana' },
      origin: 'hr',
      person: userOf(synced, 'ceo').person,
    })
    const directory = { ...synced, users: [...synced.users, scim] }
    const result = plan(snapshot(employees), directory, on, NOW)
    const created = result.changes.flatMap((change) => (change.kind === 'create_team' ? [change] : []))
    expect(created.find((t) => t.key === 'ana')?.reviewer).toEqual({ userId: userOf(synced, 'ceo').id })
    expect(created.flatMap((t) => t.members)).not.toContainEqual({ userId: 'x' })
  })
})

describe('Users whose removal waits (R5, R17)', () => {
  it('Users whose removal waits: a held leaver keeps their team, or goes to Unassigned when that team is gone', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true, admins: ['ceo', 'cy', 'dan'] })
    const result = plan(
      snapshot(org({ cy: { status: 'terminated' }, dan: { status: 'terminated' } })),
      directory,
      on,
      NOW,
    )
    expect(result.held.map((held) => held.userId)).toEqual(['hr1:cy', 'hr1:dan'])
    const after = applyPlan(directory, result)
    expect(teamOf(after, 'ana').memberUserIds).toEqual(['hr1:ben', 'hr1:cy'])
    expect(after.teams.some((t) => t.key === 'ben')).toBe(false)
    expect(teamOf(after, UNASSIGNED_TEAM_KEY).memberUserIds).toEqual(['hr1:ceo', 'hr1:dan'])
    const preview = previewTeamSync(snapshot(org({ dan: { status: 'terminated' } })), directory, on, NOW)
    expect(preview.unassigned.reasons['hr1:dan']).toBe('not in the current HR data')
  })
})

describe('R14 ordinary team: the suggestion', () => {
  it('R14 ordinary team: the suggestion skips a manager without an account, and no other integration’s or app-only user stands in', () => {
    const employees = org({ ana: { email: null } })
    const synced = syncedDirectory(employees)
    const ben = userOf(synced, 'ben').id
    const scim = appUser('x', {
      link: { integrationId: 'scim', remoteId: 'ana' },
      origin: 'hr',
      person: userOf(synced, 'ceo').person,
    })
    const directory: Directory = {
      users: [appUser('zoe'), ...synced.users, scim],
      teams: [team('t-ops', { name: 'Ops', reviewerUserId: ben })],
    }
    const result = plan(
      snapshot(org({ ana: { email: null }, ben: { status: 'terminated' } })),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toContainEqual(
      expect.objectContaining({
        kind: 'set_reviewer',
        teamId: 't-ops',
        fromUserId: ben,
        suggested: { userId: userOf(synced, 'ceo').id },
      }),
    )
  })
})

describe('R13, R14: who can review, and members as stored', () => {
  it('R14 a manager who leaves: only a linked, active user whose person works can review', () => {
    const record = userOf(syncedDirectory([person('ana')]), 'ana').person
    const linked = appUser('u1', { link: { integrationId: 'hr1', remoteId: 'ana' }, person: record })
    expect(isEligibleReviewer(linked)).toBe(true)
    expect(isEligibleReviewer({ ...linked, link: null })).toBe(false)
    expect(isEligibleReviewer({ ...linked, person: null })).toBe(false)
    expect(isEligibleReviewer({ ...linked, status: 'invited' })).toBe(false)
  })

  it('R13 building teams: stored members in another order that differ from HR are a change', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const ana = teamOf(directory, 'ana')
    const stale: Directory = {
      ...directory,
      teams: directory.teams.map((t) => (t === ana ? { ...t, memberUserIds: ['hr1:dan', 'hr1:cy'] } : t)),
    }
    expect(plan(snapshot(org()), stale, on, NOW).changes).toContainEqual({
      kind: 'set_members',
      teamId: ana.id,
      members: [{ userId: 'hr1:ben' }, { userId: 'hr1:cy' }],
    })
  })

  it('Users whose removal waits: a held leaver who was in Unassigned stays there', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true, admins: ['ceo', 'ana'] })
    const result = plan(snapshot(org({ ceo: { status: 'terminated' } })), directory, on, NOW)
    expect(result.held.map((held) => held.userId)).toEqual(['hr1:ceo'])
    expect(teamOf(applyPlan(directory, result), UNASSIGNED_TEAM_KEY).memberUserIds).toEqual(['hr1:ceo'])
  })

  it('R14 ordinary team: a leaver whose last record names a new manager gets that manager as the suggestion', () => {
    const directory = syncedDirectory(org())
    const dan = userOf(directory, 'dan').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: dan })] }
    const leaving = org({ dan: { status: 'terminated', managerRemoteId: 'cy' } })
    expect(plan(snapshot(leaving), withTeam, settings(), NOW).changes).toContainEqual(
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ops', suggested: { userId: 'hr1:cy' } }),
    )
  })
})

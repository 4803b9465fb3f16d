import { describe, expect, it } from 'vitest'
import type { Directory } from '../src/index.js'
import { plan, previewDisconnect, UNASSIGNED_TEAM_KEY } from '../src/index.js'
import { applyPlan } from './apply.js'
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

// "Each finding is reported once, in the sync's words": the reasons and warnings an admin reads.

const on = settings({ teamSync: true })

const teamOf = (directory: Directory, key: string) => directory.teams.find((t) => t.key === key)!

describe('people: reasons and warnings', () => {
  it('R2 duplicate emails: the conflict names the people not terminated and the email', () => {
    const a = person('a', { email: 'sam@acme.test', firstName: 'Sam', lastName: 'Lee' })
    const b = person('b', { email: 'sam@acme.test', firstName: 'Sam', lastName: 'Li', status: 'leave' })
    const c = person('c', { email: 'sam@acme.test', status: 'terminated' })
    const result = plan(snapshot([c, b, a]), { users: [], teams: [] }, settings(), NOW)
    expect(result.warnings).toEqual([
      {
        code: 'duplicate_email',
        message:
          'Sam Lee, Sam Li share the email sam@acme.test in Personio; nothing changes for them until HR fixes it',
        remoteIds: ['a', 'b', 'c'],
        email: 'sam@acme.test',
      },
    ])
    expect(result.changes).toEqual([])
  })

  it('R2 duplicate emails: "duplicate ignored" names the leavers and the one who wins', () => {
    const old = person('old', {
      email: 'jo@acme.test',
      firstName: 'Jo',
      lastName: 'Old',
      status: 'terminated',
    })
    const current = person('new', { email: 'jo@acme.test', firstName: 'Jo', lastName: 'New' })
    const result = plan(snapshot([current, old]), { users: [], teams: [] }, settings(), NOW)
    expect(result.warnings).toEqual([
      {
        code: 'duplicate_ignored',
        message: 'Jo Old (terminated) share the email jo@acme.test with Jo New; duplicate ignored',
        remoteIds: ['old'],
        email: 'jo@acme.test',
      },
    ])
  })

  it('R6 invitations: an invitee from the HR list who leaves is revoked, then removed as never accepted', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'invited' })
    const userId = userOf(directory, 'ana').id
    const result = plan(snapshot([person('ben')]), directory, settings(), NOW)
    expect(result.changes).toEqual([
      { kind: 'revoke_invitation', userId, reason: 'Ana Doe is no longer in Personio' },
      {
        kind: 'remove_user',
        userId,
        reason: 'Ana Doe is no longer in Personio; the invitation was never accepted',
      },
    ])
  })

  it('R4 revocation: a leaver without a termination date is reported as terminated, without a date', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'uninvited' })
    const result = plan(
      snapshot([person('ana', { status: 'terminated' }), person('ben')]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toContainEqual({
      kind: 'remove_user',
      userId: userOf(directory, 'ana').id,
      reason: 'Ana Doe left (terminated in Personio); never invited',
    })
  })

  it('R5 safety: the held removals are reported with their number, the limit and who they are', () => {
    const ten = Array.from({ length: 10 }, (_, at) => person(`p${at}`))
    const directory = syncedDirectory(ten)
    const result = plan(snapshot(ten.slice(4)), directory, settings(), NOW)
    expect(result.warnings).toEqual([
      {
        code: 'mass_removal_held',
        message:
          '4 users would lose access or be removed, more than the limit of 3; the removals wait for an admin to approve or reject them',
        remoteIds: ['p0', 'p1', 'p2', 'p3'],
      },
    ])
  })

  it('R5 safety: the limit is the larger of the two numbers, rounded down when reported', () => {
    const twenty = Array.from({ length: 22 }, (_, at) => person(`p${String(at).padStart(2, '0')}`))
    const directory = syncedDirectory(twenty)
    // 20% of 22 is 4.4: five removals are over it, and the limit reads 4
    const result = plan(snapshot(twenty.slice(5)), directory, settings(), NOW)
    expect(result.held).toHaveLength(5)
    expect(result.warnings[0]?.message).toMatch(
      /^5 users would lose access or be removed, more than the limit of 4;/,
    )
    expect(plan(snapshot(twenty.slice(4)), directory, settings(), NOW).held).toEqual([])
  })
})

describe('teams: reasons', () => {
  it('R14 a manager who leaves: nobody above can review, and the change says so', () => {
    const directory = syncedDirectory(org(), { ceo: 'uninvited' }, { teamSync: true })
    const result = plan(snapshot(org({ ana: { status: 'terminated' } })), directory, on, NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_reviewer',
      teamId: teamOf(directory, 'ana').id,
      fromUserId: userOf(directory, 'ana').id,
      to: null,
      reason: 'Nobody from Ana Doe upwards can review (no active account)',
    })
  })

  it('R14 a manager who accepts the invitation reviews their team again, and the change says so', () => {
    const waiting = syncedDirectory(org(), { ana: 'invited' }, { teamSync: true })
    expect(teamOf(waiting, 'ana').reviewerUserId).toBe(userOf(waiting, 'ceo').id)
    const accepted: Directory = {
      ...waiting,
      users: waiting.users.map((user) =>
        user.link?.remoteId === 'ana' ? { ...user, status: 'active' as const } : user,
      ),
    }
    const result = plan(snapshot(org()), accepted, on, NOW)
    expect(result.changes).toEqual([
      {
        kind: 'set_reviewer',
        teamId: teamOf(waiting, 'ana').id,
        fromUserId: userOf(waiting, 'ceo').id,
        to: { userId: userOf(waiting, 'ana').id },
        reason: 'Ana Doe reviews their team',
      },
    ])
  })

  it('R14 a manager who leaves: their emptied team is deleted with the reason', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const result = plan(snapshot(org({ dan: { managerRemoteId: 'ana' } })), directory, on, NOW)
    expect(result.changes).toContainEqual({
      kind: 'delete_team',
      teamId: teamOf(directory, 'ben').id,
      reason: "Nobody in HR reports to the manager of Ben Doe's team any more",
    })
    expect(result.counts.teamsChanged).toBe(2)
  })

  it('Unassigned: a reviewer who loses access is cleared, and the change says an admin picks a new one', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })
    const unassigned = teamOf(directory, UNASSIGNED_TEAM_KEY)
    const reviewed: Directory = {
      users: directory.users.map((user) =>
        user.id === 'zoe' ? { ...user, status: 'deactivated' as const } : user,
      ),
      teams: directory.teams.map((t) => (t.id === unassigned.id ? { ...t, reviewerUserId: 'zoe' } : t)),
    }
    expect(plan(snapshot(org()), reviewed, on, NOW).changes).toContainEqual({
      kind: 'set_reviewer',
      teamId: unassigned.id,
      fromUserId: 'zoe',
      to: null,
      reason: 'The reviewer of Unassigned no longer has access; an admin picks a new one',
    })
  })

  it('R14 ordinary team: when nobody above the leaver can review, the change says the admin picks', () => {
    const directory = syncedDirectory(org(), { ceo: 'deactivated' })
    const ana = userOf(directory, 'ana').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ana })] }
    const result = plan(snapshot(org({ ana: { status: 'terminated' } })), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_reviewer',
      teamId: 't-ops',
      fromUserId: ana,
      to: null,
      suggested: null,
      reason:
        'Ana Doe left and no longer reviews Ops; nobody above them can review, an admin picks a reviewer',
    })
    expect(applyPlan(withTeam, result).teams[0]?.reviewerUserId).toBeNull()
  })
})

describe('R14: one reviewer change per team', () => {
  it('R14 a manager who leaves: a synced team gets one reviewer change, never a second one for ordinary teams', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const result = plan(snapshot(org({ ana: { status: 'terminated' } })), directory, on, NOW)
    const anaTeam = teamOf(directory, 'ana').id
    expect(
      result.changes.filter((change) => change.kind === 'set_reviewer' && change.teamId === anaTeam),
    ).toHaveLength(1)
  })

  it('R14 ordinary team: a reviewer removed from Add people (invited, never accepted) stops reviewing too', () => {
    const directory = syncedDirectory(org(), { ana: 'invited' })
    const ana = userOf(directory, 'ana').id
    const withTeam = { ...directory, teams: [team('t-ops', { name: 'Ops', reviewerUserId: ana })] }
    const result = plan(snapshot(org().filter((e) => e.remoteId !== 'ana')), withTeam, settings(), NOW)
    expect(result.changes).toContainEqual(
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ops', fromUserId: ana, to: null }),
    )
  })
})

describe('R7 disconnect: reasons', () => {
  it('R7 disconnect: removals say the user came from the disconnected integration; users are taken in id order', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'uninvited', ben: 'invited' })
    const ana = userOf(directory, 'ana').id
    const ben = userOf(directory, 'ben').id
    const shuffled = { ...directory, users: [...directory.users].reverse() }
    const preview = previewDisconnect(shuffled, INTEGRATION, false)
    expect(preview.changes).toEqual([
      { kind: 'remove_user', userId: ana, reason: 'Ana Doe came from an integration that was disconnected' },
      {
        kind: 'revoke_invitation',
        userId: ben,
        reason: 'Ben Doe came from an integration that was disconnected',
      },
      { kind: 'remove_user', userId: ben, reason: 'Ben Doe came from an integration that was disconnected' },
    ])
    expect(preview).toMatchObject({ keep: [], untouched: 0, teamSyncStopped: false })
  })

  it('R7 disconnect: a user an admin invited keeps the invitation and only loses the link', () => {
    const invited = appUser('u1', {
      status: 'invited',
      link: { integrationId: INTEGRATION, remoteId: 'ana' },
    })
    const preview = previewDisconnect({ users: [invited], teams: [] }, INTEGRATION, false)
    expect(preview.changes).toEqual([{ kind: 'unlink_user', userId: 'u1' }])
    expect(preview.remove).toEqual([])
  })
})

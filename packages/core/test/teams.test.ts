import { describe, expect, it } from 'vitest'
import type { Change, Directory, Employee } from '../src/index.js'
import {
  finishTeamSync,
  plan,
  previewTeamSync,
  stopTeamSync,
  TeamSyncError,
  UNASSIGNED_TEAM_KEY,
} from '../src/index.js'
import { applyChanges, applyPlan } from './apply.js'
import {
  appUser,
  INTEGRATION,
  kinds,
  NOW,
  org,
  person,
  settings,
  snapshot,
  syncedDirectory,
  team,
  userOf,
} from './build.js'

const on = settings({ teamSync: true })

const teamOf = (directory: Directory, key: string) => {
  const found = directory.teams.find((t) => t.key === key)
  if (found === undefined) throw new Error(`no team ${key}`)
  return found
}
const ids = (directory: Directory, ...remoteIds: string[]) =>
  remoteIds.map((r) => userOf(directory, r).id).sort()
const sorted = (values: string[]) => [...values].sort()

function syncTeams(directory: Directory, employees: Employee[]): { directory: Directory; changes: Change[] } {
  const result = plan(snapshot(employees), directory, on, NOW)
  return { directory: applyPlan(directory, result), changes: result.changes }
}

describe('teams', () => {
  it('R13 building teams: one team per manager, direct reports as members, the manager as reviewer', () => {
    const { directory } = syncTeams(syncedDirectory(org()), org())
    expect(teamOf(directory, 'ana')).toMatchObject({
      name: "Ana Doe's team",
      kind: 'synced',
      reviewerUserId: userOf(directory, 'ana').id,
    })
    expect(sorted(teamOf(directory, 'ana').memberUserIds)).toEqual(ids(directory, 'ben', 'cy'))
    expect(teamOf(directory, 'ceo').memberUserIds).toEqual(ids(directory, 'ana'))
    expect(teamOf(directory, 'ben').memberUserIds).toEqual(ids(directory, 'dan'))
    expect(teamOf(directory, UNASSIGNED_TEAM_KEY).memberUserIds).toEqual(ids(directory, 'ceo'))
    expect(directory.teams.map((t) => t.key).sort()).toEqual(['ana', 'ben', 'ceo', UNASSIGNED_TEAM_KEY])
  })

  it('R13 building teams: members are listed in user order whatever order HR and the store list them in', () => {
    const { directory } = syncTeams(syncedDirectory(org()), org())
    const ana = teamOf(directory, 'ana')
    expect(ana.memberUserIds).toEqual(ids(directory, 'ben', 'cy'))
    // the store may hold a team's members in any order: the same people are no change
    const shuffled: Directory = {
      ...directory,
      teams: directory.teams.map((t) =>
        t === ana ? { ...t, memberUserIds: [...t.memberUserIds].reverse() } : t,
      ),
      users: [...directory.users].reverse(),
    }
    expect(plan(snapshot([...org()].reverse()), shuffled, on, NOW).changes).toEqual([])
    // a new report joins in user order
    const grown = syncTeams(directory, [...org(), person('eve', { managerRemoteId: 'ana' })]).directory
    expect(teamOf(grown, 'ana').memberUserIds).toEqual(sorted(teamOf(grown, 'ana').memberUserIds))
    expect(teamOf(grown, 'ana').memberUserIds).toHaveLength(3)
  })

  it('R13 building teams: terminated persons are in no team, and a manager of only terminated persons has no team', () => {
    const employees = org({ dan: { status: 'terminated' } })
    const { directory } = syncTeams(syncedDirectory(org(), {}, { teamSync: true }), employees)
    expect(directory.teams.some((t) => t.key === 'ben')).toBe(false)
    expect(directory.teams.flatMap((t) => t.memberUserIds)).not.toContain(userOf(directory, 'dan').id)
  })

  it('R13 building teams: uninvited and invited reports are members; the reviewer must have accepted', () => {
    const directory = syncedDirectory(org(), { ana: 'invited', ben: 'uninvited' }, { teamSync: true })
    expect(sorted(teamOf(directory, 'ana').memberUserIds)).toEqual(ids(directory, 'ben', 'cy'))
    expect(teamOf(directory, 'ana').reviewerUserId).toBe(userOf(directory, 'ceo').id)
  })

  it('R13 building teams: a renamed manager renames the same team, unless an admin renamed it', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const renamed = org({ ana: { lastName: 'Ruiz' }, ben: { lastName: 'Cole' } })
    const overridden = {
      ...directory,
      teams: directory.teams.map((t) =>
        t.key === 'ben' ? { ...t, name: 'Buyers', nameOverridden: true } : t,
      ),
    }
    const result = plan(snapshot(renamed), overridden, on, NOW)
    const teamChanges = result.changes.filter((c) => c.kind.endsWith('_team'))
    expect(teamChanges).toEqual([
      { kind: 'rename_team', teamId: teamOf(directory, 'ana').id, name: "Ana Ruiz's team" },
    ])
  })

  it('R14 a manager who leaves: the team stays, its reviewer becomes the skip-level manager, and the change is reported', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const left = org({ ana: { status: 'terminated' } })
    const result = plan(snapshot(left), directory, on, NOW)
    expect(result.changes).toContainEqual({
      kind: 'set_reviewer',
      teamId: teamOf(directory, 'ana').id,
      fromUserId: userOf(directory, 'ana').id,
      to: { userId: userOf(directory, 'ceo').id },
      reason: 'Ana Doe cannot review; Ceo Doe is the nearest eligible manager above',
    })
    const after = applyPlan(directory, result)
    expect(userOf(after, 'ana').status).toBe('deactivated')
    expect(sorted(teamOf(after, 'ana').memberUserIds)).toEqual(ids(after, 'ben', 'cy'))
    expect(after.teams.some((t) => t.key === 'ceo')).toBe(false)
  })

  it('R14 a manager who leaves: when HR reassigns the reports they move, and the empty team is removed', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const { directory: afterLeave } = syncTeams(directory, org({ ana: { status: 'terminated' } }))
    const reassigned = org({
      ana: { status: 'terminated' },
      ben: { managerRemoteId: 'ceo' },
      cy: { managerRemoteId: 'ceo' },
    })
    const { directory: after, changes } = syncTeams(afterLeave, reassigned)
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: 'delete_team', teamId: teamOf(afterLeave, 'ana').id }),
    )
    expect(sorted(teamOf(after, 'ceo').memberUserIds)).toEqual(ids(after, 'ben', 'cy'))
  })

  it('R15 unknown manager: an unresolvable reference sends the person to Unassigned, "manager not in HR data"', () => {
    const employees = [...org(), person('eve', { managerRemoteId: 'ghost' })]
    const result = plan(snapshot(employees), syncedDirectory(employees), on, NOW)
    expect(result.warnings).toMatchObject([{ code: 'unknown_manager', remoteIds: ['eve'] }])
    expect(result.warnings[0]?.message).toBe('Eve Doe: manager not in HR data (ghost)')
    const preview = previewTeamSync(snapshot(employees), syncedDirectory(employees), on, NOW)
    const eve = userOf(syncedDirectory(employees), 'eve').id
    expect(preview.unassigned.reasons[eve]).toBe('manager not in HR data')
  })

  it('R15 unknown manager: a manager given by email is resolved to that person', () => {
    const employees = [person('boss'), person('eve', { managerEmail: ' BOSS@acme.test' })]
    const { directory } = syncTeams(syncedDirectory(employees), employees)
    expect(teamOf(directory, 'boss').memberUserIds).toEqual(ids(directory, 'eve'))
  })

  it('R16 loops: a self-manager counts as no manager', () => {
    const employees = [person('solo', { managerRemoteId: 'solo' })]
    const result = plan(snapshot(employees), syncedDirectory(employees), on, NOW)
    expect(result.warnings).toEqual([])
    expect(result.changes).toMatchObject([{ kind: 'create_team', key: UNASSIGNED_TEAM_KEY, members: [{}] }])
  })

  it('R16 loops: loop members go to Unassigned, the loop is named in order, people below still attach', () => {
    const employees = [
      person('a', { firstName: 'Ana', lastName: 'Ruiz', managerRemoteId: 'b' }),
      person('b', { firstName: 'Ben', lastName: 'Cole', managerRemoteId: 'a' }),
      person('c', { firstName: null, lastName: null, managerRemoteId: 'b' }),
    ]
    const result = plan(snapshot(employees), syncedDirectory(employees), on, NOW)
    expect(result.warnings).toMatchObject([
      {
        code: 'manager_loop',
        message: 'Loop in the manager chain: Ana Ruiz -> Ben Cole -> Ana Ruiz',
        remoteIds: ['a', 'b'],
      },
    ])
    const after = applyPlan(syncedDirectory(employees), result)
    expect(sorted(teamOf(after, UNASSIGNED_TEAM_KEY).memberUserIds)).toEqual(ids(after, 'a', 'b'))
    expect(teamOf(after, 'b').memberUserIds).toEqual(ids(after, 'c'))
  })

  it('R16 loops: loops and unknown managers are reported only while team sync is on', () => {
    const employees = [person('a', { managerRemoteId: 'b' }), person('b', { managerRemoteId: 'a' })]
    expect(plan(snapshot(employees), syncedDirectory(employees), settings(), NOW).warnings).toEqual([])
  })

  it('R16 loops: a person with no name is named by remoteId', () => {
    const employees = [
      person('x1', { firstName: null, lastName: null, managerRemoteId: 'x2' }),
      person('x2', { firstName: null, lastName: null, managerRemoteId: 'x3' }),
      person('x3', { firstName: null, lastName: null, managerRemoteId: 'x1' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, on, NOW)
    expect(result.warnings[0]?.message).toBe('Loop in the manager chain: x1 -> x2 -> x3 -> x1')
  })

  it('Unassigned holds app-only users; its reviewer is kept until that user loses access', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true, extraUsers: [appUser('zoe')] })
    expect(teamOf(directory, UNASSIGNED_TEAM_KEY).memberUserIds).toContain('zoe')
    const reviewed = {
      ...directory,
      teams: directory.teams.map((t) =>
        t.key === UNASSIGNED_TEAM_KEY ? { ...t, reviewerUserId: 'zoe' } : t,
      ),
    }
    expect(plan(snapshot(org()), reviewed, on, NOW).changes).toEqual([])
    const zoeGone = {
      ...reviewed,
      users: reviewed.users.map((u) => (u.id === 'zoe' ? { ...u, status: 'deactivated' as const } : u)),
    }
    expect(kinds(plan(snapshot(org()), zoeGone, on, NOW).changes)).toEqual(['set_reviewer', 'set_members'])
  })
})

describe('team sync setup', () => {
  const start = (): Directory => {
    const directory = syncedDirectory(org(), {}, { extraUsers: [appUser('zoe'), appUser('max')] })
    return { ...directory, teams: [team('t-finance', { memberUserIds: ['zoe'], reviewerUserId: 'max' })] }
  }

  it('Setup: the preview lists teams, reviewers, Unassigned and the app teams it deletes, changing nothing', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    expect(preview.teams.map((t) => [t.key, t.name])).toEqual([
      ['ana', "Ana Doe's team"],
      ['ben', "Ben Doe's team"],
      ['ceo', "Ceo Doe's team"],
    ])
    expect(preview.teams[0]?.reviewer).toEqual({ userId: userOf(directory, 'ana').id })
    expect(preview.unassigned.members).toEqual([
      { userId: userOf(directory, 'ceo').id },
      { userId: 'max' },
      { userId: 'zoe' },
    ])
    expect(preview.unassigned.reasons).toMatchObject({
      zoe: 'added in the app, not in HR',
      max: 'added in the app, not in HR',
    })
    expect(preview.deletes).toEqual(['t-finance'])
  })

  it('Setup: finishing deletes the app teams, builds the synced teams and Unassigned; the next run changes nothing', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    const changes = finishTeamSync(preview, { unassignedReviewerUserId: 'max' }, directory)
    expect(changes[0]).toEqual({
      kind: 'delete_team',
      teamId: 't-finance',
      reason:
        'Team sync replaced the app teams: their reviewers no longer apply to expenses already submitted',
    })
    expect(kinds(changes)).toEqual([
      'delete_team',
      'create_team',
      'create_team',
      'create_team',
      'create_team',
    ])
    const after = applyChanges(directory, changes, INTEGRATION)
    expect(teamOf(after, UNASSIGNED_TEAM_KEY).reviewerUserId).toBe('max')
    expect(plan(snapshot(org()), after, on, NOW).changes).toEqual([])
  })

  it('R12 app-only users: a placement made during setup is kept on later runs', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    const changes = finishTeamSync(preview, { placements: { zoe: 'ana' } }, directory)
    expect(changes).toContainEqual({ kind: 'pin_team', userId: 'zoe', teamKey: 'ana' })
    const after = applyChanges(directory, changes, INTEGRATION)
    expect(teamOf(after, 'ana').memberUserIds).toContain('zoe')
    const later = org({ cy: { managerRemoteId: 'ceo' } })
    const next = applyPlan(after, plan(snapshot(later), after, on, NOW))
    expect(teamOf(next, 'ana').memberUserIds).toContain('zoe')
    expect(teamOf(next, UNASSIGNED_TEAM_KEY).memberUserIds).not.toContain('zoe')
  })

  it('Setup: HR people cannot be placed by hand; moves are made by changing the manager in HR', () => {
    const directory = syncedDirectory([person('solo')])
    const preview = previewTeamSync(
      snapshot([person('solo'), person('ana', { managerRemoteId: 'solo' })]),
      directory,
      on,
      NOW,
    )
    const solo = userOf(directory, 'solo').id
    expect(() => finishTeamSync(preview, { placements: { [solo]: 'solo' } }, directory)).toThrow(
      TeamSyncError,
    )
    expect(() => finishTeamSync(preview, { placements: { [solo]: 'solo' } }, directory)).toThrow(
      /change their manager in HR/,
    )
  })

  it('Setup: the reviewer of Unassigned must be an active user', () => {
    const directory = start()
    const preview = previewTeamSync(snapshot(org()), directory, on, NOW)
    const nobody = () => finishTeamSync(preview, { unassignedReviewerUserId: 'nobody' }, directory)
    expect(nobody).toThrow(expect.objectContaining({ code: 'invalid_reviewer' }))
    expect(kinds(finishTeamSync(preview, { unassignedReviewerUserId: null }, directory))).toContain(
      'create_team',
    )
  })

  it('R18 stop team sync: synced teams become ordinary with members and reviewers; an empty Unassigned is removed', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const withEmptyUnassigned = {
      ...directory,
      teams: directory.teams.map((t) => (t.key === UNASSIGNED_TEAM_KEY ? { ...t, memberUserIds: [] } : t)),
    }
    const changes = stopTeamSync(withEmptyUnassigned)
    expect(kinds(changes).sort()).toEqual(['convert_team', 'convert_team', 'convert_team', 'delete_team'])
    const after = applyChanges(withEmptyUnassigned, changes, INTEGRATION)
    expect(after.teams.every((t) => t.kind === 'ordinary')).toBe(true)
    expect(after.teams.find((t) => t.name === "Ana Doe's team")).toMatchObject({
      reviewerUserId: userOf(directory, 'ana').id,
      memberUserIds: teamOf(directory, 'ana').memberUserIds,
    })
    expect(plan(snapshot(org()), after, settings(), NOW).changes).toEqual([])
  })

  it('R18 stop team sync: a non-empty Unassigned becomes an ordinary team', () => {
    const directory = syncedDirectory(org(), {}, { teamSync: true })
    const changes = stopTeamSync(directory)
    expect(changes).toContainEqual({
      kind: 'convert_team',
      teamId: teamOf(directory, UNASSIGNED_TEAM_KEY).id,
      to: 'ordinary',
    })
    expect(kinds(changes)).not.toContain('delete_team')
  })
})

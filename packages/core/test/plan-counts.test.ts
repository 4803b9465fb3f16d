import { describe, expect, it } from 'vitest'
import type { Change, Directory } from '../src/index.js'
import { plan } from '../src/index.js'
import { NOW, org, person, settings, snapshot, syncedDirectory } from './build.js'

// "Each run records what it changed … and its counts": one count per team, whatever changes it, and
// the changes of one kind listed by the team they touch.

const on = settings({ teamSync: true })

const withGil = (changes: Parameters<typeof org>[0] = {}) => [
  ...org(changes),
  person('gil', { managerRemoteId: 'dan' }),
]

/** The synced teams of org() and gil, the team ids given by hand (a runner chooses its own). */
function directoryWithIds(ids: Record<string, string>): Directory {
  const synced = syncedDirectory(withGil(), {}, { teamSync: true })
  return {
    ...synced,
    teams: synced.teams.map((t) => (t.key !== null && t.key in ids ? { ...t, id: ids[t.key]! } : t)),
  }
}

const teamChange = (change: Change) => ('teamId' in change ? change.teamId : `new ${change.kind}`)

describe('every run: counts.teamsChanged', () => {
  // ceo's team is renamed, ana's gets a new reviewer, ben's new members, cy's team is created and
  // dan's deleted: five teams, each changed by one kind of change only.
  const next = [
    ...org({ ceo: { lastName: 'Stone' }, ana: { status: 'pending' } }),
    person('gil', { managerRemoteId: 'ben' }),
    person('eve', { managerRemoteId: 'ben' }),
    person('fay', { managerRemoteId: 'cy' }),
  ]

  it('Every run: each team a run changes counts once, whichever kind of change it gets', () => {
    const directory = directoryWithIds({ ceo: 't-ceo', ana: 't-ana', ben: 't-ben', dan: 't-dan' })
    const result = plan(snapshot(next), directory, on, NOW)
    expect(result.changes.filter((change) => change.kind === 'create_team' || 'teamId' in change)).toEqual([
      {
        kind: 'create_team',
        key: 'cy',
        name: "Cy Doe's team",
        reviewer: { userId: 'hr1:cy' },
        members: [{ newUserKey: 'hr1:fay' }],
      },
      { kind: 'rename_team', teamId: 't-ceo', name: "Ceo Stone's team" },
      expect.objectContaining({ kind: 'set_reviewer', teamId: 't-ana', to: { userId: 'hr1:ceo' } }),
      {
        kind: 'set_members',
        teamId: 't-ben',
        members: [{ userId: 'hr1:dan' }, { newUserKey: 'hr1:eve' }, { userId: 'hr1:gil' }],
      },
      expect.objectContaining({ kind: 'delete_team', teamId: 't-dan' }),
    ])
    expect(result.counts.teamsChanged).toBe(5)
  })

  it('Every run: a team being created is counted apart from an existing team, even one whose id is its key', () => {
    const directory = directoryWithIds({ ceo: 'cy', ana: 't-ana', ben: 't-ben', dan: 't-dan' })
    const result = plan(snapshot(next), directory, on, NOW)
    expect(result.changes.filter((change) => change.kind === 'rename_team')).toEqual([
      { kind: 'rename_team', teamId: 'cy', name: "Ceo Stone's team" },
    ])
    expect(result.counts.teamsChanged).toBe(5)
  })

  it('Every run: a team with several changes counts once, and user changes count for no team', () => {
    const directory = directoryWithIds({ ceo: 't-ceo', ana: 't-ana', ben: 't-ben', dan: 't-dan' })
    // ana leaves: her team gets a reviewer and, as ben moves up, its members; dan's team empties
    const result = plan(
      snapshot(org({ ana: { lastName: 'Stone', status: 'pending' }, ben: { managerRemoteId: 'ceo' } })),
      directory,
      on,
      NOW,
    )
    const teams = new Set(result.changes.filter((change) => 'teamId' in change).map(teamChange))
    expect(result.changes.some((change) => 'userId' in change)).toBe(true)
    expect(result.counts.teamsChanged).toBe(teams.size)
    expect(result.changes.filter((change) => 'teamId' in change && change.teamId === 't-ana').length).toBe(3)
  })
})

describe('every run: the order of changes within a kind', () => {
  it('Every run: team changes of one kind are listed by team id, not by the manager the team belongs to', () => {
    // the ids run against the managers' order: ceo's team is z, ana's y, ben's x
    const directory = directoryWithIds({ ceo: 't-z', ana: 't-y', ben: 't-x', dan: 't-w' })
    const renamed = withGil({
      ceo: { lastName: 'Stone' },
      ana: { lastName: 'Stone' },
      ben: { lastName: 'Stone' },
      dan: { lastName: 'Stone' },
    })
    const result = plan(snapshot(renamed), directory, on, NOW)
    expect(result.changes.filter((change) => change.kind === 'rename_team').map(teamChange)).toEqual([
      't-w',
      't-x',
      't-y',
      't-z',
    ])
  })

  it('Every run: new teams are listed by key, Unassigned among them', () => {
    const employees = [
      person('zz'),
      person('mm', { managerRemoteId: 'zz' }),
      person('aa', { managerRemoteId: 'mm' }),
      person('b', { managerRemoteId: 'aa' }),
    ]
    const directory = syncedDirectory(employees)
    const result = plan(snapshot(employees), directory, on, NOW)
    expect(result.changes.flatMap((change) => (change.kind === 'create_team' ? [change.key] : []))).toEqual([
      'aa',
      'mm',
      'unassigned',
      'zz',
    ])
  })
})

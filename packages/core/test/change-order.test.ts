import { describe, expect, it } from 'vitest'
import type { Directory } from '../src/index.js'
import { finishTeamSync, previewDisconnect, previewTeamSync, stopTeamSync } from '../src/index.js'
import { INTEGRATION, NOW, org, person, settings, snapshot, syncedDirectory, team } from './build.js'

// "The same input always gives the same plan": R7, R18 and the setup take users and teams in id (or
// key) order, whatever order the store or the preview lists them in.

const mixed = <T>([a, b, c, ...rest]: T[]): T[] => [b!, c!, a!, ...rest]

describe('the order of R7, R18 and setup changes', () => {
  it('R7 disconnect: users are taken in id order, whatever order the store lists them in', () => {
    const directory = syncedDirectory([person('a'), person('b'), person('c')])
    const preview = previewDisconnect({ ...directory, users: mixed(directory.users) }, INTEGRATION, false)
    expect(preview.changes).toEqual([
      { kind: 'unlink_user', userId: 'hr1:a' },
      { kind: 'unlink_user', userId: 'hr1:b' },
      { kind: 'unlink_user', userId: 'hr1:c' },
    ])
  })

  it('R18 stop team sync: teams are taken in id order, whatever order the store lists them in', () => {
    const teams = ['t-a', 't-b', 't-c'].map((id) => team(id, { kind: 'synced', key: id }))
    const directory: Directory = { users: [], teams: mixed(teams) }
    expect(stopTeamSync(directory).map((change) => ('teamId' in change ? change.teamId : ''))).toEqual([
      't-a',
      't-b',
      't-c',
    ])
  })

  it('Setup finish: the teams are created in key order, whatever order the preview lists them in', () => {
    const directory = syncedDirectory(org())
    const preview = previewTeamSync(snapshot(org()), directory, settings({ teamSync: true }), NOW)
    expect(preview.teams.map((t) => t.key)).toEqual(['ana', 'ben', 'ceo'])
    const shuffled = { ...preview, teams: mixed(preview.teams) }
    const created = finishTeamSync(shuffled, {}, directory).flatMap((change) =>
      change.kind === 'create_team' ? [change.key] : [],
    )
    expect(created).toEqual(['ana', 'ben', 'ceo', 'unassigned'])
  })
})

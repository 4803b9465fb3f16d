import { describe, expect, it } from 'vitest'
import { plan } from '../src/index.js'
import { NOW, person, settings, snapshot } from './build.js'

// Issue 19 item 7: manager resolution, loops and ids listed twice have one home, the plan.
describe('what a run reports about the HR data', () => {
  it("R15 unknown manager: a manager HR gives by email is recorded as that person's remoteId", () => {
    const employees = [
      person('ana'),
      person('old', { email: 'boss@acme.test', status: 'terminated' }),
      person('boss', { email: 'Boss@Acme.test' }),
      person('ben', { managerEmail: ' BOSS@acme.test ' }),
      person('cy', { managerEmail: 'nobody@acme.test' }),
      person('dan', { managerEmail: 'ana@acme.test', managerRemoteId: 'boss' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, settings(), NOW)
    const managerOf = Object.fromEntries(
      result.changes.flatMap((change) =>
        change.kind === 'create_user' ? [[change.remoteId, change.person.managerRemoteId]] : [],
      ),
    )
    // the one person not terminated with the email wins; HR's id goes before an email
    expect(managerOf).toEqual({ ana: null, boss: null, ben: 'boss', cy: null, dan: 'boss' })
  })

  it('R15, R16 and R1: with team sync on, each unknown manager, loop and id listed twice is reported once, and counts.warnings is the number listed', () => {
    const employees = [
      person('a', { managerRemoteId: 'b' }),
      person('b', { managerRemoteId: 'a' }),
      person('c', { managerRemoteId: 'ghost' }),
      person('c', { email: 'other@acme.test' }),
      person('d', { managerEmail: 'nobody@acme.test' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, settings({ teamSync: true }), NOW)
    expect(result.warnings.map((warning) => [warning.code, warning.message])).toEqual([
      ['invalid_record', 'c appears twice in Personio; the first record is used'],
      ['unknown_manager', 'C Doe: manager not in HR data (ghost)'],
      ['unknown_manager', 'D Doe: manager not in HR data (nobody@acme.test)'],
      ['manager_loop', 'Loop in the manager chain: A Doe -> B Doe -> A Doe'],
    ])
    expect(result.counts.warnings).toBe(result.warnings.length)
  })
})

import { describe, expect, it } from 'vitest'
import { plan } from '../src/index.js'
import { appUser, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

// R1, R3, R12: what a run keeps of each person, and how it reports those it cannot match.

describe('R1 matching: the HR record kept on the user, and the persons left unmatched', () => {
  const fields = [
    ['department', { department: 'Finance' }, { department: 'Finance' }],
    ['job title', { jobTitle: 'Lead' }, { jobTitle: 'Lead' }],
    ['manager', { managerRemoteId: 'ben' }, { managerRemoteId: 'ben' }],
    ['start date', { startDate: '2025-01-01' }, { startDate: '2025-01-01' }],
    ['termination date', { terminationDate: '2025-12-31' }, { terminationDate: '2025-12-31' }],
    ['HR email', { email: 'ana.ruiz@acme.test' }, { hrEmail: 'ana.ruiz@acme.test' }],
    ['status', { status: 'leave' }, { status: 'leave' }],
    ['first name', { firstName: 'Anna' }, { firstName: 'Anna' }],
    ['last name', { lastName: 'Ruiz' }, { lastName: 'Ruiz' }],
  ] as const
  for (const [name, change, recorded] of fields) {
    it(`R1 matching: a linked person whose ${name} changes in HR gets the new record`, () => {
      const directory = syncedDirectory([person('ana'), person('ben')])
      const result = plan(snapshot([person('ana', change), person('ben')]), directory, settings(), NOW)
      expect(result.changes).toEqual([
        {
          kind: 'update_person',
          userId: userOf(directory, 'ana').id,
          person: expect.objectContaining(recorded),
        },
      ])
    })
  }

  it('R1 matching: a linked user without an HR record yet gets one', () => {
    const synced = syncedDirectory([person('ana')])
    const directory = { ...synced, users: synced.users.map((user) => ({ ...user, person: null })) }
    const result = plan(snapshot([person('ana')]), directory, settings(), NOW)
    expect(result.changes).toEqual([
      { kind: 'update_person', userId: userOf(directory, 'ana').id, person: userOf(synced, 'ana').person },
    ])
  })

  it('R1 matching: persons without a work email are reported in remoteId order, whatever order HR lists them in', () => {
    const ids = ['e', 'd', 'c', 'b', 'a']
    const result = plan(
      snapshot(ids.map((id) => person(id, { email: null }))),
      { users: [], teams: [] },
      settings(),
      NOW,
    )
    expect(result.warnings.map((warning) => [warning.code, warning.remoteIds])).toEqual(
      [...ids].reverse().map((id) => ['missing_email', [id]]),
    )
    expect(result.warnings[0]?.message).toBe(
      'A Doe has no work email in Personio; they are neither linked nor listed',
    )
  })

  it("R12 app-only users: a new person whose email is another integration's user's is a conflict, in words", () => {
    const other = appUser('u9', {
      email: 'sam@acme.test',
      firstName: 'Sam',
      lastName: 'Lee',
      link: { integrationId: 'scim', remoteId: '9' },
      origin: 'hr',
    })
    const result = plan(
      snapshot([person('sam', { email: 'sam@acme.test', firstName: 'Samuel' })]),
      { users: [other], teams: [] },
      settings(),
      NOW,
    )
    expect(result.changes).toEqual([])
    expect(result.warnings).toEqual([
      {
        code: 'email_conflict',
        message:
          "Samuel Doe's email sam@acme.test already belongs to Sam Lee, who is another person; nothing changes for this person",
        remoteIds: ['sam'],
        email: 'sam@acme.test',
      },
    ])
  })
})

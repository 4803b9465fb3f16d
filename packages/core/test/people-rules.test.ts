import { describe, expect, it } from 'vitest'
import { plan } from '../src/index.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

// R4, R6, R10, R17: what each user gets or loses in one run, and the counts the run reports.

describe('people: names, admins and counts', () => {
  it("R6 invitations: an entry on Add people follows HR's change of last name alone", () => {
    const directory = syncedDirectory([person('ana')], { ana: 'uninvited' })
    const result = plan(snapshot([person('ana', { lastName: 'Ruiz' })]), directory, settings(), NOW)
    expect(result.changes.filter((change) => change.kind === 'update_name')).toEqual([
      { kind: 'update_name', userId: userOf(directory, 'ana').id, firstName: 'Ana', lastName: 'Ruiz' },
    ])
  })

  it("R4 revocation: an entry linked to a leaver by email is removed under its own name, not HR's", () => {
    const entry = appUser('u1', { email: 'ana@acme.test', firstName: 'Ann', status: 'uninvited' })
    const result = plan(
      snapshot([person('ana', { status: 'terminated' })]),
      { users: [entry], teams: [] },
      settings(),
      NOW,
    )
    expect(kinds(result.changes)).toEqual(['link_user', 'remove_user'])
  })

  it('R17 admins: only an active admin waits for another admin; an admin who never accepted the invitation loses it at once', () => {
    const directory = syncedDirectory(
      [person('ana'), person('ceo')],
      { ana: 'invited' },
      { admins: ['ana', 'ceo'] },
    )
    const result = plan(
      snapshot([person('ana', { status: 'terminated' }), person('ceo')]),
      directory,
      settings(),
      NOW,
    )
    expect(result.held).toEqual([])
    expect(kinds(result.changes)).toEqual(['revoke_invitation', 'remove_user'])
    expect(result.warnings).toEqual([])
  })

  it('Every run: a re-linked user was linked already, so counts.linked does not change (R10)', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'deactivated' })
    const result = plan(
      snapshot([person('ana-2', { email: 'ana@acme.test' }), person('ben')]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(result.changes)).toEqual(['link_user'])
    expect(result.counts.linked).toBe(2)
  })
})

import { describe, expect, it } from 'vitest'
import type { Directory, DirectoryUser, Employee } from '../src/index.js'
import { plan } from '../src/index.js'
import { appUser, kinds, NOW, person, settings, snapshot } from './build.js'

// R2, R4 and R11 where they meet: who still holds an email a leaver or a changed HR email names.

const left = (remoteId: string, fields: Partial<Employee> = {}) =>
  person(remoteId, { status: 'terminated', terminationDate: '2025-06-01', ...fields })

/** A user linked to `remoteId` of this integration, active unless `fields` say otherwise. */
const linked = (id: string, email: string, remoteId: string, fields: Partial<DirectoryUser> = {}) =>
  appUser(id, { email, origin: 'hr', link: { integrationId: 'hr1', remoteId }, ...fields })

/** An entry on Add people no integration is linked to (as a disconnect leaves it). */
const unlinkedEntry = (id: string, email: string) => appUser(id, { email, status: 'uninvited', origin: 'hr' })

const run = (employees: Employee[], users: DirectoryUser[]) => {
  const directory: Directory = { users, teams: [] }
  return plan(snapshot(employees), directory, settings(), NOW)
}
const codes = (result: { warnings: { code: string }[] }) => result.warnings.map((warning) => warning.code)

describe('R11 email changes: who still holds the new email', () => {
  it('R11 email changes: a leaver whose new HR email an unlinked entry holds is a conflict, as for anyone', () => {
    const result = run(
      [left('ana', { email: 'x@acme.test' })],
      [linked('u-ana', 'ana@acme.test', 'ana'), unlinkedEntry('u-x', 'x@acme.test')],
    )
    expect(codes(result)).toEqual(['email_conflict'])
    expect(result.changes).toEqual([])
  })

  it('R11 email changes: an entry whose email a new person in HR holds is not on its way out, so it conflicts', () => {
    // Ana left and her HR email became Xavier's, who is new in HR; the entry holding it is Xavier's to link
    const result = run(
      [left('ana', { email: 'x@acme.test' }), person('xavier', { email: 'x@acme.test' })],
      [linked('u-ana', 'ana@acme.test', 'ana'), unlinkedEntry('u-x', 'x@acme.test')],
    )
    expect(codes(result)).toContain('email_conflict')
    expect(result.changes.filter((change) => 'userId' in change && change.userId === 'u-ana')).toEqual([])
  })

  it('R11 email changes: an active user whose person left HR still holds their email until they are gone', () => {
    const result = run(
      [person('ana', { email: 'ben@acme.test' })],
      [linked('u-ana', 'ana@acme.test', 'ana'), linked('u-ben', 'ben@acme.test', 'ben')],
    )
    expect(codes(result)).toEqual(['email_conflict'])
    expect(kinds(result.changes)).toEqual(['deactivate_user'])
    expect(result.changes[0]).toMatchObject({ userId: 'u-ben' })
  })
})

describe('R2/R4 a leaver found by email', () => {
  it('R4 leavers: an email two users hold (in different case) links neither to the leaver', () => {
    const result = run(
      [left('ana')],
      [appUser('u1', { email: 'ana@acme.test' }), appUser('u2', { email: 'Ana@Acme.test' })],
    )
    expect(result.changes).toEqual([])
  })
})

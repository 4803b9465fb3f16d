import { describe, expect, it } from 'vitest'
import type { Directory } from '../src/index.js'
import { plan } from '../src/index.js'
import { applyPlan } from './apply.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory } from './build.js'

/** A directory of app-only users (added by an admin, not linked yet). */
const appUsers = (...users: ReturnType<typeof appUser>[]): Directory => ({ users, teams: [] })
const left = (remoteId: string, fields: Parameters<typeof person>[1] = {}) =>
  person(remoteId, { status: 'terminated', terminationDate: '2025-05-31', ...fields })

describe('a user whose email belongs to a person HR lists as terminated (issue 19, item 1)', () => {
  it('R4 revocation: an active app user is linked to the leaver and deactivated, and the run reports it', () => {
    const directory = appUsers(
      appUser('u1', { email: 'Ana@Acme.test', firstName: 'Ann', lastName: 'Ruiz' }),
      appUser('pat'),
    )
    const result = plan(snapshot([left('ana')]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'link_user', userId: 'u1', remoteId: 'ana', relinked: false, person: { status: 'terminated' } },
      {
        kind: 'deactivate_user',
        userId: 'u1',
        reason: 'Ann Ruiz left (terminated in Personio on 2025-05-31)',
      },
    ])
    expect(result.warnings).toEqual([
      {
        code: 'leaver_linked',
        message:
          'Ann Ruiz has the email of Ana Doe, who left Personio; linked so that they lose access as a leaver',
        remoteIds: ['ana'],
        email: 'ana@acme.test',
      },
    ])
    expect(result.counts).toMatchObject({ linked: 1, deactivated: 1, warnings: 1 })
    const after = applyPlan(directory, result)
    expect(after.users.find((user) => user.id === 'u1')).toMatchObject({
      status: 'deactivated',
      link: { remoteId: 'ana' },
    })
    // the next run finds a linked leaver already deactivated: nothing to do, nothing to report
    const again = plan(snapshot([left('ana')]), after, settings(), NOW)
    expect(again.changes).toEqual([])
    expect(again.warnings).toEqual([])
  })

  it('R11 with R4: a linked person who left under an email only another leaver’s Add people entry holds loses access in the same run', () => {
    // Cy is linked to u1; HR now gives Cy the email of Add-people entry u0, which only another leaver
    // (Fay) holds: u0 is linked to Fay and removed in this run, so it blocks nothing, and Cy's user
    // goes in the same run instead of one run later
    const directory: Directory = {
      users: [
        appUser('u0', { email: 'cy@acme.test', status: 'uninvited', origin: 'hr' }),
        appUser('u1', {
          email: 'old@acme.test',
          status: 'uninvited',
          origin: 'hr',
          link: { integrationId: 'hr1', remoteId: 'cy' },
        }),
      ],
      teams: [],
    }
    const now = snapshot([left('cy', { email: 'cy@acme.test' }), left('fay', { email: 'cy@acme.test' })])
    const result = plan(now, directory, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'link_user', userId: 'u0', remoteId: 'fay' },
      { kind: 'remove_user', userId: 'u0' },
      { kind: 'remove_user', userId: 'u1' },
    ])
    expect(result.warnings.map((warning) => warning.code)).not.toContain('email_conflict')
    const after = applyPlan(directory, result)
    expect(after.users).toEqual([])
    expect(plan(now, after, settings(), NOW).changes).toEqual([])
  })

  it('R4 revocation: an uninvited user is removed; an invitation an admin sent is revoked and the user deactivated', () => {
    const directory = appUsers(
      appUser('u1', { email: 'ana@acme.test', firstName: 'Ana', status: 'uninvited' }),
      appUser('u2', { email: 'ben@acme.test', firstName: 'Ben', status: 'invited' }),
    )
    const result = plan(snapshot([left('ana'), left('ben')]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'link_user', userId: 'u1', remoteId: 'ana' },
      { kind: 'link_user', userId: 'u2', remoteId: 'ben' },
      { kind: 'revoke_invitation', userId: 'u2' },
      { kind: 'deactivate_user', userId: 'u2' },
      {
        kind: 'remove_user',
        userId: 'u1',
        reason: 'Ana Doe left (terminated in Personio on 2025-05-31); never invited',
      },
    ])
    expect(result.counts).toMatchObject({ linked: 1, deactivated: 1, removed: 1 })
    expect(applyPlan(directory, result).users.map((user) => [user.id, user.status])).toEqual([
      ['u2', 'deactivated'],
    ])
  })

  it('R4 revocation: a deactivated app user has nothing to lose and is left alone', () => {
    const directory = appUsers(appUser('u1', { email: 'ana@acme.test', status: 'deactivated' }))
    const result = plan(snapshot([left('ana')]), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.warnings).toEqual([])
  })

  it('R2 duplicate emails: when every person on the email is terminated, the user is linked to the first by remoteId and loses access', () => {
    const directory = appUsers(appUser('u1', { email: 'sam@acme.test' }))
    const later = left('sam-2', { email: 'SAM@acme.test' })
    const earlier = left('sam-1', { email: 'sam@acme.test' })
    const result = plan(snapshot([later, earlier]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['link_user', 'deactivate_user'])
    expect(result.changes[0]).toMatchObject({ userId: 'u1', remoteId: 'sam-1' })
    expect(result.warnings).toMatchObject([{ code: 'leaver_linked', remoteIds: ['sam-1'] }])
  })

  it('R2 duplicate emails: the one person not terminated still wins the user, who keeps access', () => {
    const directory = appUsers(appUser('u1', { email: 'sam@acme.test' }))
    const result = plan(
      snapshot([left('old', { email: 'sam@acme.test' }), person('sam', { email: 'sam@acme.test' })]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toMatchObject([{ kind: 'link_user', userId: 'u1', remoteId: 'sam' }])
    expect(result.changes).toHaveLength(1)
    expect(result.warnings).toMatchObject([{ code: 'duplicate_ignored', remoteIds: ['old'] }])
  })

  it('R2 duplicate emails: a "duplicate ignored" leaver takes no user, even when the winner cannot have it (R11 conflict)', () => {
    const directory = syncedDirectory(
      [person('sam')],
      {},
      { extraUsers: [appUser('u1', { email: 'new@acme.test' })] },
    )
    const moved = person('sam', { email: 'new@acme.test' })
    const old = left('old', { email: 'new@acme.test' })
    const result = plan(snapshot([moved, old]), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.warnings.map((warning) => warning.code)).toEqual(['duplicate_ignored', 'email_conflict'])
  })

  it('R20 dates: a termination date still to come links the user as an employee, with access kept', () => {
    const directory = appUsers(appUser('u1', { email: 'ana@acme.test' }))
    const leaving = left('ana', { terminationDate: '2025-06-15' })
    const result = plan(snapshot([leaving]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([{ kind: 'link_user', userId: 'u1', person: { status: 'active' } }])
    expect(result.changes).toHaveLength(1)
    expect(result.warnings).toEqual([])
  })

  it('R5 safety: too many such leavers at once are linked, and their removals held for an admin', () => {
    const names = ['ana', 'ben', 'cy', 'dan']
    const directory = appUsers(...names.map((name) => appUser(name)))
    const result = plan(snapshot(names.map((name) => left(name))), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['link_user', 'link_user', 'link_user', 'link_user'])
    expect(result.held.map((held) => [held.userId, held.reason, held.change.kind])).toEqual(
      names.map((name) => [name, 'mass_removal', 'deactivate_user']),
    )
    expect(result.warnings.find((warning) => warning.code === 'mass_removal_held')?.remoteIds).toEqual(names)
    // once linked, the next run holds them again as any linked leavers
    const next = plan(
      snapshot(names.map((name) => left(name))),
      applyPlan(directory, result),
      settings(),
      NOW,
    )
    expect(next.changes).toEqual([])
    expect(next.held).toHaveLength(4)
  })

  it('R17 admins: an admin found this way is held for another admin; the last active admin keeps access', () => {
    const admins = appUsers(appUser('ana', { role: 'admin' }), appUser('olivia', { role: 'admin' }))
    const held = plan(snapshot([left('ana')]), admins, settings(), NOW)
    expect(kinds(held.changes)).toEqual(['link_user'])
    expect(held.held).toMatchObject([{ userId: 'ana', reason: 'admin', change: { kind: 'deactivate_user' } }])
    expect(held.warnings.map((warning) => [warning.code, warning.remoteIds])).toEqual([
      ['leaver_linked', ['ana']],
      ['admin_removal_held', ['ana']],
    ])

    const alone = appUsers(appUser('ana', { role: 'admin' }))
    const kept = plan(snapshot([left('ana')]), alone, settings(), NOW)
    expect(kinds(kept.changes)).toEqual(['link_user'])
    expect(kept.held).toEqual([])
    expect(kept.warnings.map((warning) => warning.code)).toEqual(['leaver_linked', 'last_admin_kept'])
  })
})

import { describe, expect, it } from 'vitest'
import type { Change } from '../src/index.js'
import { plan } from '../src/index.js'
import { projectUsers } from '../src/people.js'
import {
  appUser,
  INTEGRATION,
  kinds,
  NOW,
  person,
  settings,
  snapshot,
  syncedDirectory,
  userOf,
} from './build.js'

// R5, R17 and the grace period at their edges, with the warnings in full; and the directory the
// team layout reads after a run's user changes (R13).

const leaves = (remoteId: string) => person(remoteId, { status: 'terminated', terminationDate: '2025-06-01' })

describe('people: admins, holds and grace periods at their edges', () => {
  it('R17 last admin: a member who leaves is never taken for the last admin', () => {
    const directory = syncedDirectory([person('ana'), person('ceo')], {}, { admins: ['ceo'] })
    const result = plan(snapshot([leaves('ana'), person('ceo')]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person', 'deactivate_user'])
    expect(result.warnings).toEqual([])
  })

  it('R17 last admin: the warning names the admin kept, their person and their email as matched', () => {
    const directory = syncedDirectory([person('ana')], {}, { admins: ['ana'] })
    userOf(directory, 'ana').email = 'Ana@ACME.test'
    const result = plan(snapshot([leaves('ana')]), directory, settings(), NOW)
    expect(result.warnings).toEqual([
      {
        code: 'last_admin_kept',
        message:
          'Ana Doe left Personio but is the last active admin; they keep access until another admin takes over',
        remoteIds: ['ana'],
        email: 'ana@acme.test',
      },
    ])
  })

  it('R17 admins: a leaving admin waits for another admin, and the warning says so in full', () => {
    const directory = syncedDirectory([person('ana'), person('ceo')], {}, { admins: ['ana', 'ceo'] })
    userOf(directory, 'ana').email = 'ANA@acme.test'
    const result = plan(snapshot([leaves('ana'), person('ceo')]), directory, settings(), NOW)
    expect(result.held.map((held) => held.reason)).toEqual(['admin'])
    expect(result.warnings).toEqual([
      {
        code: 'admin_removal_held',
        message: 'Ana Doe is an admin: their deactivation waits for another admin to confirm',
        remoteIds: ['ana'],
        email: 'ana@acme.test',
      },
    ])
  })

  it('R20 grace period: the warning gives the date an admin chose and the email as matched', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const ana = userOf(directory, 'ana')
    ana.keepAccessUntil = '2025-06-20'
    ana.email = 'Ana@Acme.Test'
    const result = plan(snapshot([leaves('ana'), person('ben')]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person'])
    expect(result.warnings).toEqual([
      {
        code: 'access_kept_until',
        message: 'Ana Doe left Personio but keeps access until 2025-06-20, as an admin decided',
        remoteIds: ['ana'],
        email: 'ana@acme.test',
      },
    ])
  })

  it('R5 mass removal: users an admin already deactivated do not count towards the limit', () => {
    const names = ['ana', 'ben', 'cy', 'dan', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo']
    const gone = ['ana', 'ben', 'cy', 'dan']
    const directory = syncedDirectory(
      names.map((name) => person(name)),
      Object.fromEntries(gone.map((name) => [name, 'deactivated' as const])),
    )
    // four already deactivated and one active leaver: one removal, under the limit of 3
    const result = plan(
      snapshot(names.map((name) => ([...gone, 'eve'].includes(name) ? leaves(name) : person(name)))),
      directory,
      settings(),
      NOW,
    )
    expect(result.held).toEqual([])
    expect(result.changes.filter((change) => change.kind === 'deactivate_user')).toEqual([
      expect.objectContaining({ userId: userOf(directory, 'eve').id }),
    ])
    expect(result.warnings.map((warning) => warning.code)).not.toContain('mass_removal_held')
  })
})

describe('R13 team sync lays teams out on the directory after the run', () => {
  it("each user change is seen as the run leaves the user; a removed user is gone; a new user waits on Add people, HR's", () => {
    const record = plan(snapshot([person('new')]), { users: [], teams: [] }, settings(), NOW).changes[0]
    if (record?.kind !== 'create_user') throw new Error('expected the new user')
    const users = [
      appUser('linked'),
      appUser('renamed', { status: 'uninvited' }),
      appUser('revoked', { status: 'invited' }),
      appUser('deactivated'),
      appUser('removed', { status: 'uninvited' }),
      appUser('untouched'),
    ]
    const changes: Change[] = [
      { kind: 'link_user', userId: 'linked', remoteId: 'p1', person: record.person, relinked: false },
      { kind: 'update_name', userId: 'renamed', firstName: 'Rene', lastName: 'Roe' },
      { kind: 'revoke_invitation', userId: 'revoked', reason: 'left' },
      { kind: 'deactivate_user', userId: 'deactivated', reason: 'left' },
      { kind: 'remove_user', userId: 'removed', reason: 'left' },
      record,
    ]
    const projected = projectUsers(users, changes, INTEGRATION)
    expect(projected).toEqual([
      {
        ref: { userId: 'linked' },
        user: { ...users[0], link: { integrationId: INTEGRATION, remoteId: 'p1' }, person: record.person },
      },
      { ref: { userId: 'renamed' }, user: { ...users[1], firstName: 'Rene', lastName: 'Roe' } },
      { ref: { userId: 'revoked' }, user: { ...users[2], status: 'uninvited' } },
      { ref: { userId: 'deactivated' }, user: { ...users[3], status: 'deactivated' } },
      { ref: { userId: 'untouched' }, user: users[5] },
      {
        ref: { newUserKey: record.newUserKey },
        user: {
          id: record.newUserKey,
          email: 'new@acme.test',
          firstName: 'New',
          lastName: 'Doe',
          status: 'uninvited',
          role: 'member',
          link: { integrationId: INTEGRATION, remoteId: 'new' },
          origin: 'hr',
          person: record.person,
          pinnedTeamKey: null,
        },
      },
    ])
    // the directory itself is not changed
    expect(users[1]).toMatchObject({ firstName: 'Renamed', status: 'uninvited' })
  })

  it('an entry linked by email and renamed in the same run is seen after both changes', () => {
    const record = plan(snapshot([person('ana')]), { users: [], teams: [] }, settings(), NOW).changes[0]
    if (record?.kind !== 'create_user') throw new Error('expected a new user')
    const entry = appUser('entry', { status: 'uninvited', origin: 'hr' })
    const changes: Change[] = [
      { kind: 'link_user', userId: 'entry', remoteId: 'ana', person: record.person, relinked: false },
      { kind: 'update_name', userId: 'entry', firstName: 'Ana', lastName: 'Ruiz' },
    ]
    expect(projectUsers([entry], changes, INTEGRATION)).toEqual([
      {
        ref: { userId: 'entry' },
        user: {
          ...entry,
          firstName: 'Ana',
          lastName: 'Ruiz',
          link: { integrationId: INTEGRATION, remoteId: 'ana' },
          person: record.person,
        },
      },
    ])
  })
})

import { describe, expect, it } from 'vitest'
import type { DirectoryUser, PersonRecord } from '../src/index.js'
import { plan, statusOn, userFlags } from '../src/index.js'
import { applyPlan } from './apply.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

// Rule tests added where mutation testing (pnpm --filter @hrsync/core mutate) found rules no test held.
const TODAY = '2025-06-15'

const record = (fields: Partial<PersonRecord> = {}): PersonRecord => ({
  status: 'active',
  hrEmail: 'ana@acme.test',
  firstName: 'Ana',
  lastName: 'Doe',
  department: null,
  jobTitle: null,
  managerRemoteId: null,
  startDate: null,
  terminationDate: null,
  ...fields,
})

const linked = (fields: Partial<DirectoryUser> = {}, person: Partial<PersonRecord> = {}): DirectoryUser =>
  appUser('u1', {
    email: 'ana@acme.test',
    link: { integrationId: 'hr1', remoteId: 'ana' },
    origin: 'hr',
    person: record(person),
    ...fields,
  })

describe('rules mutation testing found untested', () => {
  it('R5 safety: a snapshot of another integration is refused and changes nothing', () => {
    const directory = syncedDirectory([person('ana')])
    const result = plan(
      snapshot([person('ana', { status: 'terminated' })], { integrationId: 'hr2' }),
      directory,
      settings(),
      NOW,
    )
    expect(result).toMatchObject({
      ok: false,
      failure: 'The snapshot belongs to integration hr2, not hr1',
      changes: [],
      held: [],
    })
    expect(result.counts).toMatchObject({
      persons: 1,
      created: 0,
      deactivated: 0,
      removed: 0,
      held: 0,
      warnings: 1,
      teamsChanged: 0,
    })
  })

  it('R5 safety: an incomplete pull without a reason says which system did not read every page', () => {
    const result = plan(
      snapshot([person('ana')], { complete: false }),
      { users: [], teams: [] },
      settings(),
      NOW,
    )
    expect(result.failure).toBe('The pull from Personio did not read every page')
    expect(result.warnings).toEqual([
      { code: 'pull_failed', message: 'The pull from Personio did not read every page', remoteIds: [] },
    ])
  })

  it("R6 invitations: an entry on Add people follows HR's name change; a user with access keeps their name", () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ben: 'active' })
    directory.users.find((user) => user.link?.remoteId === 'ana')!.status = 'uninvited'
    const renamed = [
      person('ana', { firstName: 'Anna', lastName: 'Ruiz' }),
      person('ben', { firstName: 'Benjamin' }),
    ]
    const result = plan(snapshot(renamed), directory, settings(), NOW)
    expect(result.changes.filter((change) => change.kind === 'update_name')).toEqual([
      { kind: 'update_name', userId: userOf(directory, 'ana').id, firstName: 'Anna', lastName: 'Ruiz' },
    ])
    expect(kinds(result.changes)).toEqual(['update_person', 'update_person', 'update_name'])
    expect(userOf(applyPlan(directory, result), 'ben').firstName).toBe('Ben')
  })

  it("R6 invitations: an app user linked by email while uninvited takes HR's name; one with access keeps theirs", () => {
    const directory = {
      users: [
        appUser('u1', { email: 'ana@acme.test', firstName: null, lastName: null, status: 'uninvited' }),
        appUser('u2', { email: 'ben@acme.test', firstName: 'Benny', lastName: null }),
      ],
      teams: [],
    }
    const result = plan(snapshot([person('ana'), person('ben')]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['link_user', 'link_user', 'update_name'])
    expect(result.changes[2]).toEqual({
      kind: 'update_name',
      userId: 'u1',
      firstName: 'Ana',
      lastName: 'Doe',
    })
  })

  it('R10 rehires: "returning" is a deactivated user whose person is active or pending again, nobody else', () => {
    expect(userFlags(linked({ status: 'deactivated' }), TODAY).returning).toBe(true)
    expect(userFlags(linked({ status: 'deactivated' }, { status: 'pending' }), TODAY).returning).toBe(true)
    expect(userFlags(linked({ status: 'deactivated' }, { status: 'leave' }), TODAY).returning).toBe(false)
    expect(userFlags(linked({ status: 'deactivated' }, { status: 'terminated' }), TODAY).returning).toBe(
      false,
    )
    expect(userFlags(linked({ status: 'active' }), TODAY).returning).toBe(false)
    // an unlinked user's last record no longer speaks for HR
    expect(userFlags(linked({ status: 'deactivated', link: null }), TODAY)).toEqual({
      returning: false,
      leavingOn: null,
      hrEmailDiffers: false,
    })
  })

  it('R20 dates: "leaving on" shows a termination date from today on, never a past one or a terminated person\'s', () => {
    expect(userFlags(linked({}, { terminationDate: '2025-06-15' }), TODAY).leavingOn).toBe('2025-06-15')
    expect(userFlags(linked({}, { terminationDate: '2025-07-01' }), TODAY).leavingOn).toBe('2025-07-01')
    expect(userFlags(linked({}, { terminationDate: '2025-06-14' }), TODAY).leavingOn).toBeNull()
    expect(
      userFlags(linked({}, { status: 'terminated', terminationDate: '2025-07-01' }), TODAY).leavingOn,
    ).toBeNull()
    expect(userFlags(linked(), TODAY).leavingOn).toBeNull()
  })

  it('R11 email changes: "HR email differs" compares trimmed, lower-cased emails, and needs an HR email', () => {
    expect(userFlags(linked({}, { hrEmail: ' ANA@acme.test ' }), TODAY).hrEmailDiffers).toBe(false)
    expect(userFlags(linked({}, { hrEmail: 'ana.ruiz@acme.test' }), TODAY).hrEmailDiffers).toBe(true)
    expect(userFlags(linked({}, { hrEmail: null }), TODAY).hrEmailDiffers).toBe(false)
    expect(userFlags(linked({ email: 'Ana@Acme.test' }), TODAY).hrEmailDiffers).toBe(false)
  })

  it("R20 dates: the status that holds today, whatever HR's status says once the date has passed", () => {
    const on = (status: PersonRecord['status'], terminationDate: string | null) =>
      statusOn({ status, terminationDate }, TODAY)
    expect(on('active', null)).toBe('active')
    expect(on('terminated', null)).toBe('terminated')
    expect(on('leave', '2025-06-14')).toBe('terminated')
    expect(on('terminated', '2025-06-15')).toBe('active')
    expect(on('terminated', '2025-06-16')).toBe('active')
    expect(on('leave', '2025-06-16')).toBe('leave')
    expect(on('pending', '2025-06-15')).toBe('pending')
  })
})

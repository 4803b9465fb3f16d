import { describe, expect, it } from 'vitest'
import type { Directory } from '../src/index.js'
import { isEligibleReviewer, normaliseEmail, plan, todayIn, userFlags } from '../src/index.js'
import { applyPlan } from './apply.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

const TODAY = '2025-06-15'
const empty: Directory = { users: [], teams: [] }

describe('people', () => {
  it('R1 matching: an app-only user is linked by the trimmed, lower-cased work email', () => {
    const directory: Directory = { users: [appUser('u1', { email: 'Ana.Ruiz@Acme.test' })], teams: [] }
    const result = plan(
      snapshot([person('ana', { email: '  ANA.RUIZ@acme.test ' })]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toMatchObject([
      { kind: 'link_user', userId: 'u1', remoteId: 'ana', relinked: false },
    ])
    expect(normaliseEmail('  Ana@X.io ')).toBe('ana@x.io')
    expect(normaliseEmail('   ')).toBeNull()
  })

  it('R1 matching: a linked person is found by remoteId, not by email', () => {
    const directory = syncedDirectory([person('ana')])
    const moved = person('ana', { email: 'ana.ruiz@acme.test' })
    const result = plan(snapshot([moved]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person'])
  })

  it('R1 matching: a person without an email is neither linked nor listed, reported "missing email"', () => {
    const result = plan(snapshot([person('ana', { email: null })]), empty, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.warnings).toMatchObject([{ code: 'missing_email', remoteIds: ['ana'] }])
    expect(result.warnings[0]?.message).toContain('no work email')
  })

  it('R1 matching: a remoteId listed twice keeps its first record, once, and is reported', () => {
    const first = person('ana', { jobTitle: 'Engineer' })
    const second = person('ana', { jobTitle: 'Manager', email: 'ana.other@acme.test' })
    const result = plan(snapshot([first, person('ben'), second]), empty, settings(), NOW)
    const created = result.changes.filter((change) => change.kind === 'create_user')
    expect(created.map((change) => [change.remoteId, change.email, change.person.jobTitle])).toEqual([
      ['ana', 'ana@acme.test', 'Engineer'],
      ['ben', 'ben@acme.test', null],
    ])
    expect(result.warnings).toMatchObject([{ code: 'invalid_record', remoteIds: ['ana'] }])
    expect(result.warnings[0]?.message).toContain('appears twice')
  })

  it('R2 duplicate emails: the one person not terminated wins, the others are "duplicate ignored"', () => {
    const old = person('old', { email: 'sam@acme.test', status: 'terminated' })
    const current = person('new', { email: 'SAM@acme.test' })
    const result = plan(snapshot([old, current]), empty, settings(), NOW)
    expect(result.changes).toMatchObject([{ kind: 'create_user', remoteId: 'new', email: 'sam@acme.test' }])
    expect(result.warnings).toMatchObject([
      { code: 'duplicate_ignored', remoteIds: ['old'], email: 'sam@acme.test' },
    ])
  })

  it('R2 duplicate emails: two persons not terminated on one email change nothing and report the conflict', () => {
    const directory: Directory = { users: [appUser('u1', { email: 'sam@acme.test' })], teams: [] }
    const a = person('a', { email: 'sam@acme.test' })
    const b = person('b', { email: 'sam@acme.test', status: 'leave' })
    const result = plan(snapshot([a, b, person('c')]), directory, settings(), NOW)
    expect(result.ok).toBe(true)
    expect(result.changes).toMatchObject([{ kind: 'create_user', remoteId: 'c' }])
    expect(result.warnings).toMatchObject([{ code: 'duplicate_email', remoteIds: ['a', 'b'] }])
  })

  it('R2 duplicate emails: when every person on the email is terminated, removal applies', () => {
    const directory = syncedDirectory([person('a', { email: 'sam@acme.test' })])
    const a = person('a', { email: 'sam@acme.test', status: 'terminated' })
    const b = person('b', { email: 'sam@acme.test', status: 'terminated' })
    const result = plan(snapshot([a, b, person('c')]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'create_user', remoteId: 'c' },
      { kind: 'update_person', userId: userOf(directory, 'a').id },
      { kind: 'deactivate_user', userId: userOf(directory, 'a').id },
    ])
  })

  it('R3 gone: a linked person absent from a complete pull is gone', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const result = plan(snapshot([person('ben')]), directory, settings(), NOW)
    expect(result.changes).toEqual([
      {
        kind: 'deactivate_user',
        userId: userOf(directory, 'ana').id,
        reason: 'Ana Doe is no longer in Personio',
      },
    ])
  })

  it('R3 gone: a linked person whose status is terminated is gone', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const left = person('ana', { status: 'terminated', terminationDate: '2025-06-01' })
    const result = plan(snapshot([left, person('ben')]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person', 'deactivate_user'])
    expect(result.changes[1]).toMatchObject({ reason: 'Ana Doe left (terminated in Personio on 2025-06-01)' })
  })

  it('R3 gone: a person skipped for an unmapped status is never treated as gone', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const skipped = [
      {
        remoteId: 'ana',
        email: 'ana@acme.test',
        reason: 'unmapped_status' as const,
        message: 'status "sabbatical" is not mapped',
      },
    ]
    const result = plan(snapshot([person('ben')], { skipped }), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.warnings).toMatchObject([{ code: 'unmapped_status', remoteIds: ['ana'] }])
  })

  it('R4 revocation: table of what a gone user loses', () => {
    const everyone = ['act', 'inv', 'uni', 'dea'].map((id) => person(id))
    const directory = syncedDirectory(everyone, {
      act: 'active',
      inv: 'invited',
      uni: 'uninvited',
      dea: 'deactivated',
    })
    const result = plan(snapshot([person('other')]), directory, settings({ approveHeldRemovals: true }), NOW)
    const byUser = (remoteId: string) =>
      kinds(
        result.changes.filter(
          (change) => 'userId' in change && change.userId === userOf(directory, remoteId).id,
        ),
      )
    expect(byUser('act')).toEqual(['deactivate_user'])
    expect(byUser('inv')).toEqual(['revoke_invitation', 'remove_user'])
    expect(byUser('uni')).toEqual(['remove_user'])
    expect(byUser('dea')).toEqual([])
  })

  it('R4 revocation: an app user invited by an admin and linked by email is deactivated, invitation revoked', () => {
    const directory: Directory = {
      users: [appUser('u1', { email: 'ana@acme.test', status: 'invited' })],
      teams: [],
    }
    const linked = applyPlan(
      directory,
      plan(snapshot([person('ana'), person('ben')]), directory, settings(), NOW),
    )
    const result = plan(snapshot([person('ben')]), linked, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['revoke_invitation', 'deactivate_user'])
  })

  it('R6 invitations: HR-only persons become uninvited users; the sync never invites', () => {
    const result = plan(snapshot([person('ana'), person('ben', { status: 'leave' })]), empty, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'create_user', newUserKey: 'hr1:ana', email: 'ana@acme.test', firstName: 'Ana' },
      { kind: 'create_user', newUserKey: 'hr1:ben' },
    ])
    const after = applyPlan(empty, result)
    expect(after.users.map((user) => user.status)).toEqual(['uninvited', 'uninvited'])
  })

  it('R6 invitations: an invitee from the HR list who becomes gone before accepting is revoked and removed', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'invited' })
    const result = plan(snapshot([person('ben')]), directory, settings(), NOW)
    const id = userOf(directory, 'ana').id
    expect(result.changes).toMatchObject([
      { kind: 'revoke_invitation', userId: id },
      { kind: 'remove_user', userId: id },
    ])
  })

  it('R8 leave: a person on leave keeps access and stays an eligible reviewer', () => {
    const directory = syncedDirectory([person('ana')])
    const result = plan(snapshot([person('ana', { status: 'leave' })]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person'])
    const after = applyPlan(directory, result)
    expect(userOf(after, 'ana').status).toBe('active')
    expect(isEligibleReviewer(userOf(after, 'ana'))).toBe(true)
  })

  it('R9 pending: a future hire is listed with the start date and is never an eligible reviewer', () => {
    const pending = person('ana', { status: 'pending', startDate: '2025-07-01' })
    const result = plan(snapshot([pending]), empty, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'create_user', person: { status: 'pending', startDate: '2025-07-01' } },
    ])
    const invitedEarly = { ...applyPlan(empty, result).users[0]!, status: 'active' as const }
    expect(isEligibleReviewer(invitedEarly)).toBe(false)
  })

  it('R9 pending: a rescinded hire (pending, then gone) is removed like any uninvited user', () => {
    const directory = syncedDirectory([person('ana', { status: 'pending' }), person('ben')], {
      ana: 'uninvited',
    })
    const result = plan(snapshot([person('ben')]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([{ kind: 'remove_user', userId: userOf(directory, 'ana').id }])
  })

  it('R10 rehires: a deactivated user whose person is active again stays deactivated and shows as returning', () => {
    const synced = syncedDirectory([person('ana'), person('ben')])
    const left = plan(
      snapshot([person('ana', { status: 'terminated' }), person('ben')]),
      synced,
      settings(),
      NOW,
    )
    const directory = applyPlan(synced, left)
    const result = plan(snapshot([person('ana'), person('ben')]), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['update_person'])
    const ana = userOf(applyPlan(directory, result), 'ana')
    expect(ana.status).toBe('deactivated')
    expect(userFlags(ana, TODAY)).toEqual({ returning: true, leavingOn: null, hrEmailDiffers: false })
  })

  it('R10 rehires: a new remoteId with the email of a deactivated user re-links to that user, reported "re-linked"', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], { ana: 'deactivated' })
    const rehired = person('ana-2', { email: 'ana@acme.test', firstName: 'Ana' })
    const result = plan(snapshot([rehired, person('ben')]), directory, settings(), NOW)
    expect(result.changes).toMatchObject([
      { kind: 'link_user', userId: userOf(directory, 'ana').id, remoteId: 'ana-2', relinked: true },
    ])
    expect(result.warnings).toMatchObject([{ code: 're_linked', remoteIds: ['ana', 'ana-2'] }])
    expect(userOf(applyPlan(directory, result), 'ana-2').status).toBe('deactivated')
  })

  it('R11 email changes: the link survives, the login email stays, "HR email differs" shows', () => {
    const directory = syncedDirectory([person('ana')])
    const result = plan(
      snapshot([person('ana', { email: 'ana.ruiz@acme.test' })]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toMatchObject([
      { kind: 'update_person', person: { hrEmail: 'ana.ruiz@acme.test' } },
    ])
    const ana = userOf(applyPlan(directory, result), 'ana')
    expect(ana.email).toBe('ana@acme.test')
    expect(userFlags(ana, TODAY).hrEmailDiffers).toBe(true)
  })

  it('R11 email changes: a new email that belongs to another user is a conflict and nothing changes', () => {
    const directory = syncedDirectory(
      [person('ana', { jobTitle: 'Buyer' })],
      {},
      { extraUsers: [appUser('bob')] },
    )
    const changed = person('ana', { email: 'bob@acme.test', jobTitle: 'Head of buying' })
    const result = plan(snapshot([changed]), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.warnings).toMatchObject([
      { code: 'email_conflict', remoteIds: ['ana'], email: 'bob@acme.test' },
    ])
  })

  it('R12 app-only users: never deactivated or removed, and linked as soon as their email appears in HR', () => {
    const directory = syncedDirectory([person('ana')], {}, { extraUsers: [appUser('zoe'), appUser('max')] })
    const first = plan(snapshot([person('other')]), directory, settings({ approveHeldRemovals: true }), NOW)
    expect(
      first.changes.filter((change) => 'userId' in change && ['zoe', 'max'].includes(change.userId)),
    ).toEqual([])
    const second = plan(
      snapshot([person('ana'), person('zoe-hr', { email: 'ZOE@acme.test' })]),
      directory,
      settings(),
      NOW,
    )
    expect(second.changes).toMatchObject([
      { kind: 'link_user', userId: 'zoe', remoteId: 'zoe-hr', relinked: false },
    ])
  })

  it('R17 admins: deactivating an admin is held for another admin to confirm', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], {}, { admins: ['ana', 'ben'] })
    const result = plan(snapshot([person('ben')]), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(result.held).toMatchObject([
      { userId: userOf(directory, 'ana').id, reason: 'admin', change: { kind: 'deactivate_user' } },
    ])
    expect(result.warnings).toMatchObject([{ code: 'admin_removal_held' }])
    const approved = plan(snapshot([person('ben')]), directory, settings({ approveHeldRemovals: true }), NOW)
    expect(kinds(approved.changes)).toEqual(['deactivate_user'])
  })

  it('R17 admins: the last active admin is never deactivated by the sync', () => {
    const directory = syncedDirectory([person('ana'), person('ben')], {}, { admins: ['ana'] })
    const result = plan(snapshot([person('ben')]), directory, settings({ approveHeldRemovals: true }), NOW)
    expect(result.changes).toEqual([])
    expect(result.held).toEqual([])
    expect(result.warnings).toMatchObject([{ code: 'last_admin_kept', remoteIds: ['ana'] }])
  })

  it('R19 push: a SCIM snapshot goes through the same rules (deactivation, uninvited creation)', () => {
    const okta = (employees: ReturnType<typeof person>[]) => ({ ...snapshot(employees), source: 'Okta' })
    const directory = syncedDirectory([person('ana'), person('ben')])
    const result = plan(
      okta([person('ana', { status: 'terminated' }), person('ben'), person('cy')]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toMatchObject([
      { kind: 'create_user', remoteId: 'cy' },
      { kind: 'update_person', userId: userOf(directory, 'ana').id },
      {
        kind: 'deactivate_user',
        userId: userOf(directory, 'ana').id,
        reason: 'Ana Doe left (terminated in Okta)',
      },
    ])
    expect(applyPlan(directory, result).users.find((user) => user.link?.remoteId === 'cy')?.status).toBe(
      'uninvited',
    )
  })

  it('R20 dates: "today" is the date in the company time zone', () => {
    const lateEvening = new Date('2025-06-15T23:30:00Z')
    expect(todayIn('Europe/Berlin', lateEvening)).toBe('2025-06-16')
    expect(todayIn('America/Los_Angeles', lateEvening)).toBe('2025-06-15')
    // asked again, each zone still answers its own day, for another moment too
    expect(todayIn('Europe/Berlin', lateEvening)).toBe('2025-06-16')
    expect(todayIn('Europe/Berlin', new Date('2025-06-15T21:30:00Z'))).toBe('2025-06-15')
    expect(todayIn('America/Los_Angeles', new Date('2025-06-16T07:30:00Z'))).toBe('2025-06-16')
    expect(() => todayIn('Not/AZone', lateEvening)).toThrow(RangeError)
  })

  it('R20 dates: a termination takes effect at the end of its date', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const today = plan(
      snapshot([person('ana', { status: 'terminated', terminationDate: '2025-06-15' }), person('ben')]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(today.changes)).toEqual(['update_person'])
    expect(userFlags(userOf(applyPlan(directory, today), 'ana'), TODAY).leavingOn).toBe('2025-06-15')
    const yesterday = plan(
      snapshot([person('ana', { terminationDate: '2025-06-14' }), person('ben')]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(yesterday.changes)).toEqual(['update_person', 'deactivate_user'])
  })

  it('R20 dates: a future termination date with an active status changes nothing yet and shows "leaving on"', () => {
    const directory = syncedDirectory([person('ana')])
    const result = plan(
      snapshot([person('ana', { terminationDate: '2025-07-31' })]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(result.changes)).toEqual(['update_person'])
    const ana = userOf(applyPlan(directory, result), 'ana')
    expect(ana.status).toBe('active')
    expect(userFlags(ana, TODAY)).toEqual({
      returning: false,
      leavingOn: '2025-07-31',
      hrEmailDiffers: false,
    })
  })
})

describe('every run', () => {
  const employees = [
    person('ana'),
    person('ben', { managerRemoteId: 'ana' }),
    person('cy', { status: 'terminated' }),
  ]

  it('is deterministic: the same input in any order gives the identical plan', () => {
    const directory = syncedDirectory(
      [person('ana'), person('dan')],
      {},
      { extraUsers: [appUser('ben', { email: 'BEN@acme.test' })] },
    )
    const a = plan(snapshot(employees), directory, settings({ teamSync: true }), NOW)
    const shuffled = { users: [...directory.users].reverse(), teams: [...directory.teams].reverse() }
    const b = plan(snapshot([...employees].reverse()), shuffled, settings({ teamSync: true }), NOW)
    expect(b).toEqual(a)
  })

  it('is idempotent: planning again after applying a plan changes nothing', () => {
    const first = plan(snapshot(employees), empty, settings({ teamSync: true }), NOW)
    const again = plan(snapshot(employees), applyPlan(empty, first), settings({ teamSync: true }), NOW)
    expect(again.changes).toEqual([])
  })

  it('fills in the counts', () => {
    const directory = syncedDirectory([person('ana'), person('dan')])
    const result = plan(snapshot(employees), directory, settings(), NOW)
    expect(result.counts).toEqual({
      persons: 3,
      linked: 3,
      created: 1,
      deactivated: 1,
      removed: 0,
      held: 0,
      warnings: 0,
      teamsChanged: 0,
    })
  })
})

import { describe, expect, it } from 'vitest'
import type { Directory, DirectoryUser, Employee } from '../src/index.js'
import { normaliseEmail, plan } from '../src/index.js'
import { applyPlan } from './apply.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

// R1, R2, R10, R11, R15: who holds an email, and what a run says when two claim one.

const left = (remoteId: string, fields: Partial<Employee> = {}) =>
  person(remoteId, { status: 'terminated', ...fields })

/** An entry on Add people linked to `remoteId` of `integrationId`. */
const entry = (id: string, email: string, remoteId: string, fields: Partial<DirectoryUser> = {}) =>
  appUser(id, {
    email,
    status: 'uninvited',
    origin: 'hr',
    link: { integrationId: 'hr1', remoteId },
    ...fields,
  })

/** Ana, linked as u-ana, whose HR email becomes `email`; `others` hold emails of their own. */
function anaChangesEmailTo(email: string, others: DirectoryUser[], employees: Employee[] = []) {
  const directory: Directory = {
    users: [entry('u-ana', 'ana@acme.test', 'ana', { status: 'active' }), ...others],
    teams: [],
  }
  return plan(snapshot([person('ana', { email }), ...employees]), directory, settings(), NOW)
}

const codes = (result: { warnings: { code: string }[] }) => result.warnings.map((warning) => warning.code)

describe('R1 matching: emails', () => {
  it('R1 matching: no email, an absent one or a blank one, is no email', () => {
    expect(normaliseEmail(undefined)).toBeNull()
    expect(normaliseEmail(null)).toBeNull()
    expect(normaliseEmail('  ')).toBeNull()
    expect(normaliseEmail(' Sam.Lee@ACME.com ')).toBe('sam.lee@acme.com')
  })

  it('R1 matching: a new person whose email two users hold (in different case) matches neither, and the run names both', () => {
    const users = [appUser('u1', { email: 'Sam@acme.test' }), appUser('u2', { email: 'sam@acme.test' })]
    const result = plan(
      snapshot([person('sam', { firstName: 'Sam', lastName: 'Lee' })]),
      { users, teams: [] },
      settings(),
      NOW,
    )
    expect(result.changes).toEqual([])
    expect(result.warnings).toEqual([
      {
        code: 'email_conflict',
        message:
          "Sam Lee's email sam@acme.test already belongs to U1 Doe, U2 Doe, who is another person; nothing changes for this person",
        remoteIds: ['sam'],
        email: 'sam@acme.test',
      },
    ])
  })

  it('R3 gone: a skipped person is reported with their email when HR gives one, without when not', () => {
    const skipped = [
      { remoteId: 'a', email: ' A@acme.test ', reason: 'unmapped_status' as const, message: 'a: not mapped' },
      { remoteId: 'b', email: null, reason: 'unmapped_status' as const, message: 'b: not mapped' },
    ]
    const result = plan(snapshot([person('c')], { skipped }), { users: [], teams: [] }, settings(), NOW)
    expect(result.warnings).toEqual([
      { code: 'unmapped_status', message: 'a: not mapped', remoteIds: ['a'], email: 'a@acme.test' },
      { code: 'unmapped_status', message: 'b: not mapped', remoteIds: ['b'] },
    ])
  })
})

describe('R2 duplicate emails: reports', () => {
  it('R2 duplicate emails: "duplicate ignored" lists every leaver on the email, by remoteId', () => {
    const employees = [
      left('z-old', { email: 'jo@acme.test', firstName: 'Jo', lastName: 'Zed' }),
      person('new', { email: 'jo@acme.test', firstName: 'Jo', lastName: 'New' }),
      left('a-old', { email: 'jo@acme.test', firstName: 'Jo', lastName: 'Ash' }),
    ]
    const result = plan(snapshot(employees), { users: [], teams: [] }, settings(), NOW)
    expect(result.warnings).toEqual([
      {
        code: 'duplicate_ignored',
        message: 'Jo Ash, Jo Zed (terminated) share the email jo@acme.test with Jo New; duplicate ignored',
        remoteIds: ['a-old', 'z-old'],
        email: 'jo@acme.test',
      },
    ])
    expect(kinds(result.changes)).toEqual(['create_user'])
  })

  it('R2 duplicate emails: several shared emails are reported in email order, whatever order HR lists them in', () => {
    const pair = (email: string) => [person(`${email}-1`, { email }), person(`${email}-2`, { email })]
    const employees = [...pair('kim@acme.test'), ...pair('zed@acme.test'), ...pair('amy@acme.test')]
    const result = plan(snapshot(employees), { users: [], teams: [] }, settings(), NOW)
    expect(result.warnings.map((warning) => warning.email)).toEqual([
      'amy@acme.test',
      'kim@acme.test',
      'zed@acme.test',
    ])
  })

  it('R2 duplicate emails: a leaver whose email an employee holds takes no user, the employee does', () => {
    const sam = appUser('u-sam', { email: 'sam@acme.test' })
    const employees = [left('old', { email: 'sam@acme.test' }), person('new', { email: 'sam@acme.test' })]
    const result = plan(snapshot(employees), { users: [sam], teams: [] }, settings(), NOW)
    expect(result.changes).toEqual([
      expect.objectContaining({ kind: 'link_user', userId: 'u-sam', remoteId: 'new' }),
    ])
  })
})

describe('R11 email changes: who holds the new email', () => {
  it('R11 email changes: the conflict names the person, the new email and its holder', () => {
    const result = anaChangesEmailTo('bob@acme.test', [
      appUser('u-bob', { email: 'bob@acme.test', firstName: 'Bob', lastName: 'Ray' }),
    ])
    expect(result.changes).toEqual([])
    expect(result.warnings).toEqual([
      {
        code: 'email_conflict',
        message:
          "Ana Doe's HR email changed to bob@acme.test, which belongs to Bob Ray; nothing changes for this person",
        remoteIds: ['ana'],
        email: 'bob@acme.test',
      },
    ])
  })

  it('R11 email changes: conflicts of several persons are reported by remoteId, whatever order HR lists them in', () => {
    const employees = [person('zed'), person('amy')]
    const directory = syncedDirectory(employees, {}, { extraUsers: [appUser('x'), appUser('y')] })
    const changed = [person('zed', { email: 'x@acme.test' }), person('amy', { email: 'y@acme.test' })]
    const result = plan(snapshot(changed), directory, settings(), NOW)
    expect(result.warnings.map((warning) => warning.remoteIds)).toEqual([['amy'], ['zed']])
  })

  it("R11 email changes: an entry of another integration holds its email, whoever that integration's person is", () => {
    const other = entry('u-x', 'x@acme.test', 'gone', { link: { integrationId: 'scim', remoteId: 'gone' } })
    expect(codes(anaChangesEmailTo('x@acme.test', [other]))).toEqual(['email_conflict'])
  })

  it('R11 email changes: an entry whose person is still in HR holds its email, against a change and a new person alike', () => {
    // mia's HR email changed too, so her entry's login email is nobody else's in HR
    const directory: Directory = {
      users: [
        entry('u-ana', 'ana@acme.test', 'ana', { status: 'active' }),
        entry('u-mia', 'x@acme.test', 'mia'),
      ],
      teams: [],
    }
    const employees = [person('ana', { email: 'x@acme.test' }), person('mia', { email: 'mia.new@acme.test' })]
    const changed = plan(snapshot(employees), directory, settings(), NOW)
    expect(changed.warnings).toMatchObject([{ code: 'email_conflict', remoteIds: ['ana'] }])
    expect(changed.changes.some((change) => 'userId' in change && change.userId === 'u-ana')).toBe(false)
    const newcomer = plan(
      snapshot([
        person('ana'),
        person('mia', { email: 'mia.new@acme.test' }),
        person('zed', { email: 'x@acme.test' }),
      ]),
      directory,
      settings(),
      NOW,
    )
    expect(newcomer.warnings).toMatchObject([{ code: 'email_conflict', remoteIds: ['zed'] }])
    expect(newcomer.changes.filter((change) => change.kind === 'link_user')).toEqual([])
  })

  it('R11 email changes: an entry whose person was skipped this run still holds its email', () => {
    const skipped = {
      remoteId: 'mia',
      email: 'x@acme.test',
      reason: 'unmapped_status' as const,
      message: 'mia',
    }
    const directory: Directory = {
      users: [
        entry('u-ana', 'ana@acme.test', 'ana', { status: 'active' }),
        entry('u-mia', 'x@acme.test', 'mia'),
      ],
      teams: [],
    }
    const result = plan(
      snapshot([person('ana', { email: 'x@acme.test' })], { skipped: [skipped] }),
      directory,
      settings(),
      NOW,
    )
    expect(codes(result)).toEqual(['unmapped_status', 'email_conflict'])
    expect(result.changes).toEqual([])
  })

  it('R11 email changes: an entry whose person is caught in a duplicate-email conflict (R2) still holds its email', () => {
    // mia left, but her record shares an email with two employees: nothing happens for her this run
    const employees = [
      left('mia', { email: 'dup@acme.test' }),
      person('p1', { email: 'dup@acme.test' }),
      person('p2', { email: 'dup@acme.test' }),
    ]
    const result = anaChangesEmailTo('x@acme.test', [entry('u-mia', 'x@acme.test', 'mia')], employees)
    expect(codes(result)).toEqual(['duplicate_email', 'email_conflict'])
    expect(result.changes).toEqual([])
  })

  it('R11 email changes: an invitation from Add people whose person left frees its email; an admin’s invitation does not', () => {
    const fromHr = entry('u-x', 'x@acme.test', 'gone', { status: 'invited' })
    const freed = anaChangesEmailTo('x@acme.test', [fromHr])
    expect(codes(freed)).toEqual([])
    expect(kinds(freed.changes)).toEqual(['update_person', 'revoke_invitation', 'remove_user'])
    const byAdmin = entry('u-x', 'x@acme.test', 'gone', { status: 'invited', origin: 'manual' })
    expect(codes(anaChangesEmailTo('x@acme.test', [byAdmin]))).toEqual(['email_conflict'])
  })

  it('R11 email changes: an entry not linked yet whose email no leaver holds keeps it', () => {
    const unlinked = appUser('u-x', { email: 'x@acme.test', status: 'uninvited', origin: 'hr' })
    expect(codes(anaChangesEmailTo('x@acme.test', [unlinked]))).toEqual(['email_conflict'])
  })
})

describe('R10 rehires: the old record and the new one', () => {
  it('R10 rehires: while the old record is still listed as terminated, the user goes to the new id and keeps access', () => {
    const directory = syncedDirectory([person('ana')])
    const result = plan(
      snapshot([left('ana'), person('ana-2', { email: 'ana@acme.test', firstName: 'Ana' })]),
      directory,
      settings(),
      NOW,
    )
    expect(result.changes).toEqual([
      expect.objectContaining({ kind: 'link_user', userId: userOf(directory, 'ana').id, relinked: true }),
    ])
    expect(result.warnings).toContainEqual({
      code: 're_linked',
      message: 'Ana Doe is back in Personio under a new id (ana-2); re-linked to Ana Doe, history kept',
      remoteIds: ['ana', 'ana-2'],
      email: 'ana@acme.test',
    })
    expect(userOf(applyPlan(directory, result), 'ana-2').status).toBe('active')
  })

  it('R10 rehires: a leaver whose own email change is in conflict (R11) keeps their user; the new id is not re-linked to it', () => {
    const directory = syncedDirectory([person('ana')], {}, { extraUsers: [appUser('bob')] })
    const employees = [left('ana', { email: 'bob@acme.test' }), person('ana-2', { email: 'ana@acme.test' })]
    const result = plan(snapshot(employees), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(codes(result)).toEqual(['email_conflict', 'email_conflict'])
  })
})

describe('R15 unknown manager: a manager given by email', () => {
  const managerOf = (employees: Employee[]) => {
    const result = plan(snapshot(employees), { users: [], teams: [] }, settings(), NOW)
    return Object.fromEntries(
      result.changes.flatMap((change) =>
        change.kind === 'create_user' ? [[change.remoteId, change.person.managerRemoteId]] : [],
      ),
    )
  }

  it('R15 unknown manager: an email only a leaver holds names that leaver', () => {
    expect(managerOf([left('boss'), person('eve', { managerEmail: 'boss@acme.test' })]).eve).toBe('boss')
  })

  it('R15 unknown manager: an email two employees hold, or two leavers, names nobody', () => {
    const shared = (status: 'active' | 'terminated') => [
      person('b1', { email: 'boss@acme.test', status }),
      person('b2', { email: 'boss@acme.test', status }),
      person('eve', { managerEmail: 'boss@acme.test' }),
    ]
    expect(managerOf(shared('active')).eve).toBeNull()
    expect(managerOf(shared('terminated')).eve).toBeNull()
  })
})

describe('People with no name', () => {
  it('People with no name: a person is named by the name parts HR gives, trimmed; a user by name, else login email', () => {
    const directory: Directory = {
      users: [
        entry('u-ana', 'ana@acme.test', 'ana', { status: 'active' }),
        appUser('u-bob', { email: 'bob@acme.test', firstName: null, lastName: ' ' }),
      ],
      teams: [],
    }
    const changed = person('ana', { email: 'bob@acme.test', firstName: null, lastName: ' Ruiz ' })
    const result = plan(snapshot([changed]), directory, settings(), NOW)
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      "Ruiz's HR email changed to bob@acme.test, which belongs to bob@acme.test; nothing changes for this person",
    ])
  })
})

describe('R2 duplicate emails: linked persons', () => {
  it('R2 duplicate emails: two linked persons whose HR emails become one change nothing, not even their records', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const employees = [
      person('ana', { email: 'team@acme.test', jobTitle: 'Lead' }),
      person('ben', { email: 'team@acme.test', jobTitle: 'Lead' }),
    ]
    const result = plan(snapshot(employees), directory, settings(), NOW)
    expect(result.changes).toEqual([])
    expect(codes(result)).toEqual(['duplicate_email'])
  })

  it('R2 duplicate emails: a linked leaver whose email two employees share keeps their user until HR fixes it', () => {
    const directory = syncedDirectory([person('ana')])
    const employees = [
      left('ana', { email: 'team@acme.test' }),
      person('p1', { email: 'team@acme.test' }),
      person('p2', { email: 'team@acme.test' }),
    ]
    const result = plan(snapshot(employees), directory, settings(), NOW)
    expect(result.changes).toEqual([])
  })

  it('R11 with R2: an entry not linked yet keeps its email when the leaver who shares it is a "duplicate ignored"', () => {
    // ana (linked) changes her email to x@, which an old terminated record also has: that record is
    // ignored, so u-x is not on its way out and still holds x@
    const unlinked = appUser('u-x', { email: 'x@acme.test', status: 'uninvited', origin: 'hr' })
    const result = anaChangesEmailTo('x@acme.test', [unlinked], [left('old', { email: 'x@acme.test' })])
    expect(codes(result)).toEqual(['duplicate_ignored', 'email_conflict'])
    expect(result.changes).toEqual([])
  })
})

describe('R10 rehires: a user with access', () => {
  it('R10 rehires: a user who still has access, whose old record is gone, is re-linked to the new id and keeps access', () => {
    const directory = syncedDirectory([person('ana'), person('ben')])
    const result = plan(
      snapshot([person('ana-2', { email: 'ana@acme.test' }), person('ben')]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(result.changes)).toEqual(['link_user'])
    expect(userOf(applyPlan(directory, result), 'ana-2').status).toBe('active')
  })
})

import { describe, expect, it } from 'vitest'
import {
  approveHeld,
  type Directory,
  type Employee,
  type HeldApproval,
  type PendingRemoval,
  plan,
  type SyncPlan,
  stillGoneAfter,
} from '../src/index.js'
import { applyChanges, applyPlan } from './apply.js'
import { INTEGRATION, kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

/** The removals a plan held, as a runner stores them: with the user as it was at the hold. */
function pending(held: SyncPlan, directory: Directory): PendingRemoval[] {
  return held.held.map((removal, index) => {
    const user = directory.users.find((one) => one.id === removal.userId)!
    return {
      ...removal,
      id: `held${index}`,
      userAtHold: { status: user.status, role: user.role, email: user.email, link: user.link },
    }
  })
}

const approval = (fields: Partial<HeldApproval> = {}): HeldApproval => ({
  integrationId: INTEGRATION,
  source: 'Personio',
  teamSync: false,
  today: '2025-06-15',
  stillGone: null,
  ...fields,
})

/** What a later successful sync still found gone: what it held, and the last admin it kept. */
const goneIn = (later: SyncPlan, directory: Directory) => stillGoneAfter(later, directory.users, INTEGRATION)

const company = Array.from({ length: 40 }, (_, at) => person(`p${String(at).padStart(2, '0')}`))
/** 19 entries on Add people and one active user among the first 20; the other 20 active. */
const statuses = Object.fromEntries(
  company.map((one, at) => [one.remoteId, at < 19 ? 'uninvited' : 'active'] as const),
)

/** Half the company vanishes from HR: 20 removals held (R5). */
function halfTheCompanyHeld(): { directory: Directory; held: SyncPlan } {
  const directory = syncedDirectory(company, statuses)
  const held = plan(snapshot(company.slice(20)), directory, settings(), NOW)
  expect(held.held).toHaveLength(20)
  return { directory: applyPlan(directory, held), held }
}

describe('approving held removals decides again against the present (R5, R17)', () => {
  it('R5 approval: after HR comes back and a sync succeeds, approving the old run removes nobody and says why', () => {
    const { directory, held } = halfTheCompanyHeld()
    const later = plan(snapshot(company), directory, settings(), NOW)
    expect(later.held).toEqual([])
    const now = applyPlan(directory, later)

    const decision = approveHeld(now, pending(held, directory), approval({ stillGone: goneIn(later, now) }))
    expect(decision.changes).toEqual([])
    expect(decision.applied).toEqual([])
    expect(decision.skipped).toHaveLength(20)
    expect(decision.skipped.every((one) => one.reason === 'back_in_hr')).toBe(true)
    expect(decision.skipped[0]!.message).toBe(
      'A later sync found P00 Doe in Personio again; they keep their access',
    )
  })

  it('R5 approval: of a run older than a later one, only those the later run still holds are removed', () => {
    const { directory, held } = halfTheCompanyHeld()
    // 15 are back; p15…p19 are still missing, and the later run holds them again
    const later = plan(snapshot([...company.slice(0, 15), ...company.slice(20)]), directory, settings(), NOW)
    expect(later.held.map(({ userId }) => userId)).toEqual(
      ['p15', 'p16', 'p17', 'p18', 'p19'].map((id) => userOf(directory, id).id),
    )
    const now = applyPlan(directory, later)

    const decision = approveHeld(now, pending(held, directory), approval({ stillGone: goneIn(later, now) }))
    expect(kinds(decision.changes)).toEqual(['deactivate_user', ...Array(4).fill('remove_user')])
    expect(decision.skipped.map(({ reason }) => reason)).toEqual(Array(15).fill('back_in_hr'))
  })

  it('issue 20 §5 approval: a grace period granted after the hold keeps the user through its date, then approval removes them', () => {
    const { directory, held } = halfTheCompanyHeld()
    const leaver = userOf(directory, 'p19')
    expect(leaver.status).toBe('active')
    const now: Directory = {
      ...directory,
      users: directory.users.map((user) =>
        user === leaver ? { ...user, keepAccessUntil: '2025-06-20' } : user,
      ),
    }
    const during = approveHeld(now, pending(held, directory), approval({ today: '2025-06-20' }))
    expect(during.skipped).toEqual([
      {
        userId: leaver.id,
        removalIds: ['held19'],
        reason: 'access_kept_until',
        message:
          'P19 Doe keeps access until 2025-06-20, as an admin decided; the first sync after that date removes them',
      },
    ])
    expect(during.applied).toHaveLength(19)
    expect(during.changes.some((change) => 'userId' in change && change.userId === leaver.id)).toBe(false)

    const after = approveHeld(now, pending(held, directory), approval({ today: '2025-06-21' }))
    expect(after.skipped).toEqual([])
    expect(after.applied).toHaveLength(20)
  })

  it('R5 approval: a user changed since the hold (invited from Add people) is skipped, the others apply', () => {
    const { directory, held } = halfTheCompanyHeld()
    const invited = userOf(directory, 'p00')
    const now: Directory = {
      ...directory,
      users: directory.users.map((user) => (user === invited ? { ...user, status: 'invited' } : user)),
    }
    const decision = approveHeld(now, pending(held, directory), approval())
    expect(decision.skipped).toEqual([
      {
        userId: invited.id,
        removalIds: ['held0'],
        reason: 'user_changed',
        message: 'P00 Doe changed since the hold (status uninvited → invited); the next sync decides again',
      },
    ])
    expect(decision.applied).toHaveLength(19)
  })

  it('R5 approval: a removal already done, or of a user deleted since, is skipped as such', () => {
    const { directory, held } = halfTheCompanyHeld()
    const done = userOf(directory, 'p19')
    const now: Directory = {
      ...directory,
      users: directory.users
        .filter((user) => user.id !== userOf(directory, 'p00').id)
        .map((user) => (user === done ? { ...user, status: 'deactivated' } : user)),
    }
    const decision = approveHeld(now, pending(held, directory), approval())
    expect(decision.skipped.map(({ reason }) => reason)).toEqual(['user_removed', 'already_done'])
    expect(decision.applied).toHaveLength(18)
  })

  it('R17 approval: two admins held in two runs, approved one after the other: the last active admin is kept', () => {
    const people = [person('ana'), person('ben'), person('cy'), person('dan')]
    const start = syncedDirectory(people, {}, { admins: ['ana', 'ben'] })
    const first = plan(snapshot(people.slice(1)), start, settings(), NOW)
    expect(first.held).toMatchObject([{ userId: userOf(start, 'ana').id, reason: 'admin' }])
    const afterFirst = applyPlan(start, first)
    // Ana is still gone; the run keeps her as the last admin and holds Ben
    const second = plan(snapshot(people.slice(2)), afterFirst, settings(), NOW)
    expect(second.held).toMatchObject([{ userId: userOf(start, 'ben').id, reason: 'admin' }])
    const afterSecond = applyPlan(afterFirst, second)

    const approveAna = approveHeld(
      afterSecond,
      pending(first, start),
      approval({ stillGone: goneIn(second, afterSecond) }),
    )
    expect(approveAna.changes).toMatchObject([{ kind: 'deactivate_user', userId: userOf(start, 'ana').id }])
    const afterAna = applyChanges(afterSecond, approveAna.changes, INTEGRATION)

    const approveBen = approveHeld(afterAna, pending(second, afterFirst), approval())
    expect(approveBen.changes).toEqual([])
    expect(approveBen.skipped).toEqual([
      {
        userId: userOf(start, 'ben').id,
        removalIds: ['held0'],
        reason: 'last_admin_kept',
        message:
          'Ben Doe left Personio but is the last active admin; they keep access until another admin takes over',
      },
    ])
    expect(approveBen.warnings).toMatchObject([{ code: 'last_admin_kept', remoteIds: ['ben'] }])
  })

  it('issue 19.6: an approved admin removal takes the admin out of their team and Unassigned review, as a sync would', () => {
    const people: Employee[] = [
      person('ceo'),
      person('ana', { managerRemoteId: 'ceo' }),
      person('ben', { managerRemoteId: 'ceo' }),
      person('cy', { managerRemoteId: 'ceo' }),
    ]
    const synced = syncedDirectory(people, {}, { admins: ['ceo', 'ana'], teamSync: true })
    const ana = userOf(synced, 'ana')
    const unassigned = synced.teams.find((team) => team.kind === 'unassigned')!
    const start: Directory = {
      ...synced,
      teams: synced.teams.map((team) => (team === unassigned ? { ...team, reviewerUserId: ana.id } : team)),
    }
    const gone = people.filter((one) => one.remoteId !== 'ana')
    const held = plan(snapshot(gone), start, settings({ teamSync: true }), NOW)
    expect(held.held).toMatchObject([{ userId: ana.id, reason: 'admin' }])
    const waiting = applyPlan(start, held)
    const ceoTeam = waiting.teams.find((team) => team.key === 'ceo')!
    expect(ceoTeam.memberUserIds).toContain(ana.id)

    const decision = approveHeld(waiting, pending(held, start), approval({ teamSync: true }))
    expect(decision.changes).toEqual([
      { kind: 'deactivate_user', userId: ana.id, reason: 'Ana Doe is no longer in Personio' },
      {
        kind: 'set_reviewer',
        teamId: unassigned.id,
        fromUserId: ana.id,
        to: null,
        reason: 'The reviewer of Unassigned no longer has access; an admin picks a new one',
      },
      {
        kind: 'set_members',
        teamId: ceoTeam.id,
        members: ceoTeam.memberUserIds.filter((id) => id !== ana.id).map((userId) => ({ userId })),
      },
    ])
    // the next sync finds nothing left to do for teams
    const approved = applyChanges(waiting, decision.changes, INTEGRATION)
    expect(plan(snapshot(gone), approved, settings({ teamSync: true }), NOW).changes).toEqual([])
  })

  it('issue 19.6: with team sync off, an approval leaves teams alone, as a sync does', () => {
    const people = [person('ana'), person('ben')]
    const directory = syncedDirectory(people, {}, { admins: ['ana', 'ben'] })
    const ana = userOf(directory, 'ana')
    const withTeam: Directory = {
      ...directory,
      teams: [
        {
          id: 'ops',
          name: 'Ops',
          kind: 'ordinary',
          key: null,
          nameOverridden: false,
          reviewerUserId: ana.id,
          memberUserIds: [ana.id],
        },
      ],
    }
    const held = plan(snapshot(people.slice(1)), withTeam, settings(), NOW)
    const decision = approveHeld(withTeam, pending(held, withTeam), approval())
    expect(kinds(decision.changes)).toEqual(['deactivate_user'])
  })
})

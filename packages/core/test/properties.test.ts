import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type {
  Directory,
  DirectoryUser,
  Employee,
  PersonRecord,
  Snapshot,
  SyncSettings,
} from '../src/index.js'
import { EMPLOYEE_STATUSES, employee, normaliseEmail, plan } from '../src/index.js'
import { applyPlan } from './apply.js'
import { INTEGRATION, NOW, settings, snapshot, team } from './build.js'

const REMOTE_IDS = ['a', 'b', 'c', 'd', 'e', 'f']
const EMAILS = ['a@acme.test', 'b@acme.test', 'c@acme.test', 'd@acme.test', 'e@acme.test']
const DATES = ['2025-06-10', '2025-06-15', '2025-06-20']

const email = fc
  .tuple(fc.constantFrom(...EMAILS), fc.constantFrom('', ' '), fc.boolean())
  .map(([address, pad, upper]) => `${pad}${upper ? address.toUpperCase() : address}${pad}`)
const status = fc.constantFrom(...EMPLOYEE_STATUSES)
const name = fc.constantFrom('Ana', 'Ben', null)

const employeeOf = (remoteId: string) =>
  fc
    .record({
      status,
      email: fc.option(email, { nil: null, freq: 6 }),
      managerRemoteId: fc.option(fc.constantFrom(...REMOTE_IDS, 'ghost'), { nil: null }),
      firstName: name,
      lastName: name,
      terminationDate: fc.option(fc.constantFrom(...DATES), { nil: null }),
    })
    .map((fields): Employee => employee({ remoteId, ...fields }))

/** Some people, and some of the others skipped for a status the connector cannot map. */
const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .subarray(REMOTE_IDS)
  .chain((ids) =>
    fc.tuple(
      fc.tuple(...ids.map(employeeOf)),
      fc.subarray(REMOTE_IDS.filter((id) => !ids.includes(id))).map((rest) => rest.slice(0, 2)),
    ),
  )
  .map(([employees, skipped]) =>
    snapshot(employees, {
      skipped: skipped.map((remoteId) => ({
        remoteId,
        email: null,
        reason: 'unmapped_status' as const,
        message: `status of ${remoteId} is not mapped`,
      })),
    }),
  )

const recordArb: fc.Arbitrary<PersonRecord> = fc.record({
  status,
  hrEmail: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  firstName: name,
  lastName: name,
  department: fc.constant(null),
  jobTitle: fc.constant(null),
  managerRemoteId: fc.constant(null),
  startDate: fc.constant(null),
  terminationDate: fc.option(fc.constantFrom(...DATES), { nil: null }),
})

const userArb = fc.record({
  email: fc.constantFrom(...EMAILS, 'zoe@acme.test', 'max@acme.test'),
  firstName: name,
  lastName: name,
  status: fc.constantFrom('uninvited', 'invited', 'active', 'deactivated') as fc.Arbitrary<
    DirectoryUser['status']
  >,
  role: fc.constantFrom('admin', 'member') as fc.Arbitrary<DirectoryUser['role']>,
  link: fc.option(
    fc.record({
      integrationId: fc.constantFrom(INTEGRATION, INTEGRATION, 'other'),
      remoteId: fc.constantFrom(...REMOTE_IDS),
    }),
    { nil: null },
  ),
  origin: fc.constantFrom('hr', 'manual') as fc.Arbitrary<DirectoryUser['origin']>,
  person: recordArb,
  pinnedTeamKey: fc.option(fc.constantFrom(...REMOTE_IDS), { nil: null }),
})

/** A consistent directory: unique ids, login emails and links. */
const directoryArb: fc.Arbitrary<Directory> = fc
  .uniqueArray(userArb, { maxLength: 7, selector: (user) => user.email })
  .map((users) => {
    const links = new Set<string>()
    return {
      teams: [{ ...team('t-app', { memberUserIds: ['u0'] }) }],
      users: users.map((user, i): DirectoryUser => {
        const key = user.link ? `${user.link.integrationId}:${user.link.remoteId}` : null
        const link = key !== null && !links.has(key) ? user.link : null
        if (key !== null) links.add(key)
        return { ...user, id: `u${i}`, link, person: link === null ? null : user.person }
      }),
    }
  })

const settingsArb: fc.Arbitrary<SyncSettings> = fc
  .record({ teamSync: fc.boolean(), approveHeldRemovals: fc.boolean() })
  .map((fields) => settings(fields))

/** Two runs: the directory after `before`, then after `after`, and the plan that would come next. */
function twoRuns(directory: Directory, before: Snapshot, after: Snapshot, config: SyncSettings) {
  const firstPlan = plan(before, directory, config, NOW)
  const first = applyPlan(directory, firstPlan)
  const secondPlan = plan(after, first, config, NOW)
  const second = applyPlan(first, secondPlan)
  return { first, second, next: plan(after, second, config, NOW), anyOk: firstPlan.ok || secondPlan.ok }
}

const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) }

describe('properties of the sync', () => {
  it('applying a plan then planning again yields no change', () => {
    fc.assert(
      fc.property(directoryArb, snapshotArb, snapshotArb, settingsArb, (directory, before, after, config) => {
        expect(twoRuns(directory, before, after, config).next.changes).toEqual([])
      }),
      runs,
    )
  })

  it('counts.linked is the number of users linked to the integration once the plan is applied', () => {
    fc.assert(
      fc.property(directoryArb, snapshotArb, settingsArb, (directory, snap, config) => {
        const result = plan(snap, directory, config, NOW)
        const after = result.ok ? applyPlan(directory, result) : directory
        const linked = after.users.filter((user) => user.link?.integrationId === INTEGRATION).length
        expect(result.counts.linked).toBe(linked)
      }),
      runs,
    )
  })

  it('the sync never grants access: nobody becomes active or invited', () => {
    fc.assert(
      fc.property(directoryArb, snapshotArb, snapshotArb, settingsArb, (directory, before, after, config) => {
        const { first, second } = twoRuns(directory, before, after, config)
        for (const [from, to] of [
          [directory, first],
          [first, second],
        ] as const) {
          const previous = new Map(from.users.map((user) => [user.id, user.status]))
          for (const user of to.users) {
            const was = previous.get(user.id) ?? 'uninvited'
            if (was !== 'active') expect(user.status).not.toBe('active')
            if (was !== 'invited') expect(user.status).not.toBe('invited')
          }
        }
      }),
      runs,
    )
  })

  it('app-only users with no email in HR are never changed', () => {
    fc.assert(
      fc.property(directoryArb, snapshotArb, snapshotArb, settingsArb, (directory, before, after, config) => {
        const hrEmails = new Set(
          [...before.employees, ...after.employees].map((e) => normaliseEmail(e.email)),
        )
        const appOnly = directory.users.filter(
          (user) => user.link === null && !hrEmails.has(normaliseEmail(user.email)),
        )
        const { second } = twoRuns(directory, before, after, config)
        for (const user of appOnly) expect(second.users.find((u) => u.id === user.id)).toEqual(user)
      }),
      runs,
    )
  })

  it('with team sync on, every linked or app-only user with access is in exactly one synced team or Unassigned', () => {
    const teamSync = settingsArb.map((config) => ({ ...config, teamSync: true }))
    fc.assert(
      fc.property(directoryArb, snapshotArb, snapshotArb, teamSync, (directory, before, after, config) => {
        const { second, anyOk } = twoRuns(directory, before, after, config)
        if (!anyOk) return
        const managed = second.teams.filter((team) => team.kind === 'synced' || team.kind === 'unassigned')
        for (const user of second.users) {
          if (
            user.status === 'deactivated' ||
            (user.link !== null && user.link.integrationId !== INTEGRATION)
          )
            continue
          const teams = managed.filter((team) => team.memberUserIds.includes(user.id))
          expect(teams.map((team) => team.key)).toHaveLength(1)
        }
      }),
      runs,
    )
  })

  it('the plan does not depend on the order of its inputs', () => {
    fc.assert(
      fc.property(directoryArb, snapshotArb, settingsArb, (directory, snap, config) => {
        const reversed = { ...snap, employees: [...snap.employees].reverse() }
        const shuffled = { users: [...directory.users].reverse(), teams: directory.teams }
        expect(plan(reversed, shuffled, config, NOW)).toEqual(plan(snap, directory, config, NOW))
      }),
      runs,
    )
  })

  it('R2 duplicate emails: every email two employed persons share is reported, in lists of any size', () => {
    // emails from a pool sized to the list, so some repeat and most do not; non-ASCII ones too
    const listArb = fc
      .integer({ min: 1, max: 4000 })
      .chain((count) =>
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: count * 2 }),
            fc.constantFrom('acme.test', 'bücher.test', 'ñandú.test'),
          ),
          { minLength: count, maxLength: count },
        ),
      )
    fc.assert(
      fc.property(listArb, (picks) => {
        const employees = picks.map(([n, domain], index) =>
          employee({ remoteId: `r${index}`, status: 'active', email: `p${n}@${domain}` }),
        )
        const seen = new Map<string, number>()
        for (const { email } of employees) seen.set(email!, (seen.get(email!) ?? 0) + 1)
        const expected = [...seen].filter(([, times]) => times > 1).map(([email]) => email)
        const result = plan(snapshot(employees), { users: [], teams: [] }, settings(), NOW)
        const reported = result.warnings.filter((warning) => warning.code === 'duplicate_email')
        expect(reported.map((warning) => warning.email).sort()).toEqual(expected.sort())
        for (const warning of reported) expect(warning.remoteIds).toHaveLength(seen.get(warning.email!)!)
      }),
      { numRuns: 60 },
    )
  }, 60_000) // 60 plans of up to 4,000 people: the default 5 s measures the machine, not the rule
})

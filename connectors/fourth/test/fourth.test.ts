import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pullEmployees, validateConfig } from '@hrsync/connector-kit'
import {
  checkFixture,
  formatFindings,
  leakCheck,
  loadFixture,
  REQUIRED_SCENARIOS,
  replayFixture,
} from '@hrsync/connector-kit/testing'
import type { Employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import fourth, { ENTERPRISE, type ScimUser, STATUS, toEmployee, workEmail } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const file = (scenario: string) => join(fixturesDir, `${scenario}.json`)
const now = new Date('2026-11-25T10:00:00Z')
const scenarios = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => name.slice(0, -'.json'.length))

/*
 * The kit's runContractSuite asks every connector for a pending person with a future start date, a terminated
 * person with a past termination date and a three-level manager chain. The Fourth Account SCIM API has no
 * dates, no pending state and no manager, so the suite's other checks run here one by one, over the same
 * fixtures.
 */
describe('Fourth connector contract', () => {
  it.each(REQUIRED_SCENARIOS)('ships the %s scenario', (scenario) => {
    expect(scenarios).toContain(scenario)
    expect(loadFixture(file(scenario)).meta.scrubbed).toBe(true)
  })

  it('declares exactly the values its status table maps', () => {
    expect([...fourth.capabilities.listEmployees.statuses].sort()).toEqual(Object.keys(STATUS).sort())
  })

  it.each(scenarios)('%s: replays to its expected output', async (scenario) => {
    const fixture = loadFixture(file(scenario))
    if (fixture.expected.check) {
      expect(await checkFixture(fourth, file(scenario), { now })).toMatchObject(fixture.expected.check)
      if (!fixture.expected.employees && !fixture.expected.error) return
    }
    const outcome = await replayFixture(fourth, file(scenario), { now })
    if (fixture.expected.error) {
      expect(outcome.result, 'a failed pull yields nothing').toBeUndefined()
      expect(outcome.error?.code, outcome.error?.message).toBe(fixture.expected.error.code)
      return
    }
    if (outcome.error) throw outcome.error
    expect(outcome.result?.employees).toEqual(fixture.expected.employees)
    expect(outcome.result?.skipped).toEqual(fixture.expected.skipped ?? [])
    expect(outcome.result?.warnings).toEqual(fixture.expected.warnings ?? [])
  })

  it('happy-multipage: reads every page to totalResults', async () => {
    const outcome = await replayFixture(fourth, file('happy-multipage'), { now })
    expect(outcome.result?.pages).toBe(3)
    expect(outcome.result?.employees.map((e) => e.remoteId)).toHaveLength(5)
  })

  it('auth-failure: invalid_credentials from checkConnection and from the pull', async () => {
    const check = await checkFixture(fourth, file('auth-failure'), { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/^Fourth rejected the OAuth client ID and secret/)
    expect((await replayFixture(fourth, file('auth-failure'), { now })).error?.code).toBe(
      'invalid_credentials',
    )
  })

  it('rate-limited: waits at least the Retry-After and then succeeds', async () => {
    const outcome = await replayFixture(fourth, file('rate-limited'), { now })
    expect(outcome.result?.employees).toHaveLength(1)
    expect(outcome.delays[0]).toBeGreaterThanOrEqual(3000)
  })

  it('server-error-mid-pagination: the whole pull fails after a page was read', async () => {
    const outcome = await replayFixture(fourth, file('server-error-mid-pagination'), { now })
    expect(outcome.result).toBeUndefined()
    expect(outcome.error?.code).toBe('vendor_error')
  })

  it('statuses: both states Fourth has, and never a date', async () => {
    const employees = (await replayFixture(fourth, file('statuses'), { now })).result?.employees ?? []
    expect(employees.map((e) => e.status)).toEqual(['active', 'terminated'])
    expect(employees.every((e) => e.startDate === null && e.terminationDate === null)).toBe(true)
  })

  it('managers: nobody carries a manager', async () => {
    const employees = (await replayFixture(fourth, file('managers'), { now })).result?.employees ?? []
    expect(employees.length).toBeGreaterThan(0)
    expect(employees.every((e) => e.managerRemoteId === null && e.managerEmail === null)).toBe(true)
  })

  it('empty-tenant: an empty list, not an error', async () => {
    expect((await replayFixture(fourth, file('empty-tenant'), { now })).result?.employees).toEqual([])
  })

  it('no fixture leaks a secret, a token or a real email address', () => {
    const findings = leakCheck(scenarios.map(file), { connector: fourth })
    expect(formatFindings(findings)).toBe('')
  })
})

const user = (fields: Partial<ScimUser>): ScimUser => ({
  id: '0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d0001',
  name: { givenName: 'Zoë', familyName: 'Müller' },
  emails: [{ value: 'zoe.muller@example.com', type: 'work', primary: true }],
  title: 'Restaurant Manager',
  active: true,
  [ENTERPRISE]: { division: 'The Crown - Leeds' },
  ...fields,
})

describe('Fourth status table', () => {
  it.each([
    [true, 'active'],
    [false, 'terminated'],
    ['True', 'active'],
    ['false', 'terminated'],
  ] as const)('active %s → %s', (active, status) => {
    expect((toEmployee(user({ active })) as Employee).status).toBe(status)
  })

  it('an account without "active" is skipped, never taken as active', () => {
    expect(toEmployee(user({ active: null }))).toMatchObject({ reason: 'unmapped_status' })
    expect(toEmployee(user({ active: 'suspended' }))).toMatchObject({
      reason: 'unmapped_status',
      message: '"active": suspended; Fourth documents only true and false',
    })
  })
})

describe('Fourth mapping', () => {
  it('takes the work email, else the primary one, never userName', () => {
    expect(
      workEmail([
        { value: 'home@example.net', type: 'home', primary: true },
        { value: 'work@example.com', type: 'work' },
      ]),
    ).toBe('work@example.com')
    expect(workEmail([{ value: 'only@example.com', type: 'other', primary: true }])).toBe('only@example.com')
    expect(workEmail([{ value: 'home@example.net', type: 'home', primary: false }])).toBeNull()
    expect((toEmployee(user({ emails: [], userName: 'zoe@example.com' })) as Employee).email).toBeNull()
  })

  it('reports the division as department, else the extension department', () => {
    expect(toEmployee(user({}))).toMatchObject({
      department: 'The Crown - Leeds',
      jobTitle: 'Restaurant Manager',
    })
    expect(toEmployee(user({ [ENTERPRISE]: { department: 'Kitchen' } }))).toMatchObject({
      department: 'Kitchen',
    })
    expect(toEmployee(user({ [ENTERPRISE]: null, title: ' ' }))).toMatchObject({
      department: null,
      jobTitle: null,
    })
  })

  it('never sets a manager or a date', () => {
    expect(toEmployee(user({}))).toMatchObject({
      managerRemoteId: null,
      startDate: null,
      terminationDate: null,
    })
  })
})

describe('Fourth connection settings', () => {
  it('fills the published token URL and the page size', () => {
    expect(
      validateConfig(fourth, {
        clientId: 'id',
        clientSecret: 'secret',
        scimBaseUrl: 'https://scim.test.fourth.com/v2',
      }),
    ).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      scimBaseUrl: 'https://scim.test.fourth.com/v2',
      tokenUrl: 'https://api.fourth.com/oauth/connect/token',
      pageSize: 100,
    })
  })

  it('refuses a SCIM root outside Fourth', async () => {
    const result = await pullEmployees(fourth, {
      clientId: 'id',
      clientSecret: 'secret',
      scimBaseUrl: 'https://scim.example.net/v2',
      tokenUrl: 'https://scim.example.net/token',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Fourth over documented exchanges', () => {
  it('names the URL to fix when /Users is not found', async () => {
    const { error } = await replayFixture(fourth, file('wrong-root-url'), { now })
    expect(error?.message).toMatch(/no SCIM Users list at https:\/\/scim\.test\.fourth\.com\/v2\/Users/)
  })

  it('explains a missing scim scope', async () => {
    const check = await checkFixture(fourth, file('missing-scope'), { now })
    expect(check.ok ? '' : check.message).toMatch(/needs the scim scope for this customer/)
  })
})

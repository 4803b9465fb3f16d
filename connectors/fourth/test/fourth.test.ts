import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import fourth, { ENTERPRISE, type ScimUser, STATUS, toEmployee, workEmail } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const file = (scenario: string) => join(fixturesDir, `${scenario}.json`)
const now = new Date('2026-11-25T10:00:00Z')
// The Fourth Account SCIM API has no dates, no pending state and no manager: the contract suite asks only
// for what it can express.
runContractSuite(fourth, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorHas: { startDates: false, pending: false, managers: false },
  vendorApiVersion: 'Fourth Account SCIM API',
  connectorVersion: packageJson.version,
})

describe('Fourth specifics', () => {
  it("issue 23: Fourth's per-customer roots can be allowed by the operator, and it declares no termination dates", () => {
    expect(fourth.allowedHostsExtensible).toBe(true)
    expect(fourth.capabilities.listEmployees.terminationDates).toBe('none')
  })

  it('happy-multipage: reads every page to totalResults', async () => {
    const outcome = await replayFixture(fourth, file('happy-multipage'), { now })
    expect(outcome.result?.pages).toBe(3)
    expect(outcome.result?.employees.map((e) => e.remoteId)).toHaveLength(5)
  })

  it("auth-failure: the check says it in Fourth's words", async () => {
    const check = await checkFixture(fourth, file('auth-failure'), { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/^Fourth rejected the OAuth client ID and secret/)
  })

  it('statuses: both states Fourth has, and never a date', async () => {
    const employees = (await replayFixture(fourth, file('statuses'), { now })).result?.employees ?? []
    expect(employees.map((e) => e.status)).toEqual(['active', 'terminated'])
    expect(employees.every((e) => e.startDate === null && e.terminationDate === null)).toBe(true)
  })

  it('managers: nobody carries a manager email either', async () => {
    const employees = (await replayFixture(fourth, file('managers'), { now })).result?.employees ?? []
    expect(employees.length).toBeGreaterThan(0)
    expect(employees.every((e) => e.managerRemoteId === null && e.managerEmail === null)).toBe(true)
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
    expect(() => toEmployee(user({ active: null }))).toThrow(
      expect.objectContaining({ name: 'SkipPerson', reason: 'unmapped_status' }),
    )
    expect(() => toEmployee(user({ active: 'suspended' }))).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'unmapped_status',
        message: '"active": suspended; Fourth documents only true and false',
      }),
    )
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

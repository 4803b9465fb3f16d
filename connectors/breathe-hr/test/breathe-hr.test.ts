import { fileURLToPath } from 'node:url'
import { createContext, pullEmployees } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import breathe, { type BreatheEmployee, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(breathe, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: '1.0.0',
})

const record = (fields: Partial<BreatheEmployee>): BreatheEmployee => ({
  id: 7,
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  status: 'Current employee',
  join_date: '2020-01-06',
  leaving_date: null,
  ...fields,
})
const statusOf = (fields: Partial<BreatheEmployee>) => (toEmployee(record(fields), now) as Employee).status

describe('Breathe HR status table', () => {
  it.each([
    ['Current employee', 'active'],
    ['Pending employee', 'pending'],
    ['Leaving employee', 'active'],
    ['Ex-employee', 'terminated'],
    ['Left', 'terminated'],
    ['Former employee', 'terminated'],
    ['current employee', 'active'],
  ])('"%s" → %s', (status, expected) => {
    expect(statusOf({ status })).toBe(expected)
  })

  it('a leaving date in the past wins over the status string', () => {
    expect(statusOf({ status: 'Current employee', leaving_date: '2026-11-24' })).toBe('terminated')
  })

  it('the leaving day itself still counts as employed', () => {
    expect(statusOf({ status: 'Leaving employee', leaving_date: '2026-11-25' })).toBe('active')
  })

  it('a current employee whose join date is ahead is pending', () => {
    expect(statusOf({ join_date: '2026-12-01' })).toBe('pending')
  })

  it('an unknown status is reported per person, never defaulted', () => {
    expect(() => toEmployee(record({ status: 'On sabbatical' }), now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        remoteId: '7',
        reason: 'unmapped_status',
        message: 'Breathe status "On sabbatical" is not a known status',
      }),
    )
  })
})

describe('Breathe HR field mapping', () => {
  it('reads company_join_date when join_date is absent, and ids become strings', () => {
    const person = toEmployee(
      record({ join_date: undefined, company_join_date: '2014-10-01', line_manager: { id: 42 } }),
      now,
    ) as Employee
    expect(person).toMatchObject({ remoteId: '7', startDate: '2014-10-01', managerRemoteId: '42' })
  })

  it('an empty work email becomes null', () => {
    expect((toEmployee(record({ email: '  ' }), now) as Employee).email).toBeNull()
  })
})

describe('Breathe HR requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends the API key in X-API-KEY and asks for pageSize records per page', async () => {
    nock.disableNetConnect()
    const scope = nock('https://api.breathehr.com', { reqheaders: { 'x-api-key': 'prod-test-key' } })
      .get('/v1/employees')
      .query({ page: '1', per_page: '25' })
      .reply(200, { employees: [] })
    const result = await pullEmployees(breathe, { apiKey: 'prod-test-key', pageSize: 25 }, { now })
    expect(scope.isDone()).toBe(true)
    expect(result.employees).toEqual([])
  })

  it('refuses a base URL outside Breathe’s hosts', async () => {
    const ctx = createContext(breathe, {
      apiKey: 'prod-x',
      baseUrl: 'https://evil.example.com/v1',
      pageSize: 100,
    })
    await expect(ctx.http.request({ url: 'employees' })).rejects.toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Breathe HR refusing the credentials', () => {
  const authFailure = `${fixturesDir}/auth-failure.json`

  it("the connection check says where to copy them again; the pull keeps the kit's words", async () => {
    const check = await checkFixture(breathe, authFailure, { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/Copy the production key \(prod-…\)/)
    const { error } = await replayFixture(breathe, authFailure, { now })
    expect(error).toMatchObject({ code: 'invalid_credentials' })
    expect(error?.message).not.toContain('production key')
  })
})

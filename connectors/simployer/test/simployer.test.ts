import { fileURLToPath } from 'node:url'
import { checkConnection, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import simployer, { type EmployeeRecord, employeeState, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2025-06-15T10:00:00Z')

runContractSuite(simployer, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1-preview',
  connectorVersion: packageJson.version,
})

const record = (fields: Partial<EmployeeRecord>): EmployeeRecord => ({
  id: '65b2c3d4e5f60718293a4b5c',
  firstName: 'Nora',
  lastName: 'Bakke',
  workEmail: 'nora.bakke@example.com',
  active: true,
  hireDate: '2020-11-02T00:00:00.000Z',
  endDate: null,
  ...fields,
})
const map = (fields: Partial<EmployeeRecord>) => toEmployee(record(fields), new Map(), now) as Employee

describe('Simployer status table', () => {
  it.each([
    ['ended', 'terminated'],
    ['notStarted', 'pending'],
    ['inactive', 'terminated'],
    ['active', 'active'],
  ])('%s → %s', (state, canonical) => {
    expect(STATUS[state as keyof typeof STATUS]).toBe(canonical)
  })

  it.each([
    ['an end date before today, even if active', true, '2020-01-01', '2025-06-14', 'ended'],
    ['an end date today (it ends with the day)', true, '2020-01-01', '2025-06-15', 'active'],
    ['a future starter, whom Simployer marks inactive', false, '2025-07-01', null, 'notStarted'],
    ['inactive without dates that explain it', false, '2020-01-01', null, 'inactive'],
    ['a future end date', true, '2020-01-01', '2025-12-31', 'active'],
  ] as const)('%s', (_, active, start, end, state) => {
    expect(employeeState({ active }, start, end, now)).toBe(state)
  })
})

describe('Simployer field mapping', () => {
  it('takes the date part of UTC date-times', () => {
    expect(map({ hireDate: '2021-09-01T00:00:00.000Z' })).toMatchObject({ startDate: '2021-09-01' })
  })

  it('never uses the private email', () => {
    expect(
      map({ workEmail: null, privateEmail: 'nora@example.org' } as Partial<EmployeeRecord>).email,
    ).toBeNull()
  })

  it('names the department from the department list; an unknown id gives none', () => {
    const names = new Map([['d1', 'Produkt']])
    expect(toEmployee(record({ departmentId: 'd1' }), names, now)).toMatchObject({ department: 'Produkt' })
    expect(toEmployee(record({ departmentId: 'd2' }), names, now)).toMatchObject({ department: null })
  })

  it('an unreadable date skips the person, not the pull', () => {
    expect(() => map({ hireDate: 'soon' } as Partial<EmployeeRecord>)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: '"soon" is not a date in a known format',
      }),
    )
  })
})

describe('Simployer connection settings', () => {
  it('fills the documented defaults', () => {
    expect(validateConfig(simployer, { accessToken: 't' })).toEqual({
      accessToken: 't',
      baseUrl: 'https://api.alexishr.com',
      pageSize: 100,
    })
  })

  it('refuses an origin that is not the AlexisHR API', async () => {
    expect(
      await checkConnection(simployer, { accessToken: 't', baseUrl: 'https://api.example.com' }),
    ).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

describe('Simployer over recorded exchanges', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('reads departments, then every employee page, with the selected fields', async () => {
    const { result } = await replayFixture(simployer, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.lastName, e.status, e.department])).toEqual([
      ['Hansen', 'active', 'Produkt'],
      ['Bakke', 'active', 'Produkt'],
      ['Åberg', 'terminated', 'Økonomi'],
      ['Müller', 'active', 'Produkt'],
      ['Wójcik', 'pending', 'Salg'],
    ])
    expect(result?.employees[3]).toMatchObject({ firstName: 'Zoë', email: null })
    expect(result?.pages).toBe(2)
  })

  it('sends the access token as a bearer token', async () => {
    const seen: string[] = []
    nock('https://api.alexishr.com')
      .get('/v1/employee')
      .query(true)
      .reply(function () {
        seen.push(String(this.req.headers.authorization))
        return [200, { status: 'success', data: [], total: 0, count: 0, offset: 0 }]
      })
    expect(await checkConnection(simployer, { accessToken: 'the-token' })).toEqual({ ok: true })
    expect(seen).toEqual(['Bearer the-token'])
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    for (const name of ['auth-failure', 'provisioning-only-token']) {
      const check = await checkFixture(simployer, fixture(name), { now })
      answers.push(check.ok ? 'ok' : `${check.code}: ${check.message}`)
    }
    expect(answers[0]).toMatch(
      /^invalid_credentials: Simployer rejected the credentials \(HTTP 401\).*an Owner creates a new one/,
    )
    expect(answers[1]).toMatch(/^missing_scope: .*access to the Public API/)
    expect(await checkFixture(simployer, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })

  it('an unreachable host is reported as such', async () => {
    nock.disableNetConnect()
    const check = await checkConnection(simployer, { accessToken: 't' }, { fetchRetryLimit: 0 })
    expect(check).toMatchObject({ ok: false, code: 'unreachable' })
  })
})

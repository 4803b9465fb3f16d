import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import factorial, { condition, latestContracts, STATUS, teamsByEmployee, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-06-15T10:00:00Z')

runContractSuite(factorial, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: '2026-04-01',
  connectorVersion: packageJson.version,
})

describe('Factorial status conditions', () => {
  it.each([
    ['active', 'active'],
    ['not_started', 'pending'],
    ['left', 'terminated'],
    ['inactive', 'terminated'],
  ])('%s → %s', (vendor, canonical) => {
    expect(STATUS[vendor as keyof typeof STATUS]).toBe(canonical)
  })

  it('active=false is a leaver whatever the dates say', () => {
    expect(condition({ active: false }, '2020-01-01', now)).toBe('inactive')
  })

  it('a termination date before today is a leaver even while still active', () => {
    expect(condition({ active: true, terminated_on: '2026-06-14' }, '2020-01-01', now)).toBe('left')
  })

  it('is_terminating with a later termination date stays active', () => {
    expect(condition({ active: true, terminated_on: '2026-07-31' }, '2020-01-01', now)).toBe('active')
  })

  it('a contract starting after today is pending', () => {
    expect(condition({ active: true }, '2026-09-01', now)).toBe('not_started')
  })

  it('an empty active flag falls back to the dates; any other value is skipped', () => {
    expect(condition({ active: null }, '2020-01-01', now)).toBe('active')
    expect(() =>
      toEmployee({ id: 1, active: 'yes' }, { teamOf: new Map(), contractOf: new Map() }, now),
    ).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        remoteId: '1',
        reason: 'unmapped_status',
        message: 'active "yes" is not true, false or empty',
      }),
    )
  })
})

describe('Factorial mapping', () => {
  const joins = { teamOf: new Map<string, string>(), contractOf: new Map() }

  it('a malformed date skips that person only', () => {
    expect(() => toEmployee({ id: 1, terminated_on: 'soon' }, joins, now)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: '"soon" is not a date in a known format',
      }),
    )
  })

  it('stringifies integer ids, manager included', () => {
    expect(toEmployee({ id: 7003, manager_id: 7002, active: true }, joins, now)).toMatchObject({
      remoteId: '7003',
      managerRemoteId: '7002',
    })
  })

  it('uses login_email only when there is no main email, and never personal_email', () => {
    expect(
      toEmployee({ id: 1, email: 'a@example.com', login_email: 'b@example.com' }, joins, now),
    ).toMatchObject({
      email: 'a@example.com',
    })
    expect(toEmployee({ id: 1, email: null, login_email: 'b@example.com' }, joins, now)).toMatchObject({
      email: 'b@example.com',
    })
    expect(toEmployee({ id: 1, personal_email: 'me@example.org' }, joins, now)).toMatchObject({ email: null })
  })

  it('takes job title and start date from the contract version with the latest effective_on', () => {
    const contracts = latestContracts([
      { employee_id: 7002, effective_on: '2022-01-01', starts_on: '2020-02-03', job_title: 'Head of Sales' },
      {
        employee_id: 7002,
        effective_on: '2020-02-03',
        starts_on: '2020-02-03',
        job_title: 'Account Executive',
      },
    ])
    expect(
      toEmployee({ id: 7002, active: true }, { teamOf: new Map(), contractOf: contracts }, now),
    ).toMatchObject({
      jobTitle: 'Head of Sales',
      startDate: '2020-02-03',
    })
  })

  it('falls back to the seniority date without a contract', () => {
    expect(toEmployee({ id: 1, seniority_calculation_date: '2024-10-01' }, joins, now)).toMatchObject({
      startDate: '2024-10-01',
      jobTitle: null,
    })
  })

  it('names the first team listing the employee as the department', () => {
    const teams = teamsByEmployee([
      { name: 'Management', employee_ids: [7001] },
      { name: 'Sales', employee_ids: [7001, 7002] },
    ])
    expect(teams.get('7001')).toBe('Management')
    expect(teams.get('7002')).toBe('Sales')
  })
})

describe('Factorial requests', () => {
  it('builds the dated resource path from baseUrl and apiVersion', () => {
    expect(
      factorial.baseUrl?.({
        apiKey: 'k',
        baseUrl: 'https://api.demo.factorialhr.com/',
        apiVersion: '2026-04-01',
        pageSize: 100,
      }),
    ).toBe('https://api.demo.factorialhr.com/api/2026-04-01/resources')
  })

  it('pages teams, contract versions and employees with page and limit', () => {
    const happy = JSON.parse(
      readFileSync(fileURLToPath(new URL('./fixtures/happy-multipage.json', import.meta.url)), 'utf8'),
    ) as { interactions: Array<{ path: string }> }
    const paths = happy.interactions.map((i) => i.path)
    expect(paths.filter((p) => p.includes('employees/employees'))).toEqual([
      '/api/2026-04-01/resources/employees/employees?page=1&limit=3',
      '/api/2026-04-01/resources/employees/employees?page=2&limit=3',
      '/api/2026-04-01/resources/employees/employees?page=3&limit=3',
    ])
    expect(paths.some((p) => p.includes('only_active'))).toBe(false)
  })
})

describe('Factorial on a dated version it no longer serves', () => {
  const unknownVersion = `${fixturesDir}/unknown-version.json`

  it('the check and the pull name the configured API version', async () => {
    const check = await checkFixture(factorial, unknownVersion, { now })
    expect(check).toMatchObject({ ok: false, code: 'vendor_error' })
    if (!check.ok) expect(check.message).toMatch(/Check the API version "2023-01-01"/)
    const { error } = await replayFixture(factorial, unknownVersion, { now })
    expect(error?.message).toMatch(/Check the API version "2023-01-01"/)
  })
})

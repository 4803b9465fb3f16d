import { fileURLToPath } from 'node:url'
import { checkConnection, mapRecords, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import planday, { identify, type Lookups, type PlandayEmployee, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2026-11-25T10:00:00Z')

runContractSuite(planday, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'hr/v1.0',
  connectorVersion: packageJson.version,
})

const lookups: Lookups = {
  departments: new Map([
    [301, 'Bar'],
    [302, 'Kitchen'],
  ]),
  supervisors: new Map([[41, 88120]]),
}
const person = (fields: Partial<PlandayEmployee>): PlandayEmployee => ({
  id: 88135,
  firstName: 'Łukasz',
  lastName: 'Wójcik',
  email: 'lukasz.wojcik@example.com',
  departments: [301],
  primaryDepartmentId: 301,
  hiredFrom: '2024-05-06',
  jobTitle: 'Bartender',
  supervisorId: 41,
  ...fields,
})
const mapped = (fields: Partial<PlandayEmployee>, list: 'active' | 'deactivated' = 'active') =>
  toEmployee(person(fields), list, lookups, now) as Employee

describe('Planday status table', () => {
  it('maps each list and start date to one canonical status', () => {
    expect(STATUS).toEqual({ active: 'active', hiredNotStarted: 'pending', deactivated: 'terminated' })
  })

  it.each([
    ['active', { hiredFrom: '2024-05-06' }, 'active'],
    ['active', { hiredFrom: '2026-11-25' }, 'active'],
    ['active', { hiredFrom: '2026-11-26' }, 'pending'],
    ['active', { hiredFrom: null }, 'active'],
    ['deactivated', { deactivationDate: '2026-09-30' }, 'terminated'],
    ['deactivated', { deactivationDate: null }, 'terminated'],
    ['deactivated', { hiredFrom: '2027-01-04', deactivationDate: null }, 'terminated'],
  ] as const)('%s list with %o → %s', (list, fields, status) => {
    expect(mapped(fields, list).status).toBe(status)
  })

  it('a deactivation date already passed ends an employee still in the active list', () => {
    expect(mapped({ deactivationDate: '2026-11-24' })).toMatchObject({
      status: 'terminated',
      terminationDate: '2026-11-24',
    })
  })
})

describe('Planday mapping', () => {
  it('joins supervisorId through the supervisor records, never to employee ids', () => {
    expect(mapped({ supervisorId: 41 }).managerRemoteId).toBe('88120')
    expect(mapped({ supervisorId: 88120 }).managerRemoteId).toBeNull()
  })

  it('prefers supervisorEmployeeId when Planday sends it', () => {
    expect(mapped({ supervisorId: 41, supervisorEmployeeId: 90001 }).managerRemoteId).toBe('90001')
  })

  it('takes the primary department, else the first one, else none', () => {
    expect(mapped({ departments: [301, 302], primaryDepartmentId: 302 }).department).toBe('Kitchen')
    expect(mapped({ departments: [302, 301], primaryDepartmentId: null }).department).toBe('Kitchen')
    expect(mapped({ departments: [], primaryDepartmentId: null }).department).toBeNull()
    expect(mapped({ departments: [999], primaryDepartmentId: 999 }).department).toBeNull()
  })

  it('uses email and never the userName; empty strings become null', () => {
    const noEmail = mapped({ email: '  ', userName: 'lukasz.wojcik@example.com', jobTitle: '' })
    expect(noEmail).toMatchObject({ email: null, jobTitle: null })
  })

  it('a record without an id or with an unreadable date is skipped, not fatal', () => {
    const noId = { ...person({}), id: undefined as unknown as number }
    const badDate = person({ hiredFrom: '06/05/2024' })
    const page = mapRecords([noId, badDate], (record) => toEmployee(record, 'active', lookups, now), {
      identify,
    })
    expect(page.employees).toEqual([])
    expect(page.skipped).toEqual([
      expect.objectContaining({
        remoteId: '(none)',
        reason: 'invalid_record',
        message: 'a Planday employee without an id',
      }),
      expect.objectContaining({ remoteId: '88135', reason: 'invalid_record' }),
    ])
  })
})

describe('Planday date fields under their other names', () => {
  it('reads hiredDate when hiredFrom is absent, so a future hire is still pending', () => {
    expect(mapped({ hiredFrom: undefined, hiredDate: '2026-12-01' })).toMatchObject({
      status: 'pending',
      startDate: '2026-12-01',
    })
  })

  it('dates a deactivated employee by dateTimeDeleted when deactivationDate is absent', () => {
    const leaver = mapped({ dateTimeDeleted: '2026-07-07T15:07:56.1066449Z' }, 'deactivated')
    expect(leaver).toMatchObject({ status: 'terminated', terminationDate: '2026-07-07' })
  })

  it('ignores dateTimeDeleted on the active list: a reactivated employee keeps the old value', () => {
    const back = mapped({ dateTimeDeleted: '2026-07-07T15:07:56Z' })
    expect(back).toMatchObject({ status: 'active', terminationDate: null })
  })
})

describe('Planday connection settings', () => {
  it('fills the documented defaults', () => {
    expect(validateConfig(planday, { clientId: 'app', refreshToken: 'token' })).toEqual({
      clientId: 'app',
      refreshToken: 'token',
      baseUrl: 'https://openapi.planday.com',
      pageSize: 50,
    })
  })

  it('refuses pages larger than the 50 records Planday returns', async () => {
    const check = await checkConnection(planday, { clientId: 'app', refreshToken: 'token', pageSize: 100 })
    expect(check).toMatchObject({ ok: false, code: 'invalid_config' })
  })

  it('refuses a base URL outside Planday', async () => {
    const result = await pullEmployees(planday, {
      clientId: 'app',
      refreshToken: 'token',
      baseUrl: 'https://planday.example.net',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Planday over documented exchanges', () => {
  it('reads both lists page by page, active employees first', async () => {
    const { result } = await replayFixture(planday, fixture('happy-multipage'), { now })
    expect(result?.pages).toBe(3)
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId, e.department])).toEqual([
      ['88120', 'active', null, 'Management'],
      ['88121', 'active', '88120', 'Bar'],
      ['88135', 'active', '88121', 'Kitchen'],
      ['88140', 'pending', '88121', 'Bar'],
      ['87001', 'terminated', '88120', 'Kitchen'],
    ])
  })

  it('checkConnection explains each failure in its own words', async () => {
    // replays share nock's interceptors, so they run one after the other
    const answers: string[] = []
    for (const name of ['auth-failure', 'client-id-rejected', 'missing-scope']) {
      const check = await checkFixture(planday, fixture(name), { now })
      answers.push(check.ok ? 'ok' : `${check.code}: ${check.message}`)
    }
    expect(answers[0]).toMatch(
      /^invalid_credentials: Planday rejected the credentials.* check the App ID and copy the token/,
    )
    expect(answers[1]).toMatch(
      /^invalid_credentials: Planday rejected the credentials.* check the App ID and copy the token/,
    )
    expect(answers[2]).toMatch(
      /^missing_scope: Planday accepted the credentials but refused access to GET \/hr\/v1\.0\/employees .*add the read scopes/,
    )
    expect(await checkFixture(planday, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })
})

import { fileURLToPath } from 'node:url'
import { checkConnection, mapRecords, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import eurecia, {
  departmentNames,
  identify,
  localDate,
  STATUS,
  toEmployee,
  type UserRecord,
  userState,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2025-06-15T10:00:00Z')

runContractSuite(eurecia, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v4',
  connectorVersion: packageJson.version,
})

// 2022-09-01 00:00 in Paris (summer time) is 2022-08-31T22:00Z
const SEPT_1_PARIS = 1661983200000
const user = (fields: Partial<UserRecord>): UserRecord => ({
  id: 'SROUX',
  email: 'sarah.roux@example.com',
  firstName: 'Sarah',
  lastName: 'Roux',
  department: 'DEP-RH',
  entryDate: SEPT_1_PARIS,
  hiringDate: SEPT_1_PARIS,
  departureDate: null,
  timezone: 'Europe/Paris',
  archived: false,
  ...fields,
})
const map = (fields: Partial<UserRecord>) => toEmployee(user(fields), new Map(), now) as Employee

describe('Eurécia status table', () => {
  it.each([
    ['archived', 'terminated'],
    ['departed', 'terminated'],
    ['notYetEntered', 'pending'],
    ['employed', 'active'],
  ])('%s → %s', (state, canonical) => {
    expect(STATUS[state as keyof typeof STATUS]).toBe(canonical)
  })

  it.each([
    ['an archived user, whatever the dates', { archived: true }, null, null, 'archived'],
    ['a departure before today', {}, '2020-01-01', '2025-06-14', 'departed'],
    ['a departure today (it ends with the day)', {}, '2020-01-01', '2025-06-15', 'employed'],
    ['a future departure', {}, '2020-01-01', '2025-12-31', 'employed'],
    ['an entry after today', {}, '2025-06-16', null, 'notYetEntered'],
    ['no dates at all', {}, null, null, 'employed'],
  ] as const)('%s', (_, flags, start, departure, state) => {
    expect(userState(flags, start, departure, '2025-06-15')).toBe(state)
  })
})

describe('Eurécia field mapping', () => {
  it('reads epoch-millisecond dates as the calendar day in the user’s time zone', () => {
    expect(localDate(SEPT_1_PARIS, 'Europe/Paris')).toBe('2022-09-01')
    expect(localDate(SEPT_1_PARIS, 'UTC')).toBe('2022-08-31')
    expect(map({ timezone: null })).toMatchObject({ startDate: '2022-09-01' })
  })

  it('falls back to the hiring date when there is no entry date', () => {
    expect(map({ entryDate: null })).toMatchObject({ startDate: '2022-09-01' })
  })

  it('never uses the personal email, and an empty work email is none', () => {
    expect(map({ email: '', personalEmail: 'sarah@example.org' }).email).toBeNull()
  })

  it('keeps the first direct manager and its embedded email, never another approver', () => {
    const person = map({
      userDirectManagers: ['MBLANC', 'PDUBOIS'],
      userManagers: ['GLEROY'],
      _embedded: { userDirectManagers: [{ id: 'MBLANC', email: 'marc.blanc@example.com' }] },
    })
    expect(person).toMatchObject({ managerRemoteId: 'MBLANC', managerEmail: 'marc.blanc@example.com' })
  })

  it('ignores the end of login access, which is not a departure', () => {
    expect(map({ dateEndAccess: 1700000000000 })).toMatchObject({ status: 'active', terminationDate: null })
  })

  it('names departments from every level of the tree; an unknown id gives none', () => {
    const names = departmentNames({
      nodes: [
        {
          organizationDto: { id: 'DEP-DIR', name: 'Direction', type: 'DEPARTMENT' },
          nodes: [{ organizationDto: { id: 'DEP-PAIE', name: 'Paie', type: 'DEPARTMENT' }, nodes: [] }],
        },
      ],
    })
    expect(Object.fromEntries(names)).toEqual({ 'DEP-DIR': 'Direction', 'DEP-PAIE': 'Paie' })
    expect(toEmployee(user({ department: 'DEP-PAIE' }), names, now)).toMatchObject({ department: 'Paie' })
    expect(toEmployee(user({ department: 'DEP-X' }), names, now)).toMatchObject({ department: null })
  })

  it('a date that is not epoch milliseconds or an unknown time zone skips the person, not the pull', () => {
    expect(() => toEmployee(user({ entryDate: '2022-09-01' as never }), new Map(), now)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: 'expected epoch milliseconds, got "2022-09-01"',
      }),
    )
    expect(() => toEmployee(user({ timezone: 'Mars/Olympus' }), new Map(), now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        message: 'the time zone "Mars/Olympus" is not one the runtime knows',
      }),
    )
    const { skipped } = mapRecords(
      [user({ entryDate: '2022-09-01' as never }), user({ timezone: 'Mars/Olympus' })],
      (record) => toEmployee(record, new Map(), now),
      { identify },
    )
    expect(skipped.map((person) => [person.remoteId, person.reason])).toEqual([
      ['SROUX', 'invalid_record'],
      ['SROUX', 'invalid_record'],
    ])
  })
})

describe('Eurécia connection settings', () => {
  it('fills the default host', () => {
    expect(validateConfig(eurecia, { apiToken: 'key' })).toEqual({
      apiToken: 'key',
      baseUrl: 'https://api.eurecia.com',
    })
  })

  it('refuses a host outside eurecia.com', async () => {
    expect(
      await checkConnection(eurecia, { apiToken: 'key', baseUrl: 'https://eurecia.example.net' }),
    ).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

describe('Eurécia over recorded exchanges', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('reads every list page, then each user’s detail, in list order', async () => {
    const { result } = await replayFixture(eurecia, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId, e.department])).toEqual([
      ['MBLANC', 'active', null, 'Direction générale'],
      ['ZMULLER', 'active', 'MBLANC', 'Finance'],
      ['LWOJCIK', 'active', 'ZMULLER', 'Paie'],
      ['SABERG', 'terminated', 'ZMULLER', 'Finance'],
      ['CDURAND', 'pending', 'MBLANC', 'Commercial'],
    ])
    expect(result?.employees[2]).toMatchObject({ firstName: 'Łukasz', lastName: 'Wójcik', email: null })
    expect(result?.employees[3]).toMatchObject({ terminationDate: '2024-12-31' })
  })

  it('sends the key only to /v1/Auth, and the temporary token in a header named `token`', async () => {
    const seen: Array<[string, string | undefined, string | undefined, string | undefined]> = []
    const record = (path: string, headers: Record<string, string | string[] | undefined>) =>
      seen.push([
        path,
        headers.authtoken as string | undefined,
        headers.token as string | undefined,
        headers.authorization as string | undefined,
      ])
    nock('https://api.eurecia.com')
      .get('/eurecia/rest/v1/Auth')
      .reply(function () {
        record('auth', this.req.headers)
        return [200, { eureciaResponse: { temporaryToken: { token: { $: 'tmp-1' } } } }]
      })
      .get('/eurecia/rest/v4/users')
      .query({ page: '0' })
      .reply(function () {
        record('users', this.req.headers)
        return [200, { content: [], totalElements: 0, totalPages: 0, last: true, number: 0, size: 50 }]
      })
    expect(await checkConnection(eurecia, { apiToken: 'the-key' })).toEqual({ ok: true })
    expect(seen).toEqual([
      ['auth', 'the-key', undefined, undefined],
      ['users', undefined, 'tmp-1', undefined],
    ])
  })

  it('asks for a new temporary token once after a 401', async () => {
    const { result } = await replayFixture(eurecia, fixture('token-expired'), { now })
    expect(result?.employees.map((e) => e.remoteId)).toEqual(['MBLANC'])
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    for (const name of ['auth-failure', 'auth-failure-server-error', 'missing-scope']) {
      const check = await checkFixture(eurecia, fixture(name), { now })
      answers.push(check.ok ? 'ok' : `${check.code}: ${check.message}`)
    }
    expect(answers[0]).toMatch(/^invalid_credentials: Eurécia did not issue a temporary token .*\(HTTP 401\)/)
    expect(answers[1]).toMatch(/^invalid_credentials: Eurécia did not issue a temporary token .*\(HTTP 500\)/)
    expect(answers[2]).toMatch(/^missing_scope: .*generate it on an administrator's record/)
    expect(await checkFixture(eurecia, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })

  it('an unreachable host is reported as such', async () => {
    nock.disableNetConnect()
    const check = await checkConnection(eurecia, { apiToken: 'key' }, { fetchRetryLimit: 0 })
    expect(check).toMatchObject({ ok: false, code: 'unreachable' })
    if (!check.ok)
      expect(check.message).toMatch(/Could not reach Eurécia at api\.eurecia\.com: .*Check the API host\./)
  })

  it('a malformed user list fails the pull', async () => {
    nock('https://api.eurecia.com')
      .get('/eurecia/rest/v1/Auth')
      .reply(200, { eureciaResponse: { temporaryToken: { token: { $: 'tmp-1' } } } })
      .get('/eurecia/rest/v4/departments')
      .reply(200, { nodes: [] })
      .get('/eurecia/rest/v4/users')
      .query({ page: '0' })
      .reply(200, { totalPages: 1 })
    await expect(pullEmployees(eurecia, { apiToken: 'key' })).rejects.toMatchObject({
      code: 'malformed_response',
    })
  })
})

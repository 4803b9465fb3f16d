import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import afas, {
  afasTokenHeader,
  type EmployeeRow,
  employmentState,
  onePerEmployee,
  STATUS,
  surname,
  toEmployee,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2025-06-15T10:00:00Z')
const config = { environmentId: '12345', token: 'ABCDEF0123', connectorId: 'HRSYNC_Medewerkers' }

runContractSuite(afas, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'Profit REST',
  connectorVersion: packageJson.version,
})

const row = (fields: Partial<EmployeeRow>): EmployeeRow => ({
  Medewerker: '0042',
  Voornaam: 'Femke',
  Voorvoegsel: 'van',
  Achternaam: 'Dijk',
  Email_werk: 'f.vandijk@example.com',
  Datum_in_dienst: '2018-09-01T00:00:00Z',
  Datum_uit_dienst: null,
  ...fields,
})

describe('AFAS status table', () => {
  it.each([
    ['notYetEmployed', 'pending'],
    ['employed', 'active'],
    ['leftEmployment', 'terminated'],
  ])('%s → %s', (state, canonical) => {
    expect(STATUS[state as keyof typeof STATUS]).toBe(canonical)
  })

  it.each([
    ['a start after today', '2025-06-16', null, 'notYetEmployed'],
    ['a start today', '2025-06-15', null, 'employed'],
    ['an end in the future', '2020-01-01', '2025-12-31', 'employed'],
    ['an end today (it ends with the day)', '2020-01-01', '2025-06-15', 'employed'],
    ['an end before today', '2020-01-01', '2025-06-14', 'leftEmployment'],
  ] as const)('%s', (_, start, end, state) => {
    expect(employmentState(start, end, now)).toBe(state)
  })
})

describe('AFAS field mapping', () => {
  it.each([
    ['van der', 'Berg', 'van der Berg'],
    [null, 'Visser', 'Visser'],
    ['  de ', ' Vries ', 'de Vries'],
    [null, null, null],
  ])('surname %s + %s → %s', (prefix, last, expected) => {
    expect(surname(prefix, last)).toBe(expected)
  })

  it('takes the calendar day of Profit date-times, whose Z is Amsterdam time', () => {
    expect(toEmployee(row({ Datum_in_dienst: '2021-10-01T00:00:00Z' }), now)).toMatchObject({
      startDate: '2021-10-01',
    })
  })

  it('treats missing keys as empty, and a numeric code as a string id', () => {
    const person = toEmployee({ Medewerker: 42, Leidinggevende: 7 }, now) as Employee
    expect(person).toMatchObject({ remoteId: '42', managerRemoteId: '7', email: null, lastName: null })
  })

  it('keeps one row per employee: the open employment, else the latest start', () => {
    const ended = row({ Datum_in_dienst: '2015-02-01T00:00:00Z', Datum_uit_dienst: '2017-01-31T00:00:00Z' })
    const current = row({ Functie_omschrijving: 'HR-adviseur' })
    expect(onePerEmployee([ended, current])).toEqual([current])
    expect(onePerEmployee([current, ended])).toEqual([current])
    const first = row({ Datum_in_dienst: '2010-01-01T00:00:00Z', Datum_uit_dienst: '2012-01-01T00:00:00Z' })
    expect(onePerEmployee([first, ended])).toEqual([ended])
  })

  // mapRecords reports both as skipped people under what identify reads
  it('a row without a code or with an unreadable date is refused as that person, not the pull', () => {
    expect(() => toEmployee(row({ Medewerker: null }), now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        email: 'f.vandijk@example.com',
        message: 'a row without a Medewerker code',
      }),
    )
    expect(() => toEmployee(row({ Datum_in_dienst: '1-10-2021' }), now)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: '"1-10-2021" is not a date in a known format',
      }),
    )
  })
})

describe('AFAS connection settings', () => {
  it('wraps the token data in the token XML before base64', () => {
    const xml = '<token><version>1</version><data>ABCDEF0123</data></token>'
    const expected = `AfasToken ${Buffer.from(xml).toString('base64')}`
    expect(afasTokenHeader('ABCDEF0123')).toBe(expected)
    expect(afasTokenHeader(` ${xml}\n`)).toBe(expected)
  })

  it('fills the documented defaults', () => {
    expect(validateConfig(afas, config)).toEqual({ ...config, environmentType: 'production', pageSize: 100 })
  })

  it('names a wrong environment number or type', async () => {
    const check = await checkConnection(afas, {
      ...config,
      environmentId: 'O12345AA',
      environmentType: 'live',
    })
    expect(check).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

describe('AFAS over recorded exchanges', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('reads every page sorted on Medewerker, one row per employee', async () => {
    const { result } = await replayFixture(afas, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId, e.jobTitle])).toEqual([
      ['0007', 'active', null, 'Directeur'],
      ['0031', 'active', '0007', 'Officemanager'],
      ['0042', 'active', '0007', 'HR-adviseur'],
      ['0051', 'active', '0007', 'Controller'],
      ['0063', 'active', '0051', 'Magazijnmedewerker'],
      ['0077', 'terminated', '0051', 'Boekhouder'],
      ['0081', 'pending', '0063', 'Planner'],
    ])
    expect(result?.employees[2]).toMatchObject({ lastName: 'van Dijk', startDate: '2018-09-01' })
    expect(result?.employees[4]).toMatchObject({ firstName: 'Łukasz', email: null })
    expect(result?.skipped).toEqual([])
  })

  it('sends the AfasToken header on every request', async () => {
    const seen: string[] = []
    nock('https://12345.rest.afas.online')
      .get('/profitrestservices/metainfo/get/HRSYNC_Medewerkers')
      .reply(403, function () {
        seen.push(String(this.req.headers.authorization))
        return ''
      })
    await checkConnection(afas, config)
    expect(seen).toEqual([afasTokenHeader('ABCDEF0123')])
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    for (const name of ['auth-failure', 'ip-restricted', 'missing-fields', 'connector-not-added']) {
      const check = await checkFixture(afas, fixture(name), { now })
      answers.push(check.ok ? 'ok' : `${check.code}: ${check.message}`)
    }
    expect(answers[0]).toMatch(/^invalid_credentials: AFAS refused the token for environment 12345/)
    expect(answers[1]).toMatch(/^missing_scope: .*IP addresses/)
    expect(answers[2]).toMatch(
      /^missing_scope: GetConnector HRSYNC_Medewerkers lacks the fields Email_werk, Datum_uit_dienst/,
    )
    expect(answers[3]).toMatch(/^vendor_error: .*HTTP 500.*not being added to the App Connector/)
    expect(await checkFixture(afas, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })

  it('an unknown GetConnector is named', async () => {
    nock('https://12345.rest.afas.online')
      .get('/profitrestservices/metainfo/get/HRSYNC_Medewerkers')
      .reply(404, '')
    await expect(pullEmployees(afas, config)).rejects.toThrow(/does not know GetConnector HRSYNC_Medewerkers/)
  })

  it('an unreachable environment is reported as such', async () => {
    nock.disableNetConnect()
    const check = await checkConnection(afas, config, { fetchRetryLimit: 0 })
    expect(check).toMatchObject({ ok: false, code: 'unreachable' })
    if (!check.ok)
      expect(check.message).toMatch(
        /Could not reach AFAS Profit at 12345\.rest\.afas\.online: .*Check the environment number and type\./,
      )
  })
})

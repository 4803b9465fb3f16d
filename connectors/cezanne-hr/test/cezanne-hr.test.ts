import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import cezanne, { employmentState, STATUS, serviceRoot, toEmployee, tokenUrl } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(cezanne, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v7 dataservice (OData v3)',
  connectorVersion: packageJson.version,
})

describe('Cezanne HR status table', () => {
  it.each([
    ['notStarted', 'pending'],
    ['employed', 'active'],
    ['left', 'terminated'],
  ])('%s → %s', (state, status) => {
    expect(STATUS[state as keyof typeof STATUS]).toBe(status)
  })

  it.each([
    ['2020-01-06', null, 'employed'],
    ['2026-01-16', null, 'notStarted'],
    ['2026-01-15', null, 'employed'],
    ['2020-01-06', '2026-01-14', 'left'],
    ['2020-01-06', '2026-01-15', 'employed'],
    ['2020-01-06', '2026-06-30', 'employed'],
    [null, null, 'employed'],
  ] as const)('start %s, leaving %s → %s', (start, leave, state) => {
    expect(employmentState(start, leave, now)).toBe(state)
  })
})

describe('Cezanne HR mapping', () => {
  it('turns numeric ids into strings and keeps the calendar day of zone-less dates', () => {
    expect(
      toEmployee(
        { Id: 7, LineManagerId: 3, StartDate: '2019-04-01T00:00:00', LeaveDate: '2026-02-27T23:30:00' },
        now,
      ),
    ).toMatchObject({
      remoteId: '7',
      managerRemoteId: '3',
      startDate: '2019-04-01',
      terminationDate: '2026-02-27',
      status: 'active',
    })
  })

  it('an empty work email is no email', () => {
    expect(toEmployee({ Id: 8, WorkEmail: '  ' }, now)).toMatchObject({ email: null })
  })

  it('a person without an Id is skipped', () => {
    expect(() => toEmployee({ FirstName: 'Anon' }, now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        message: 'a Cezanne person without an Id',
      }),
    )
  })
})

describe('Cezanne HR connection settings', () => {
  const settings = { subdomain: 'W3', clientId: 'id', clientSecret: 'secret' }

  it('fills the page size and derives the hosts from the subdomain', () => {
    const config = validateConfig(cezanne, settings)
    expect(config).toEqual({ ...settings, pageSize: 100 })
    expect(serviceRoot(config)).toBe('https://w3.cezanneondemand.com/cezanneondemand/v7/dataservice.svc')
    expect(tokenUrl(config)).toBe('https://w3.cezanneondemand.com/cezanneondemand/oauth/token')
    expect(tokenUrl({ ...config, tokenUrl: 'https://w3.cezanneondemand.com/CezanneOnDemand/token' })).toBe(
      'https://w3.cezanneondemand.com/CezanneOnDemand/token',
    )
  })

  it('refuses a token URL outside Cezanne', async () => {
    const result = await pullEmployees(cezanne, {
      ...settings,
      tokenUrl: 'https://login.example.net/token',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'invalid_config' })
  })
})

describe('Cezanne HR requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('asks for a client-credentials token and pages with $select, $orderby, $top and $skip', async () => {
    nock.disableNetConnect()
    const queries: Record<string, string>[] = []
    let form: URLSearchParams | undefined
    let authorization: string | undefined
    const person = (Id: number) => ({ Id, StartDate: '2020-01-06T00:00:00', LeaveDate: null })
    nock('https://acme.cezanneondemand.com')
      .post('/cezanneondemand/oauth/token', (body: string | Record<string, string>) => {
        form = new URLSearchParams(body)
        return true
      })
      .reply(200, { access_token: 'issued', token_type: 'bearer', expires_in: 3600 })
      .get('/cezanneondemand/v7/dataservice.svc/People')
      .query((query) => {
        queries.push(query as Record<string, string>)
        return true
      })
      .times(2)
      .reply(function () {
        authorization = this.req.headers.authorization as string
        return [200, { value: queries.length === 1 ? [person(1), person(2)] : [person(3)] }]
      })
    const result = await pullEmployees(
      cezanne,
      { subdomain: 'acme', clientId: 'id', clientSecret: 'secret', pageSize: 2 },
      { now },
    )
    expect(result.employees.map((e) => e.remoteId)).toEqual(['1', '2', '3'])
    expect(form?.get('grant_type')).toBe('client_credentials')
    expect(form?.get('client_id')).toBe('id')
    expect(form?.get('client_secret')).toBe('secret')
    expect(authorization).toBe('Bearer issued')
    expect(queries).toEqual([
      {
        $select: 'Id,FirstName,LastName,WorkEmail,StartDate,LeaveDate,JobTitle,Department,LineManagerId',
        $orderby: 'Id',
        $top: '2',
      },
      {
        $select: 'Id,FirstName,LastName,WorkEmail,StartDate,LeaveDate,JobTitle,Department,LineManagerId',
        $orderby: 'Id',
        $top: '2',
        $skip: '2',
      },
    ])
  })
})

describe('Cezanne HR over documented exchanges', () => {
  it('reads names outside ASCII, a person without a work email and a future leaver', async () => {
    const { result } = await replayFixture(cezanne, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId])).toEqual([
      ['1201', 'active', null],
      ['1202', 'active', '1201'],
      ['1203', 'active', '1202'],
      ['1204', 'active', '1202'],
      ['1205', 'pending', '1201'],
      ['1206', 'terminated', '1202'],
      ['1207', 'active', '1203'],
    ])
    expect(result?.employees[2]).toMatchObject({ firstName: 'Łukasz', lastName: 'Wójcik' })
    expect(result?.employees[3]).toMatchObject({ firstName: 'Søren', lastName: 'Åberg', email: null })
    expect(result?.employees[6]).toMatchObject({ status: 'active', terminationDate: '2026-02-27' })
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    // replays share nock's global interceptors, so they run one after the other
    for (const name of ['auth-failure', 'missing-scope', 'unknown-field']) {
      const check = await checkFixture(cezanne, fixture(name), { now })
      answers.push(check.ok ? 'ok' : check.message)
    }
    expect(answers[0]).toMatch(/Authorised Applications/)
    expect(answers[0]).toMatch(/Service Account User/)
    expect(answers[1]).toMatch(/API read access/)
    expect(answers[2]).toMatch(/\$metadata/)
  })

  it('an unreachable tenant names the subdomain', async () => {
    nock.disableNetConnect()
    const check = await checkConnection(
      cezanne,
      { subdomain: 'nosuchtenant', clientId: 'id', clientSecret: 'secret' },
      { fetchRetryLimit: 0 },
    )
    expect(check).toMatchObject({ ok: false, code: 'unreachable' })
    if (!check.ok) expect(check.message).toMatch(/nosuchtenant\.cezanneondemand\.com.*subdomain/)
  })
})

import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { ConnectorError } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import sympa, {
  employmentState,
  failedInterface,
  interfaces,
  PAGE_SIZE,
  STATUS,
  toEmployee,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(sympa, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'Generic API (OData v4)',
  connectorVersion: packageJson.version,
})

describe('Sympa status table', () => {
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
    ['2020-01-06', '2026-01-14', 'left'],
    ['2020-01-06', '2026-01-15', 'employed'],
    [null, null, 'employed'],
  ] as const)('start %s, end %s → %s', (start, end, state) => {
    expect(employmentState(start, end, now)).toBe(state)
  })
})

describe('Sympa mapping', () => {
  it('keeps the local calendar day of a date-time with a Finnish offset', () => {
    // 2018-08-20T00:00:00+03:00 is 2018-08-19 in UTC
    expect(
      toEmployee({ PersonId: 'P-1', EmploymentStartDate: '2018-08-20T00:00:00+03:00' }, now),
    ).toMatchObject({ startDate: '2018-08-20', status: 'active' })
  })

  it('numeric person ids become strings; an empty email is none', () => {
    expect(toEmployee({ PersonId: 42, SupervisorPersonId: 7, WorkEmail: '' }, now)).toMatchObject({
      remoteId: '42',
      managerRemoteId: '7',
      email: null,
    })
  })

  it('a record without a PersonId is skipped', () => {
    expect(() => toEmployee({ FirstName: 'Anon' }, now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        message: 'a Sympa employee without a PersonId',
      }),
    )
  })
})

describe('Sympa failures name the interface', () => {
  const config = validateConfig(sympa, {
    apiKey: 'key',
    apiSecret: 'secret',
    interfaceName: 'Employees, EmployeesFI',
  })
  it('the interface in the refused request, else every configured one', () => {
    const notFound = new ConnectorError('vendor_error', 'Sympa answered HTTP 404 to GET /api/EmployeesFI')
    const refused = new ConnectorError(
      'missing_scope',
      'Sympa … refused access to GET /api/Employees (HTTP 403)',
    )
    const rejected = new ConnectorError('invalid_credentials', 'Sympa rejected the credentials (HTTP 401)')
    expect(failedInterface(notFound, config)).toBe('EmployeesFI')
    expect(failedInterface(refused, config)).toBe('Employees')
    expect(failedInterface(rejected, config)).toBe('Employees, EmployeesFI')
  })
})

describe('Sympa connection settings', () => {
  it('fills the service root and the interface name', () => {
    expect(validateConfig(sympa, { apiKey: 'key', apiSecret: 'secret' })).toEqual({
      apiKey: 'key',
      apiSecret: 'secret',
      interfaceName: 'Employees',
      baseUrl: 'https://api.sympahr.net/api',
    })
  })

  it('reads several country interfaces from one setting', () => {
    const config = validateConfig(sympa, {
      apiKey: 'key',
      apiSecret: 'secret',
      interfaceName: 'EmployeesFI, EmployeesSE',
    })
    expect(interfaces(config)).toEqual(['EmployeesFI', 'EmployeesSE'])
  })

  it('refuses a service root outside Sympa', async () => {
    const result = await pullEmployees(sympa, {
      apiKey: 'key',
      apiSecret: 'secret',
      baseUrl: 'https://sympa.example.net/api',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Sympa requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends Basic auth and, without next links, continues a full window with $skip', async () => {
    nock.disableNetConnect()
    const queries: Record<string, string>[] = []
    let authorization: string | undefined
    const record = (n: number) => ({
      PersonId: `P-${n}`,
      EmploymentStartDate: '2020-01-06T00:00:00+02:00',
      EmploymentEndDate: null,
    })
    nock('https://api.sympahr.net')
      .get('/api/Employees')
      .query((query) => {
        queries.push(query as Record<string, string>)
        return true
      })
      .times(2)
      .reply(function () {
        authorization = this.req.headers.authorization as string
        const records =
          queries.length === 1
            ? Array.from({ length: PAGE_SIZE }, (_, i) => record(i + 1))
            : [record(PAGE_SIZE + 1)]
        return [200, { '@odata.context': 'https://api.sympahr.net/api/$metadata#Employees', value: records }]
      })
    const result = await pullEmployees(sympa, { apiKey: 'key', apiSecret: 'secret' }, { now })
    expect(result.employees).toHaveLength(PAGE_SIZE + 1)
    expect(queries).toEqual([{ $top: '100' }, { $top: '100', $skip: '100' }])
    expect(authorization).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`)
  })

  it('an unreachable service root is reported as such', async () => {
    nock.disableNetConnect()
    const check = await checkConnection(sympa, { apiKey: 'key', apiSecret: 'secret' }, { fetchRetryLimit: 0 })
    expect(check).toMatchObject({ ok: false, code: 'unreachable' })
    if (!check.ok) expect(check.message).toMatch(/Could not reach Sympa at https:\/\/api\.sympahr\.net\/api/)
  })
})

describe('Sympa over documented exchanges', () => {
  it('reads names outside ASCII, an employee without a work email and a future leaver', async () => {
    const { result } = await replayFixture(sympa, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId])).toEqual([
      ['P-1999', 'active', null],
      ['P-2001', 'active', 'P-1999'],
      ['P-2002', 'active', 'P-2001'],
      ['P-2003', 'active', 'P-1999'],
      ['P-2004', 'pending', 'P-1999'],
      ['P-2005', 'terminated', 'P-1999'],
      ['P-2006', 'active', 'P-2001'],
    ])
    expect(result?.employees[1]).toMatchObject({ firstName: 'Zoë', lastName: 'Müller', department: 'HR' })
    expect(result?.employees[3]).toMatchObject({ firstName: 'Søren', lastName: 'Åberg', email: null })
    expect(result?.employees[6]).toMatchObject({ terminationDate: '2026-03-31' })
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    // replays share nock's global interceptors, so they run one after the other
    for (const name of ['auth-failure', 'missing-scope', 'unknown-interface']) {
      const check = await checkFixture(sympa, fixture(name), { now })
      answers.push(check.ok ? 'ok' : check.message)
    }
    expect(answers[0]).toMatch(/rejected the API key and secret/)
    expect(answers[1]).toMatch(/grant the employee interface/)
    expect(answers[2]).toMatch(/no interface named Employee\. .*service document/)
  })
})

import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import { checkFixture, loadFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector, type Logger } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import bamboohr, { FIELDS, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')
const host = 'https://acme.bamboohr.com'

runContractSuite(bamboohr, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'datasets v2',
  connectorVersion: packageJson.version,
})

const row = (fields: Record<string, unknown>, restricted?: string[]) => ({
  fields: {
    eeid: '7',
    firstName: 'Zoë',
    lastName: 'Müller',
    email: 'zoe.mueller@example.com',
    status: 'Active',
    employmentStatus: 'Full-Time',
    jobInformationJobTitle: 'Engineer',
    jobInformationDepartment: 'Engineering',
    supervisorEid: null,
    hireDate: '2020-01-06',
    terminationDate: null,
    ...fields,
  },
  ...(restricted ? { _restrictedFields: restricted } : {}),
})

describe('BambooHR connector', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('is a branded definition whose manifest matches', () => {
    expect(isConnector(bamboohr)).toBe(true)
    expect(bamboohr.id).toBe('bamboohr')
    expect(bamboohr.allowedHosts).toEqual(['{companyDomain}.bamboohr.com'])
  })

  it('maps both documented values of `status`', () => {
    expect(STATUS).toEqual({ Active: 'active', Inactive: 'terminated' })
  })

  it.each([
    ['Active', 'Full-Time', '2020-01-06', null, 'active'],
    ['Active', 'Leave of Absence', '2020-01-06', null, 'leave'],
    ['Active', 'Unpaid leave', '2020-01-06', null, 'leave'],
    ['Active', 'Furlough', '2020-01-06', null, 'leave'],
    ['Active', 'Sabbatical', '2020-01-06', null, 'leave'],
    ['Inactive', 'Leave of Absence', '2020-01-06', null, 'terminated'],
    ['Inactive', 'Terminated', '2020-01-06', '2024-02-02', 'terminated'],
    ['Inactive', 'Full-Time', '2027-01-04', null, 'pending'],
    ['Active', 'Full-Time', '2027-01-04', null, 'pending'],
    ['Active', 'Full-Time', '2020-01-06', '2026-11-24', 'terminated'],
    // a termination takes effect at the end of its day
    ['Active', 'Full-Time', '2020-01-06', '2026-11-25', 'active'],
  ])(
    'status %s, employment status %s, hired %s, terminated %s → %s',
    (status, employment, hire, end, expected) => {
      const person = toEmployee(
        row({ status, employmentStatus: employment, hireDate: hire, terminationDate: end }),
        now,
      )
      expect(person).toMatchObject({ status: expected })
    },
  )

  it('reports an undocumented status instead of guessing one', () => {
    expect(() => toEmployee(row({ status: null }), now)).toThrow(
      expect.objectContaining({ name: 'SkipPerson', remoteId: '7', reason: 'unmapped_status' }),
    )
  })

  it('stringifies numeric ids, empties and BambooHR zero dates', () => {
    const person = toEmployee(
      row({ eeid: 42, supervisorEid: 7, email: '  ', jobInformationDepartment: '', hireDate: '0000-00-00' }),
      now,
    )
    expect(person).toMatchObject({
      remoteId: '42',
      managerRemoteId: '7',
      email: null,
      department: null,
      startDate: null,
    })
  })

  it('drops the termination date of an earlier employment after a rehire', () => {
    const person = toEmployee(row({ hireDate: '2023-03-01', terminationDate: '2021-07-30' }), now)
    expect(person).toMatchObject({ status: 'active', startDate: '2023-03-01', terminationDate: null })
  })

  it('sends the dataset query with page and pageSize in the body, every field in the dataset vocabulary', () => {
    const fixture = loadFixture(`${fixturesDir}happy-multipage.json`)
    expect(fixture.interactions.map((i) => (i.body as { page: number }).page)).toEqual([1, 2, 3])
    for (const interaction of fixture.interactions) {
      expect(interaction.body).toEqual({
        fields: [...FIELDS],
        filter: "status in ('Active','Inactive')",
        orderBy: 'eeid asc',
        page: expect.any(Number),
        pageSize: 4,
      })
    }
  })

  it('explains a 403 as a permission of the key’s user', async () => {
    const check = await checkFixture(bamboohr, `${fixturesDir}missing-permission.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/full access to every employee record/)
  })

  it('treats a dataset it may not see (404) as a missing permission', async () => {
    nock.disableNetConnect()
    nock(host).post('/api/v2/datasets/employee/data').reply(404, { title: 'Not Found', status: 404 })
    const check = await checkConnection(bamboohr, { companyDomain: 'acme', apiKey: 'k' }, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
  })

  it('sends the API key as the Basic user name', async () => {
    nock.disableNetConnect()
    const expected = `Basic ${Buffer.from('secret-key:x').toString('base64')}`
    nock(host, { reqheaders: { authorization: expected } })
      .post('/api/v2/datasets/employee/data')
      .reply(200, { data: [], links: {}, meta: { page: 1, pageSize: 1, totalPages: 0, totalItems: 0 } })
    const check = await checkConnection(bamboohr, { companyDomain: 'acme', apiKey: 'secret-key' }, { now })
    expect(check).toEqual({ ok: true })
  })

  it('warns once about fields the key may not read', async () => {
    nock.disableNetConnect()
    nock(host)
      .post('/api/v2/datasets/employee/data')
      .reply(200, {
        data: [row({ email: '' }, ['email']), row({ eeid: '8', email: '' }, ['email', 'supervisorEid'])],
        links: {},
        meta: { page: 1, pageSize: 1000, totalPages: 1, totalItems: 2 },
      })
    const warnings: unknown[] = []
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_, fields) => warnings.push(fields) }
    const result = await pullEmployees(bamboohr, { companyDomain: 'acme', apiKey: 'k' }, { now, logger })
    expect(result.employees.map((e) => e.email)).toEqual([null, null])
    expect(warnings).toEqual([{ fields: ['email', 'supervisorEid'] }])
  })

  it('refuses a company domain typed as a host name', async () => {
    const check = await checkConnection(bamboohr, { companyDomain: 'acme.bamboohr.com', apiKey: 'k' })
    expect(check).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

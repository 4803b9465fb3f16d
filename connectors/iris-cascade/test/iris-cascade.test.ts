import { fileURLToPath } from 'node:url'
import { pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import irisCascade, { currentJob, STATUS, toEmployee, workEmail } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(irisCascade, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'HR API v2',
  connectorVersion: packageJson.version,
})

describe('IRIS Cascade status rules', () => {
  it('maps the date-derived values to canonical statuses', () => {
    expect(STATUS).toEqual({ employed: 'active', notStarted: 'pending', left: 'terminated' })
  })

  it.each([
    ['2020-01-01T00:00:00Z', null, 'active'],
    ['2020-01-01T00:00:00Z', '2026-01-14T00:00:00Z', 'terminated'],
    ['2020-01-01T00:00:00Z', '2026-01-15T00:00:00Z', 'active'],
    ['2026-01-16T00:00:00Z', null, 'pending'],
  ])('started %s, left %s → %s', (start, left, status) => {
    const mapped = toEmployee(
      { Id: 'b7e3', EmploymentStartDate: start, EmploymentLeftDate: left },
      undefined,
      new Map(),
      now,
    )
    expect(mapped).toMatchObject({ status })
  })
})

describe('IRIS Cascade join', () => {
  it('takes the active job, the latest of several, else the latest ended one', () => {
    const jobs = [
      { Id: 'old', Active: false, StartDate: '2024-01-01T00:00:00Z' },
      { Id: 'a1', Active: true, StartDate: '2019-01-01T00:00:00Z' },
      { Id: 'a2', Active: true, StartDate: '2022-01-01T00:00:00Z' },
    ]
    expect(currentJob(jobs)?.Id).toBe('a2')
    expect(currentJob(jobs.filter((j) => !j.Active))?.Id).toBe('old')
    expect(currentJob([])).toBeUndefined()
  })

  it('uses the organisation email only, never a personal one', () => {
    expect(workEmail([{ Ownership: 'Personal', Value: 'me@example.net' }])).toBeNull()
    expect(
      workEmail([
        { Ownership: 'Personal', Value: 'me@example.net' },
        { Ownership: 'Organization', Value: 'me@example.com' },
      ]),
    ).toBe('me@example.com')
  })
})

describe('IRIS Cascade requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('fails rather than pass on fewer records than @odata.count announced', async () => {
    nock.disableNetConnect()
    const api = nock('https://api.iris.co.uk')
      .post('/oauth2/v1/token')
      .reply(200, { access_token: 'issued', token_type: 'Bearer', expires_in: 3600 })
    for (const path of ['hierarchy', 'jobs']) {
      api
        .get(`/hr/v2/${path}`)
        .query({ $top: '100', $count: 'true' })
        .reply(200, { value: [], '@odata.count': 0 })
    }
    api
      .get('/hr/v2/employees')
      .query({ $top: '100', $count: 'true' })
      .reply(200, { value: [{ Id: 'a' }], '@odata.count': 3 })
      .get('/hr/v2/employees')
      .query({ $top: '100', $count: 'true', $skip: '1' })
      .reply(200, { value: [], '@odata.count': 3 })
    await expect(
      pullEmployees(irisCascade, { clientId: 'id', clientSecret: 'secret' }, { now }),
    ).rejects.toMatchObject({ code: 'malformed_response' })
  })

  it('sends the client credentials as Basic to the token endpoint', async () => {
    nock.disableNetConnect()
    let authorization: string | undefined
    nock('https://api.iris.co.uk')
      .post('/oauth2/v1/token', 'grant_type=client_credentials')
      .reply(function () {
        authorization = this.req.headers.authorization as string
        return [200, { access_token: 'issued', token_type: 'Bearer', expires_in: 3600 }]
      })
      .get(/\/hr\/v2\/(hierarchy|jobs|employees)/)
      .times(3)
      .reply(200, { value: [], '@odata.count': 0 })
    await pullEmployees(irisCascade, { clientId: 'id', clientSecret: 'secret' }, { now })
    expect(authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`)
  })
})

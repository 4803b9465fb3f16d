import { fileURLToPath } from 'node:url'
import { pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import sageHr, { mapActive, mapTerminated, STATUS } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(sageHr, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'Sage HR API v1',
  connectorVersion: packageJson.version,
})

describe('Sage HR status table', () => {
  it('maps the list a person comes from, and a later start, to a status', () => {
    expect(STATUS).toEqual({
      employees: 'active',
      'employees-not-started': 'pending',
      'terminated-employees': 'terminated',
    })
  })

  it.each([
    ['2026-01-15', 'active'],
    ['2026-01-16', 'pending'],
    [null, 'active'],
  ])('an active-list employee starting %s is %s', (start, status) => {
    expect(mapActive({ id: 1, employment_start_date: start }, now)).toMatchObject({ status })
  })

  it('numeric ids and manager ids become strings; employment_status (contract type) is ignored', () => {
    const mapped = mapActive(
      { id: 731, reports_to_employee_id: 702, email: ' ', employment_start_date: '2019-04-01' },
      now,
    )
    expect(mapped).toMatchObject({ remoteId: '731', managerRemoteId: '702', email: null })
  })

  it('a terminated-list record has no team and no manager', () => {
    expect(mapTerminated({ id: 688, termination_date: '2022-12-31', position: 'Designer' })).toMatchObject({
      status: 'terminated',
      department: null,
      managerRemoteId: null,
      terminationDate: '2022-12-31',
    })
  })
})

describe('Sage HR requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends the key as X-Auth-Token, asks page by page without a page size, and keeps the active record of someone on both lists', async () => {
    nock.disableNetConnect()
    const pagesAsked: string[] = []
    const keys = new Set<string | undefined>()
    const meta = (page: number, pages: number) => ({
      current_page: page,
      next_page: page < pages ? page + 1 : null,
      previous_page: null,
      total_pages: pages,
      per_page: 1,
      total_entries: pages,
    })
    nock('https://beta.sage.hr')
      .get(/\/api\/(employees|terminated-employees)/)
      .times(3)
      .reply(function (uri) {
        keys.add(this.req.headers['x-auth-token'] as string)
        pagesAsked.push(uri)
        const url = new URL(uri, 'https://beta.sage.hr')
        const page = Number(url.searchParams.get('page'))
        return url.pathname.endsWith('/terminated-employees')
          ? [200, { data: [{ id: 5, termination_date: '2020-01-31' }], meta: meta(1, 1) }]
          : [200, { data: [{ id: page === 1 ? 5 : 6 }], meta: meta(page, 2) }]
      })
    const result = await pullEmployees(sageHr, { subdomain: 'beta', apiKey: 'key-123' }, { now })
    expect(pagesAsked).toEqual([
      '/api/employees?page=1',
      '/api/employees?page=2',
      '/api/terminated-employees?page=1',
    ])
    expect([...keys]).toEqual(['key-123'])
    expect(result.employees.map((e) => [e.remoteId, e.status])).toEqual([
      ['5', 'active'],
      ['6', 'active'],
    ])
  })
})

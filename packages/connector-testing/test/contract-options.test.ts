import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { paginatePage } from '@hrsync/connector-kit'
import { defineConnector, employee, Secret, todayIn } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { runContractSuite } from '../src/index.js'

// A vendor that pages with POST, has no manager reference and no termination dates, and whose API
// allows one request every two seconds: the contract suite must accept what it can express.
const STATUS = { working: 'active', starting: 'pending', gone: 'terminated' } as const
type Person = { id: number; email: string; state: keyof typeof STATUS; start: string | null }

const searchHr = defineConnector({
  id: 'search-hr',
  name: 'Search HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ apiKey: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['api.search-hr.example.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'none',
      statuses: Object.keys(STATUS),
      incremental: false,
      terminationDates: 'none',
    },
  },
  baseUrl: () => 'https://api.search-hr.example.com/v1',
  auth: (c) => ({ type: 'bearer', token: c.apiKey }),
  http: { requestsPerSecond: 0.5, retryMethods: ['GET', 'POST'] },
  async checkConnection(ctx) {
    await ctx.http.request({ method: 'POST', url: 'people/search', json: { page: 1, size: 1 } })
  },
  async *listEmployees(ctx) {
    const pages = paginatePage<Person, { people: Person[]; more?: boolean }>(ctx, {
      url: 'people/search',
      method: 'POST',
      pageSize: 2,
      body: (page, size) => ({ page, size }),
      items: (b) => b.people,
      hasMore: (b) => b.more,
      requireHasMore: true,
    })
    for await (const people of pages) {
      yield people.map((p) =>
        employee({
          remoteId: String(p.id),
          email: p.email,
          status: STATUS[p.state],
          startDate: p.start,
        }),
      )
    }
  },
})

const now = new Date('2026-03-01T12:00:00Z')
const scope = 'https://api.search-hr.example.com:443'
const meta = (description: string) => ({
  source: 'documented',
  recordedAt: '2026-03-01T00:00:00Z',
  vendorApiVersion: 'v1',
  connectorVersion: '0.0.0',
  scrubbed: true,
  scrubberVersion: '1',
  description,
})
const person = (id: number, state: Person['state'], start: string | null): Person => ({
  id,
  email: `p${id}@example.com`,
  state,
  start,
})
const asEmployee = (p: Person) =>
  employee({ remoteId: String(p.id), email: p.email, status: STATUS[p.state], startDate: p.start })
const page = (n: number, people: Person[], more: boolean, status = 200) => ({
  scope,
  method: 'POST',
  path: '/v1/people/search',
  body: { page: n, size: 2 },
  request: { headers: { authorization: 'Bearer {{secret:apiKey}}' } },
  status,
  response: status === 200 ? { people, more } : { error: 'unavailable' },
  ...(status === 429 ? { rawHeaders: ['Retry-After', '3'] } : {}),
})
const one = [person(1, 'working', '2020-01-01'), person(2, 'gone', '2019-05-01')]
const two = [person(3, 'starting', '2026-06-01')]
const config = { apiKey: '{{secret:apiKey}}' }

const fixtures: Record<string, unknown> = {
  'happy-multipage': {
    interactions: [page(1, one, true), page(2, two, false)],
    expected: { employees: [...one, ...two].map(asEmployee) },
  },
  'auth-failure': {
    interactions: [{ ...page(1, [], false), body: undefined, status: 401, response: { error: 'bad key' } }],
    expected: { error: { code: 'invalid_credentials' } },
  },
  'rate-limited': {
    interactions: [page(1, one, true), page(2, [], false, 429), page(2, two, false)],
    expected: { employees: [...one, ...two].map(asEmployee) },
  },
  'server-error-mid-pagination': {
    interactions: [
      page(1, one, true),
      page(2, [], false, 503),
      page(2, [], false, 503),
      page(2, [], false, 503),
    ],
    expected: { error: { code: 'vendor_error' } },
  },
  statuses: {
    interactions: [page(1, one, true), page(2, two, false)],
    expected: { employees: [...one, ...two].map(asEmployee) },
  },
  managers: {
    interactions: [page(1, one, false)],
    expected: { employees: one.map(asEmployee) },
  },
  'empty-tenant': { interactions: [page(1, [], false)], expected: { employees: [] } },
}

const fixturesDir = mkdtempSync(join(tmpdir(), 'hrsync-contract-'))
for (const [scenario, fixture] of Object.entries(fixtures)) {
  writeFileSync(
    join(fixturesDir, `${scenario}.json`),
    JSON.stringify({ meta: meta(scenario), config, ...(fixture as object) }),
  )
}
if (todayIn('UTC', now) !== '2026-03-01') throw new Error('the fixtures assume 2026-03-01')

runContractSuite(searchHr, {
  fixturesDir,
  now,
  statusTable: STATUS,
})

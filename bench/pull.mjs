// pull: 20k persons through the connector kit (Personio's vendor shape and mapping) from a vendor that
// behaves like one: each page answered after a latency, requests over the vendor's limits refused
// with 429. The floor is the least time that latency and those limits allow for the pages.
// argv: [persons]; BENCH_PULL_LATENCY_MS (default 120), BENCH_PULL_LIMITS (default Personio's, "300/60,15/1").
import { createRequire } from 'node:module'
import { identify, PAGES_AHEAD, REQUEST_LIMITS, toEmployee } from '../connectors/personio/dist/index.js'
import { mapRecords, paginateOffset, pullEmployees } from '../packages/connector-kit/dist/index.js'
import { defineConnector } from '../packages/core/dist/index.js'
import { round, startServer } from './lib.mjs'
import { floorMs, parseLimits } from './limits.mjs'

const { Type } = createRequire(new URL('../packages/core/package.json', import.meta.url))('@sinclair/typebox')

const PERSONS = Number(process.argv[2] ?? 20000)
const PAGE = 100
const LATENCY_MS = Number(process.env.BENCH_PULL_LATENCY_MS ?? 120)
const LIMITS =
  process.env.BENCH_PULL_LIMITS ??
  REQUEST_LIMITS.map(({ requests, seconds }) => `${requests}/${seconds}`).join(',')
const limits = parseLimits(LIMITS)
const pages = Math.ceil(PERSONS / PAGE)
const now = new Date('2025-06-15T12:00:00Z')

// Personio itself only calls https://api.personio.de|.com, so the bench uses its vendor shape and
// its own record mapping, limits and pages ahead in a connector that may call 127.0.0.1.
function benchConnector(id, baseUrl, requestLimits) {
  return defineConnector({
    id,
    name: 'Personio (bench)',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({}),
    allowedHosts: ['127.0.0.1'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'remoteId',
        statuses: [],
        incremental: false,
      },
    },
    ...(requestLimits.length > 0 ? { http: { requestLimits } } : {}),
    baseUrl: () => baseUrl,
    checkConnection: async () => {},
    async *listEmployees(ctx) {
      for await (const records of paginateOffset(ctx, {
        url: '/v1/company/employees',
        limit: PAGE,
        items: (body) => body.data,
        total: (body) => body.metadata?.total_elements,
        fetchAhead: PAGES_AHEAD,
      })) {
        yield mapRecords(records, (record) => toEmployee(record, now), { identify })
      }
    },
  })
}

// The code warms up against a vendor with no latency and no limits (a runner pulls with warm code);
// the measured pull is one, since the limits remember the requests of the minute before.
const warm = await startServer('vendor-server.mjs', [String(PERSONS)])
for (let i = 0; i < 3; i++) {
  await pullEmployees(benchConnector('bench-warm', `http://127.0.0.1:${warm.port}`, []), {}, { now })
}
await warm.stop()

const vendor = await startServer('vendor-server.mjs', [String(PERSONS), String(LATENCY_MS), LIMITS])
const baseUrl = `http://127.0.0.1:${vendor.port}`
const cpuBefore = process.cpuUsage()
const t0 = performance.now()
const result = await pullEmployees(benchConnector('bench-personio', baseUrl, limits), {}, { now })
const kitMs = performance.now() - t0
const cpu = process.cpuUsage(cpuBefore)
const stats = await (await fetch(`${baseUrl}/stats`)).json()
await vendor.stop()
if (result.employees.length !== PERSONS)
  throw new Error(`expected ${PERSONS}, got ${result.employees.length}`)

const floor = floorMs(pages, LATENCY_MS, limits)
console.log(
  JSON.stringify({
    persons: PERSONS,
    pages,
    latencyMs: LATENCY_MS,
    limits: LIMITS,
    connector: 'bench connector with Personio’s mapping (personio refuses 127.0.0.1)',
    floorMs: round(floor),
    kitMs: round(kitMs),
    ratio: round(kitMs / floor, 3),
    cpuMsPerPage: round((cpu.user + cpu.system) / 1000 / pages, 2),
    requests: stats.requests,
    throttled: stats.throttled,
  }),
)

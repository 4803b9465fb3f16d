import { createRequire } from 'node:module'
import { toEmployee } from '../connectors/personio/dist/index.js'
// pull: 20k persons through the connector kit (Personio's vendor shape and mapping) against the
// floor: the same pages fetched and JSON.parsed with plain fetch, in the same process.
import { paginateOffset, pullEmployees } from '../packages/connector-kit/dist/index.js'
import { defineConnector } from '../packages/core/dist/index.js'
import { median, round, startServer } from './lib.mjs'

const { Type } = createRequire(new URL('../packages/core/package.json', import.meta.url))('@sinclair/typebox')

const PERSONS = Number(process.argv[2] ?? 20000)
const PAGE = 100
// the floor moves by ±15 % between rounds on a shared machine: the median of many rounds is compared,
// after a few rounds of each path that let the JIT settle (a runner pulls with warm code)
const WARM_ROUNDS = 3
const ROUNDS = 15
const server = await startServer('vendor-server.mjs', [String(PERSONS)])
const baseUrl = `http://127.0.0.1:${server.port}`
const now = new Date('2025-06-15T12:00:00Z')

// Personio itself only calls https://api.personio.de|.com (allowedHosts, an https baseUrl pattern)
// and paces itself at 5 requests a second, so the bench uses the same vendor shape and Personio's
// own record mapping in a connector that may call 127.0.0.1 and is not rate limited.
const connector = defineConnector({
  id: 'bench-personio',
  name: 'Personio (bench)',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({}),
  allowedHosts: ['127.0.0.1'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false },
  },
  baseUrl: () => baseUrl,
  checkConnection: async () => {},
  async *listEmployees(ctx) {
    for await (const records of paginateOffset(ctx, {
      url: '/v1/company/employees',
      limit: PAGE,
      items: (body) => body.data,
      total: (body) => body.metadata?.total_elements,
    })) {
      const employees = []
      const skipped = []
      for (const record of records) {
        const mapped = toEmployee(record, now)
        if ('reason' in mapped) skipped.push(mapped)
        else employees.push(mapped)
      }
      yield { employees, skipped }
    }
  },
})

async function floor() {
  let count = 0
  for (let offset = 0; ; offset += PAGE) {
    const response = await fetch(`${baseUrl}/v1/company/employees?limit=${PAGE}&offset=${offset}`)
    const body = JSON.parse(await response.text())
    count += body.data.length
    // the pages the connector reads: it stops at Personio's total, or on a short page
    if (body.data.length < PAGE || count >= body.metadata.total_elements) break
  }
  return count
}

async function kit() {
  const result = await pullEmployees(connector, {}, { now })
  return result.employees.length
}

const timed = async (fn) => {
  const t0 = performance.now()
  const n = await fn()
  return { ms: performance.now() - t0, n }
}
// warm both paths (page cache on the server, JIT here), then alternate
for (let i = 0; i < WARM_ROUNDS; i++) {
  await floor()
  await kit()
}
const floors = []
const kits = []
for (let i = 0; i < ROUNDS; i++) {
  const f = await timed(floor)
  const k = await timed(kit)
  if (f.n !== PERSONS || k.n !== PERSONS) throw new Error(`expected ${PERSONS}, floor ${f.n}, kit ${k.n}`)
  floors.push(f.ms)
  kits.push(k.ms)
}
await server.stop()
const floorMs = median(floors)
const kitMs = median(kits)
console.log(
  JSON.stringify({
    persons: PERSONS,
    pages: Math.ceil(PERSONS / PAGE),
    connector: 'bench connector with Personio’s mapping (personio refuses 127.0.0.1)',
    floorMs: round(floorMs),
    kitMs: round(kitMs),
    ratio: round(kitMs / floorMs, 2),
  }),
)

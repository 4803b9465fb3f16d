// apply: the first sync of 20k persons through startRunner and the sync service, on PGlite and on
// PostgreSQL, then a resync with no HR change, which must write no row.
// argv: <pglite|postgres> <persons>

import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { startRunner } from '../apps/runner/dist/index.js'
import pg from '../apps/runner/node_modules/pg/lib/index.js'
import { defineConnector, employee, Secret } from '../packages/core/dist/index.js'
import { round } from './lib.mjs'

const require = createRequire(new URL('../packages/core/package.json', import.meta.url))
const { Type } = require('@sinclair/typebox')

const engine = process.argv[2] ?? 'pglite'
const PERSONS = Number(process.argv[3] ?? 20000)
const DATABASE_URL = process.env.HRSYNC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const people = Array.from({ length: PERSONS }, (_, i) =>
  employee({
    remoteId: `p${i}`,
    status: 'active',
    email: `person${i}@acme.test`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    managerRemoteId: i === 0 ? null : `p${Math.floor((i - 1) / 8)}`,
    department: `Dept ${i % 40}`,
    jobTitle: `Title ${i % 25}`,
    startDate: '2020-01-07',
  }),
)
const connector = defineConnector({
  id: 'bench-memory',
  name: 'Bench HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ token: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['example.test'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false },
  },
  checkConnection: async () => {},
  async *listEmployees() {
    for (let i = 0; i < people.length; i += 500) yield people.slice(i, i + 500)
  },
})

const schema = `hrsync_bench_${randomBytes(5).toString('hex')}`
const runner = await startRunner({
  ...(engine === 'postgres'
    ? {
        databaseUrl: DATABASE_URL,
        databaseSchema: schema,
        secretKey: randomBytes(32).toString('base64'),
        adminToken: 'bench-admin',
      }
    : { inMemory: true }),
  listen: false,
  scheduler: false,
  discoverPlugins: false,
  connectors: [connector],
  logger: false,
  env: {},
  massRemoval: { minCount: 1_000_000, ratio: 1 },
})
const call = async (method, url, payload) => {
  const response = await runner.services.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${runner.adminToken}` },
    ...(payload ? { payload } : {}),
  })
  if (response.statusCode >= 400) throw new Error(`${method} ${url}: ${response.body}`)
  return response.json()
}
const company = await call('POST', '/api/companies', {
  name: 'Bench',
  plan: 'beyond',
  timeZone: 'Europe/Berlin',
})
const connected = await call('POST', `/api/companies/${company.id}/integrations`, {
  connector: 'bench-memory',
  config: { token: 'bench-token' },
})
const integrationId = connected.integration?.id ?? connected.id

const { db } = runner.services
const writes = async () => {
  if (engine !== 'postgres') return null
  const [row] = await db.query(
    `SELECT COALESCE(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint AS n FROM pg_stat_user_tables WHERE schemaname = $1 AND relname NOT IN ('sync_runs', 'events', 'integrations', 'held_removals', 'webhook_deliveries')`,
    [schema],
  )
  return Number(row.n)
}
/** the directory's fingerprint: rows and their last change */
const fingerprint = async () => {
  const [users] = await db.query(
    `SELECT count(*)::int AS n, max(updated_at)::text AS at, md5(string_agg(id || coalesce(updated_at::text, ''), ',' ORDER BY id)) AS h FROM users WHERE company_id = $1`,
    [company.id],
  )
  const [teams] = await db.query('SELECT count(*)::int AS n FROM teams WHERE company_id = $1', [company.id])
  return { users: users.n, teams: teams.n, hash: users.h }
}

const timedSync = async () => {
  const t0 = performance.now()
  const outcome = await runner.services.sync.sync(integrationId, { trigger: 'manual' })
  const ms = performance.now() - t0
  if (outcome.run.status !== 'succeeded') throw new Error(`sync failed: ${outcome.run.failure}`)
  return { ms, changes: outcome.run.changes.length }
}

const first = await timedSync()
const before = await fingerprint()
// PostgreSQL's statistics are sent at the end of a transaction and read from a snapshot: clear it
if (engine === 'postgres') await new Promise((r) => setTimeout(r, 1200))
const writesBefore = await writes()
const resync = await timedSync()
if (engine === 'postgres') await new Promise((r) => setTimeout(r, 1200))
const writesAfter = await writes()
const after = await fingerprint()
await runner.close()
if (engine === 'postgres') {
  const client = new pg.Client({ connectionString: DATABASE_URL })
  await client.connect()
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  await client.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`)
  await client.end()
}
console.log(
  JSON.stringify({
    engine,
    persons: PERSONS,
    firstSyncMs: round(first.ms, 0),
    firstSyncChanges: first.changes,
    users: before.users,
    resyncMs: round(resync.ms, 0),
    resyncChanges: resync.changes,
    resyncRowsWritten:
      engine === 'postgres' ? writesAfter - writesBefore : before.hash === after.hash ? 0 : -1,
    directoryUnchanged: before.hash === after.hash && before.teams === after.teams,
  }),
)

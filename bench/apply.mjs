// apply: the first sync of 20k persons through startRunner and the sync service, on PGlite and on
// PostgreSQL, then a resync with no HR change, which must write no row.
// argv: <pglite|postgres> <persons>

import { createRequire } from 'node:module'
import { startRunner } from '../apps/runner/dist/index.js'
import pg from '../apps/runner/node_modules/pg/lib/index.js'
import { defineConnector, employee, Secret } from '../packages/core/dist/index.js'
import { benchSchema, benchStore, DATABASE_URL, round } from './lib.mjs'

const require = createRequire(new URL('../packages/core/package.json', import.meta.url))
const { Type } = require('@sinclair/typebox')

const engine = process.argv[2] ?? 'pglite'
const PERSONS = Number(process.argv[3] ?? 20000)

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

const schema = benchSchema()
const runner = await startRunner({
  ...benchStore(engine, schema),
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
  autoApply: true,
  config: { token: 'bench-token' },
})
const integrationId = connected.integration?.id ?? connected.id

const { db } = runner.services
// Rows written by the resync, on PostgreSQL: rows of the directory tables inserted or updated by a
// transaction that began after `mark` (their xmin), plus rows that went missing. Read from the rows
// themselves, not from the statistics views, which backends report up to seconds late.
const DIRECTORY_TABLES = ['companies', 'users', 'teams', 'team_members']
const mark = async () => {
  if (engine !== 'postgres') return null
  const [{ xid }] = await db.query('SELECT (txid_current() % 4294967296)::bigint AS xid')
  const counts = {}
  for (const table of DIRECTORY_TABLES) {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM ${table}`)
    counts[table] = n
  }
  return { xid: Number(xid), counts }
}
const writtenSince = async (since) => {
  if (since === null) return null
  let written = 0
  for (const table of DIRECTORY_TABLES) {
    const [row] = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE xmin::text::bigint > $1)::int AS changed FROM ${table}`,
      [since.xid],
    )
    written += row.changed + Math.max(0, since.counts[table] - row.n)
  }
  return written
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
const since = await mark()
const resync = await timedSync()
const written = await writtenSince(since)
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
    resyncRowsWritten: engine === 'postgres' ? written : before.hash === after.hash ? 0 : -1,
    directoryUnchanged: before.hash === after.hash && before.teams === after.teams,
  }),
)

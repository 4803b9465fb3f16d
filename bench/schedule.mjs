// scheduling: <integrations> integrations over one sync cycle compressed to <cycle seconds>, on two
// runner replicas sharing one PostgreSQL schema (pg-boss queue). Every integration must be synced
// exactly once in the cycle, and never by both replicas at once.

import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { startRunner } from '../apps/runner/dist/index.js'
import { defineConnector, employee, Secret } from '../packages/core/dist/index.js'
import { benchSchema, DATABASE_URL, round } from './lib.mjs'

const require = createRequire(new URL('../packages/core/package.json', import.meta.url))
const { Type } = require('@sinclair/typebox')
const pg = createRequire(new URL('../apps/runner/package.json', import.meta.url))('pg')

const INTEGRATIONS = Number(process.argv[2] ?? 10000)
const CYCLE_S = Number(process.argv[3] ?? 120)
const schema = benchSchema()
const shared = {
  databaseUrl: DATABASE_URL,
  databaseSchema: schema,
  secretKey: randomBytes(32).toString('base64'),
  adminToken: 'bench-admin-token-0123456789abcdef012345',
  listen: false,
  discoverPlugins: false,
  logger: false,
  env: {},
  jitter: 0,
  syncIntervalMs: CYCLE_S * 1000,
  schedulerTickMs: 500,
}
const connector = defineConnector({
  id: 'bench-one',
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
    yield [
      employee({
        remoteId: '1',
        status: 'active',
        email: 'ana@acme.test',
        firstName: 'Ana',
        lastName: 'Ruiz',
      }),
    ]
  },
})

// one integration through the API, then copied (company and all) to the wanted count, due times
// spread evenly over the cycle
const seed = await startRunner({ ...shared, scheduler: false, connectors: [connector] })
const call = async (method, url, payload) => {
  const response = await seed.services.app.inject({
    method,
    url,
    headers: { authorization: 'Bearer bench-admin-token-0123456789abcdef012345' },
    ...(payload ? { payload } : {}),
  })
  if (response.statusCode >= 400) throw new Error(`${method} ${url}: ${response.body}`)
  return response.json()
}
const company = await call('POST', '/api/companies', { name: 'Bench 0', plan: 'beyond', timeZone: 'UTC' })
const connected = await call('POST', `/api/companies/${company.id}/integrations`, {
  connector: 'bench-one',
  autoApply: true,
  config: { token: 'x' },
})
const templateId = connected.integration?.id ?? connected.id
const { db } = seed.services
const start = Date.now() + 5000
const stepMs = (CYCLE_S * 1000) / INTEGRATIONS
await db.query(
  `INSERT INTO companies SELECT (jsonb_populate_record(c, jsonb_build_object('id', 'bench-c-' || g))).*
     FROM companies c, generate_series(1, $2::int) g WHERE c.id = $1`,
  [company.id, INTEGRATIONS],
)
await db.query(
  `INSERT INTO integrations SELECT (jsonb_populate_record(i, jsonb_build_object(
       'id', 'bench-i-' || g, 'company_id', 'bench-c-' || g,
       'next_sync_at', to_timestamp(($3::bigint + (g - 1) * $4::float8) / 1000.0)))).*
     FROM integrations i, generate_series(1, $2::int) g WHERE i.id = $1`,
  [templateId, INTEGRATIONS, start, stepMs],
)
await db.query('UPDATE integrations SET next_sync_at = NULL WHERE id = $1', [templateId])
await seed.close()

const replicas = await Promise.all([0, 1].map(() => startRunner({ ...shared, connectors: [connector] })))
const t0 = Date.now()
const { db: reader } = replicas[0].services
const done = async () =>
  Number(
    (
      await reader.query(
        `SELECT count(DISTINCT integration_id)::int AS n FROM sync_runs WHERE trigger = 'schedule'`,
      )
    )[0].n,
  )
// the cycle, then up to another cycle for the last ones to start
while (
  Date.now() < start + CYCLE_S * 1000 + 2000 ||
  ((await done()) < INTEGRATIONS && Date.now() < start + 2 * CYCLE_S * 1000)
) {
  await new Promise((r) => setTimeout(r, 1000))
}
const wallS = (Date.now() - t0) / 1000
await Promise.all(replicas.map((r) => r.services.scheduler?.stop()))
// per integration, the runs that started within its own cycle: from when it fell due, one interval on
const [stats] = await reader.query(
  `WITH per AS (
     SELECT i.id, count(r.id) AS runs
       FROM integrations i LEFT JOIN sync_runs r ON r.integration_id = i.id AND r.trigger = 'schedule'
        AND r.started_at < to_timestamp(($1::bigint + (substr(i.id, 9)::int - 1) * $2::float8 + $3::bigint) / 1000.0)
      WHERE i.id LIKE 'bench-i-%' GROUP BY i.id)
   SELECT count(*) FILTER (WHERE runs = 1)::int AS once, count(*) FILTER (WHERE runs = 0)::int AS never,
          count(*) FILTER (WHERE runs > 1)::int AS twice FROM per`,
  [start, stepMs, CYCLE_S * 1000],
)
const [overlap] = await reader.query(
  `SELECT count(*)::int AS n FROM sync_runs a JOIN sync_runs b ON a.integration_id = b.integration_id AND a.id < b.id
     AND a.started_at < b.finished_at AND b.started_at < a.finished_at`,
)
// lag: from the moment an integration fell due to the start of its first sync (the scheduling
// overhead: claim tick, queue, worker pick-up); duration: the sync itself
const [timing] = await reader.query(
  `WITH first AS (
     SELECT DISTINCT ON (r.integration_id) r.started_at, r.finished_at,
            extract(epoch FROM r.started_at - to_timestamp(($1::bigint + (substr(r.integration_id, 9)::int - 1) * $2::float8) / 1000.0)) * 1000 AS lag
       FROM sync_runs r WHERE r.trigger = 'schedule' ORDER BY r.integration_id, r.started_at)
   SELECT avg(lag)::float8 AS lag, percentile_cont(0.99) WITHIN GROUP (ORDER BY lag)::float8 AS lag99,
          max(lag)::float8 AS lagmax,
          avg(extract(epoch FROM finished_at - started_at) * 1000)::float8 AS duration, count(*)::int AS runs
     FROM first`,
  [start, stepMs],
)
await Promise.all(replicas.map((r) => r.close()))
const admin = new pg.Client({ connectionString: DATABASE_URL })
await admin.connect()
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
await admin.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`)
await admin.end()
console.log(
  JSON.stringify({
    integrations: INTEGRATIONS,
    replicas: 2,
    cycleS: CYCLE_S,
    compression: round((3 * 3600) / CYCLE_S, 0),
    wallS: round(wallS, 1),
    syncedOnce: stats.once,
    neverSynced: stats.never,
    syncedTwice: stats.twice,
    overlappingRuns: overlap.n,
    syncsPerSecondNeeded: round(INTEGRATIONS / CYCLE_S, 1),
    meanLagMs: round(timing.lag ?? 0, 0),
    p99LagMs: round(timing.lag99 ?? 0, 0),
    maxLagMs: round(timing.lagmax ?? 0, 0),
    meanSyncMs: round(timing.duration ?? 0, 1),
    // what scheduling adds to each sync: the wait from falling due to starting
    overheadPerSyncMs: round(timing.lag ?? 0, 0),
  }),
)
process.exit(0)

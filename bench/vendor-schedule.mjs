// scheduling on real vendor behaviour: <companies> companies, each on one simulated vendor
// (bench/vendor-sim.mjs) with sizes from a skewed distribution, over one 3-hour cycle compressed to
// <cycle seconds> (latencies and rate windows compressed by the same factor), on two runner replicas
// in processes of their own sharing one PostgreSQL schema. argv: [companies] [cycle s] [sync concurrency].
// The measured cycle is a steady one: every company synced once before it, one person in a hundred
// renamed in HR since. Per vendor: sync duration and lateness (start − due) percentiles in
// uncompressed minutes, syncs that missed their cycle; per replica: CPU %, memory and syncs in flight.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { startRunner } from '../apps/runner/dist/index.js'
import { benchSchema, DATABASE_URL, here, round, startServer } from './lib.mjs'
import { FAMILIES, vendorConnectors } from './vendor-families.mjs'

const pg = createRequire(new URL('../apps/runner/package.json', import.meta.url))('pg')

const COMPANIES = Number(process.argv[2] ?? 1000)
const CYCLE_S = Number(process.argv[3] ?? 600)
const CONCURRENCY = Number(process.argv[4] ?? 200)
const RESTART_AT = Number(process.env.BENCH_VENDOR_RESTART_AT ?? 0)
const COMPRESSION = (3 * 3600) / CYCLE_S

// a seeded population, the same on every run: sizes lognormal around a median of 100 (σ 1.5: one
// company in a hundred above 3,300), clipped to 2..20,000; vendors by their shares
let seed = 24
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
const families = Object.keys(FAMILIES)
const upTo = families.map((_, i) => families.slice(0, i + 1).reduce((sum, f) => sum + FAMILIES[f].share, 0))
const population = Array.from({ length: COMPANIES }, () => {
  const pick = random()
  const family = families[upTo.findIndex((bound) => pick < bound)] ?? families.at(-1)
  return { family, people: Math.min(20000, Math.max(2, Math.round(100 * Math.exp(1.5 * gauss())))) }
})

const sim = await startServer('vendor-sim.mjs', [String(COMPRESSION)])
const simUrl = `http://127.0.0.1:${sim.port}`
// the same vendors answering at once, for the first syncs that fill the directories
const seedSim = await startServer('vendor-sim.mjs', [String(COMPRESSION), 'unpaced'])
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
  syncConcurrency: CONCURRENCY,
}

// one integration per family through the API, then copied (company and all) for each company with
// its own sealed config (the account names its size), due times spread evenly over the cycle
const seedRunner = await startRunner({
  ...shared,
  scheduler: false,
  connectors: vendorConnectors(`http://127.0.0.1:${seedSim.port}`, COMPRESSION, { paced: false }),
})
const call = async (method, url, payload) => {
  const response = await seedRunner.services.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${shared.adminToken}` },
    ...(payload ? { payload } : {}),
  })
  if (response.statusCode >= 400) throw new Error(`${method} ${url}: ${response.body}`)
  return response.json()
}
const templates = {}
for (const family of families) {
  const company = await call('POST', '/api/companies', {
    name: `Bench ${family}`,
    plan: 'beyond',
    timeZone: 'UTC',
  })
  const connected = await call('POST', `/api/companies/${company.id}/integrations`, {
    connector: `bench-${family}`,
    autoApply: true,
    config: { token: 'x', account: 't-0' },
  })
  templates[family] = { company: company.id, integration: connected.integration?.id ?? connected.id }
}
const { db, box } = seedRunner.services
const stepMs = (CYCLE_S * 1000) / COMPANIES
const rows = population.map((c, i) => ({
  template: templates[c.family],
  // each company its own credential: the kit paces a vendor's limits per credential, as the vendor counts
  config: box.seal({ token: `token-${i + 1}`, account: `c${i + 1}-${c.people}` }),
}))
await db.query(
  `INSERT INTO companies SELECT (jsonb_populate_record(c, jsonb_build_object('id', 'bench-c-' || p.g))).*
     FROM unnest($1::text[]) WITH ORDINALITY AS p(template, g) JOIN companies c ON c.id = p.template`,
  [rows.map((r) => r.template.company)],
)
await db.query(
  `INSERT INTO integrations SELECT (jsonb_populate_record(i, jsonb_build_object(
       'id', 'bench-i-' || p.g, 'company_id', 'bench-c-' || p.g, 'config_encrypted', p.config,
       'next_sync_at', null))).*
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(template, config, g)
     JOIN integrations i ON i.id = p.template`,
  [rows.map((r) => r.template.integration), rows.map((r) => r.config)],
)
await db.query('UPDATE integrations SET next_sync_at = NULL WHERE id = ANY($1)', [
  Object.values(templates).map((t) => t.integration),
])

// The measured cycle is a steady one: every company was synced before (its first sync, here from
// vendors answering at once), and since then one person in a hundred has a new last name.
const seedStarted = performance.now()
const pending = population.map((_, i) => `bench-i-${i + 1}`)
let seedFailed = 0
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let id = pending.pop(); id; id = pending.pop()) {
      const { run } = await seedRunner.services.sync.sync(id, { trigger: 'manual' })
      if (run.status !== 'succeeded') seedFailed++
    }
  }),
)
const seedS = Math.round((performance.now() - seedStarted) / 1000)
const start = Date.now() + 10_000
await db.query(
  `UPDATE integrations SET next_sync_at = to_timestamp(($1::bigint + (substr(id, 9)::int - 1) * $2::float8) / 1000.0)
    WHERE id LIKE 'bench-i-%'`,
  [start, stepMs],
)
await seedRunner.close()
await seedSim.stop()

// the replicas, each in a process of its own
const startReplica = () =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('vendor-replica.mjs')], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_REPLICA: JSON.stringify({ ...shared, simUrl, compression: COMPRESSION }),
      },
    })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      if (out.includes('ready')) resolve({ child, output: () => out })
    })
    child.on('exit', (code) => reject(new Error(`replica exited with ${code}`)))
  })
const replicas = await Promise.all([startReplica(), startReplica()])
const reader = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` })
await reader.connect()

// BENCH_VENDOR_RESTART_AT (a fraction of the cycle): then the second replica is killed (SIGKILL, as a
// crash or a deploy that does not wait) and a new one started; the syncs it was pulling are followed
let restart = null
if (RESTART_AT > 0) {
  setTimeout(
    async () => {
      const { child, output } = replicas[1]
      const before = output().length
      child.kill('SIGUSR2')
      while (!output().slice(before).includes('pulling')) await new Promise((r) => setTimeout(r, 10))
      const { pulling } = JSON.parse(output().slice(before).trim().split('\n').at(-1))
      child.removeAllListeners('exit')
      child.kill('SIGKILL')
      restart = { at: new Date(), cut: pulling }
      replicas[1] = await startReplica()
    },
    start - Date.now() + RESTART_AT * CYCLE_S * 1000,
  )
}
const done = async () =>
  (
    await reader.query(
      `SELECT count(DISTINCT integration_id)::int AS n FROM sync_runs WHERE trigger = 'schedule' AND integration_id LIKE 'bench-i-%'`,
    )
  ).rows[0].n
// the cycle, then up to another cycle: the last company falls due at its end
while (
  Date.now() < start + CYCLE_S * 1000 + 2000 ||
  ((await done()) < COMPANIES && Date.now() < start + 2 * CYCLE_S * 1000)
) {
  await new Promise((r) => setTimeout(r, 1000))
}
const usage = await Promise.all(
  replicas.map(
    ({ child, output }) =>
      new Promise((resolve) => {
        child.removeAllListeners('exit')
        child.once('exit', () => resolve(JSON.parse(output().trim().split('\n').at(-1))))
        child.kill('SIGTERM')
      }),
  ),
)
// per integration, its first scheduled run if it started within its own cycle (due, due + cycle)
const { rows: perVendor } = await reader.query(
  `WITH due AS (
     SELECT i.id, i.connector_id,
            to_timestamp(($1::bigint + (substr(i.id, 9)::int - 1) * $2::float8) / 1000.0) AS due_at
       FROM integrations i WHERE i.id LIKE 'bench-i-%'),
   first AS (
     SELECT d.connector_id, r.status,
            extract(epoch FROM r.started_at - d.due_at) * 1000 AS late,
            extract(epoch FROM r.finished_at - r.started_at) * 1000 AS took
       FROM due d LEFT JOIN LATERAL (
         -- a finished run, or one still in flight when the replicas stop (its progress row)
         SELECT * FROM (
           SELECT r.started_at, r.finished_at, r.status FROM sync_runs r
            WHERE r.integration_id = d.id AND r.trigger = 'schedule'
           UNION ALL
           SELECT p.started_at, NULL, 'running' FROM sync_progress p WHERE p.integration_id = d.id
         ) r
          WHERE r.started_at < d.due_at + make_interval(secs => $3::float8)
          ORDER BY r.started_at LIMIT 1) r ON true)
   SELECT connector_id AS vendor, count(*)::int AS companies,
          count(*) FILTER (WHERE late IS NULL)::int AS missed,
          count(*) FILTER (WHERE status = 'failed')::int AS failed,
          count(*) FILTER (WHERE status = 'running')::int AS running,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY took)::float8 AS took50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY took)::float8 AS took95,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY late)::float8 AS late50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY late)::float8 AS late95
     FROM first GROUP BY ROLLUP (connector_id) ORDER BY connector_id`,
  [start, stepMs, CYCLE_S],
)
// the cut syncs: how long after the kill each started again, and how long that second pull took
// why the failed scheduled syncs failed, the first of each reason
const { rows: failures } = await reader.query(
  `SELECT i.connector_id AS vendor, r.failure, count(*)::int AS syncs
     FROM sync_runs r JOIN integrations i ON i.id = r.integration_id
    WHERE r.trigger = 'schedule' AND r.status = 'failed' AND i.id LIKE 'bench-i-%'
    GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10`,
)
let restartReport = null
if (restart) {
  const { rows: again } = await reader.query(
    `SELECT i.connector_id AS vendor,
            extract(epoch FROM min(r.started_at) - $2::timestamptz)::float8 AS after_s,
            (extract(epoch FROM min(r.finished_at) - min(r.started_at)) * 1000)::float8 AS took
       FROM unnest($1::text[]) AS c(id) JOIN integrations i ON i.id = c.id
       LEFT JOIN sync_runs r ON r.integration_id = c.id AND r.trigger = 'schedule' AND r.started_at > $2
      GROUP BY c.id, i.connector_id`,
    [restart.cut, restart.at],
  )
  const after = again
    .map((r) => r.after_s)
    .filter((s) => s !== null)
    .sort((a, b) => a - b)
  const took = again
    .map((r) => r.took)
    .filter((t) => t !== null)
    .sort((a, b) => a - b)
  const at = (list, q) =>
    list.length === 0 ? null : list[Math.min(list.length - 1, Math.floor(q * list.length))]
  restartReport = {
    atCycleFraction: RESTART_AT,
    cut: restart.cut.length,
    cutByVendor: Object.fromEntries(
      Object.keys(FAMILIES).map((f) => [f, again.filter((r) => r.vendor === `bench-${f}`).length]),
    ),
    neverStartedAgain: again.length - after.length,
    // real seconds from the kill to the cut sync's new start (the 3 minutes of staleness are not compressed)
    startedAgainAfterSP50: after.length ? round(at(after, 0.5), 0) : null,
    startedAgainAfterSMax: after.length ? round(after.at(-1), 0) : null,
    // the pull done again, in uncompressed minutes: the restart's cost in vendor time
    againMinP50: took.length ? round((at(took, 0.5) * COMPRESSION) / 60000, 1) : null,
    againMinTotal: round((took.reduce((a, b) => a + b, 0) * COMPRESSION) / 60000, 0),
  }
}
await reader.end()
// the simulator's own delay: a loaded simulator makes every vendor slow
const simulator = await (await fetch(`${simUrl}/stats`)).json()
await sim.stop()
const admin = new pg.Client({ connectionString: DATABASE_URL })
await admin.connect()
await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
await admin.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`)
await admin.end()

// compressed ms → uncompressed minutes
const minutes = (ms) => (ms === null ? null : round((ms * COMPRESSION) / 60000, 1))
const vendors = {}
for (const v of perVendor) {
  const name = v.vendor ? v.vendor.replace('bench-', '') : 'all'
  const sizes = population.filter((c) => name === 'all' || c.family === name).map((c) => c.people)
  vendors[name] = {
    companies: v.companies,
    people: sizes.reduce((a, b) => a + b, 0),
    largest: Math.max(...sizes),
    missed: v.missed,
    failed: v.failed,
    // started in their cycle and still pulling when the benchmark ended (their duration is not counted)
    stillRunning: v.running,
    syncMinP50: minutes(v.took50),
    syncMinP95: minutes(v.took95),
    lateMinP50: minutes(v.late50),
    lateMinP95: minutes(v.late95),
  }
}
console.log(
  JSON.stringify({
    companies: COMPANIES,
    replicas: 2,
    syncConcurrency: CONCURRENCY,
    cycleS: CYCLE_S,
    compression: round(COMPRESSION, 1),
    // the first syncs before the measured cycle, from vendors answering at once
    seed: { seconds: seedS, failed: seedFailed },
    ...(restartReport ? { restart: restartReport } : {}),
    failures,
    simulator,
    vendors,
    replicaUsage: usage,
  }),
)
process.exit(0)

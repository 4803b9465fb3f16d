// argv: <pglite|postgres> <file to write the token and user ids to>. The runner itself serving
// /scim/v2 for a company connected to Okta, on PostgreSQL (or PGlite), with 1,000 users pushed
// as Okta pushes them; SCIM changes trigger the runner's coalesced syncs as in production.
// BENCH_SCIM_COALESCE_MS sets the coalescing delay (a large one measures the SCIM writes without syncs).
import { writeFileSync } from 'node:fs'
import { startRunner } from '../apps/runner/dist/index.js'
import okta from '../apps/runner/node_modules/@hrsync/connector-okta/dist/index.js'
import pg from '../apps/runner/node_modules/pg/lib/index.js'
import { benchSchema, benchStore, DATABASE_URL, scimUserBody } from './lib.mjs'

const [engine = 'postgres', outFile] = process.argv.slice(2)
const schema = benchSchema()
const runner = await startRunner({
  ...benchStore(engine, schema),
  host: '127.0.0.1',
  port: 0,
  scheduler: false,
  discoverPlugins: false,
  connectors: [okta],
  logger: false,
  env: process.env.BENCH_SCIM_COALESCE_MS
    ? { HRSYNC_SCIM_COALESCE_MS: process.env.BENCH_SCIM_COALESCE_MS }
    : {},
})
const admin = async (method, path, body) => {
  const response = await fetch(`${runner.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${runner.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`)
  return answer
}
const company = await admin('POST', '/api/companies', { name: 'Bench', plan: 'advanced', timeZone: 'UTC' })
const connected = await admin('POST', `/api/companies/${company.id}/integrations`, {
  connector: 'okta',
  config: {},
})
const { baseUrl, token } = connected.scim
const ids = []
for (let i = 0; i < 1000; i++) {
  const response = await fetch(`${baseUrl}/Users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    body: scimUserBody(i),
  })
  if (response.status !== 201) throw new Error(`seeding failed: ${await response.text()}`)
  ids.push((await response.json()).id)
}
if (!process.env.BENCH_SCIM_COALESCE_MS) await runner.services.pushSyncs.idle()
writeFileSync(outFile, JSON.stringify({ token, ids }))
console.log(`listening ${new URL(runner.url).port}`)
process.on('SIGTERM', async () => {
  await runner.close()
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
  process.exit(0)
})

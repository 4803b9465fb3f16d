// A runner serving its admin API in a process of its own, as `hrsync serve` runs it, with a small
// HR connector built in. Uses the built runner (turbo builds it first). Prints one JSON line
// {url, pid} once it listens; closes on SIGTERM. Env: SERVE_DATA_DIR (embedded), or
// SERVE_DATABASE_URL, SERVE_SCHEMA and SERVE_SECRET_KEY (PostgreSQL, pg-boss); SERVE_PEOPLE,
// SERVE_INTERVAL_MS and SERVE_TICK_MS (the scheduler runs when SERVE_INTERVAL_MS is set),
// SERVE_WEBHOOK_URL.
import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { startRunner } from '../../dist/index.js'

const env = process.env
const people = Number(env.SERVE_PEOPLE ?? 20)
const connector = defineConnector({
  id: 'serve-hr',
  name: 'Serve HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ token: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['example.test'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false },
  },
  checkConnection: async () => {},
  async *listEmployees() {
    yield Array.from({ length: people }, (_, i) =>
      employee({
        remoteId: `p${i}`,
        status: 'active',
        email: `p${i}@acme.test`,
        firstName: `First${i}`,
        lastName: 'Test',
        managerRemoteId: i === 0 ? null : 'p0',
      }),
    )
  },
})

const scheduled = env.SERVE_INTERVAL_MS !== undefined
const runner = await startRunner({
  ...(env.SERVE_DATABASE_URL
    ? {
        databaseUrl: env.SERVE_DATABASE_URL,
        databaseSchema: env.SERVE_SCHEMA,
        secretKey: env.SERVE_SECRET_KEY,
        adminToken: 'serve-admin-token-0123456789abcdef0123',
        queue: 'pg-boss',
      }
    : { dataDir: env.SERVE_DATA_DIR }),
  port: 0,
  scheduler: scheduled,
  ...(scheduled
    ? { syncIntervalMs: Number(env.SERVE_INTERVAL_MS), schedulerTickMs: Number(env.SERVE_TICK_MS), jitter: 0 }
    : {}),
  ...(env.SERVE_WEBHOOK_URL
    ? { webhook: { url: env.SERVE_WEBHOOK_URL, secret: 'serve-webhook-secret', pollMs: 200 } }
    : {}),
  discoverPlugins: false,
  connectors: [connector],
  logger: env.SERVE_LOG_LEVEL ?? false,
  env: {},
})
console.log(JSON.stringify({ url: runner.url, pid: process.pid }))
process.once('SIGTERM', async () => {
  await runner.close()
  process.exit(0)
})

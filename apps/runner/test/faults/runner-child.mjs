// A runner in a process of its own, for the kill test. Uses the built runner (turbo builds it first).
// argv: <setup|sync|count> ; env: FAULT_ENGINE (pglite|postgres), FAULT_DATA_DIR or FAULT_SCHEMA,
// FAULT_PEOPLE, FAULT_INTEGRATION, FAULT_HOLD_APPLY. Prints one JSON line; "pulled" on its own line
// once the pull is done. With FAULT_HOLD_APPLY=1 a sync stops inside its transaction once the new
// users are written (not committed), prints "applying" and waits there to be killed.
import { randomBytes } from 'node:crypto'
import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { startRunner } from '../../dist/index.js'

const phase = process.argv[2]
const people = Number(process.env.FAULT_PEOPLE ?? 2000)
const connector = defineConnector({
  id: 'fault-hr',
  name: 'Fault HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ token: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['example.test'],
  capabilities: {
    listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false },
  },
  checkConnection: async () => {},
  async *listEmployees() {
    for (let i = 0; i < people; i += 500) {
      yield Array.from({ length: Math.min(500, people - i) }, (_, k) =>
        employee({
          remoteId: `p${i + k}`,
          status: 'active',
          email: `p${i + k}@acme.test`,
          firstName: `First${i + k}`,
          lastName: 'Test',
          managerRemoteId: i + k === 0 ? null : 'p0',
        }),
      )
    }
    process.stdout.write('pulled\n')
  },
})

const engine = process.env.FAULT_ENGINE ?? 'pglite'
const runner = await startRunner({
  ...(engine === 'postgres'
    ? {
        databaseUrl: process.env.FAULT_DATABASE_URL,
        databaseSchema: process.env.FAULT_SCHEMA,
        secretKey: process.env.FAULT_SECRET_KEY ?? randomBytes(32).toString('base64'),
        adminToken: 'fault-admin-token-0123456789abcdef0123',
      }
    : { dataDir: process.env.FAULT_DATA_DIR }),
  listen: false,
  scheduler: false,
  discoverPlugins: false,
  connectors: [connector],
  logger: false,
  env: {},
})
const { db } = runner.services
if (process.env.FAULT_HOLD_APPLY === '1') {
  const transaction = db.transaction.bind(db)
  db.transaction = (fn) =>
    transaction((tx) =>
      fn({
        ...tx,
        query: async (sql, params) => {
          const rows = await tx.query(sql, params)
          if (/^\s*INSERT INTO users\b/i.test(sql)) {
            process.stdout.write('applying\n')
            await new Promise(() => {})
          }
          return rows
        },
      }),
    )
}
if (phase === 'setup') {
  const call = async (url, payload) => {
    const response = await runner.services.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${runner.adminToken}` },
      payload,
    })
    if (response.statusCode >= 400) throw new Error(response.body)
    return response.json()
  }
  const company = await call('/api/companies', { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
  const connected = await call(`/api/companies/${company.id}/integrations`, {
    connector: 'fault-hr',
    autoApply: true,
    config: { token: 'fault-token' },
  })
  console.log(JSON.stringify({ companyId: company.id, integrationId: connected.integration.id }))
} else if (phase === 'sync') {
  const { run } = await runner.services.sync.sync(process.env.FAULT_INTEGRATION, { trigger: 'manual' })
  console.log(JSON.stringify({ status: run.status, changes: run.changes.length, failure: run.failure }))
} else {
  const [users] = await db.query('SELECT count(*)::int AS n FROM users')
  const [teams] = await db.query('SELECT count(*)::int AS n FROM teams')
  const [members] = await db.query('SELECT count(*)::int AS n FROM team_members')
  const [runs] = await db.query('SELECT count(*)::int AS n FROM sync_runs')
  const [events] = await db.query('SELECT count(*)::int AS n FROM events')
  console.log(
    JSON.stringify({ users: users.n, teams: teams.n, members: members.n, runs: runs.n, events: events.n }),
  )
}
await runner.close()

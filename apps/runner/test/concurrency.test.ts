import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'
import { createCompany, createIntegration, listRuns } from '../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'
import { API_TOKEN } from './support/runner.js'

const postgres = await postgresReachable()

// A sync waiting on its vendor must hold no database connection: a replica keeps many more syncs in
// flight than its pool has connections (10), and none waits on another for a connection.
describe.skipIf(!postgres)('issue 24: many syncs in flight on PostgreSQL', () => {
  const schema = freshSchema()
  const SYNCS = 40
  let runner: Runner
  const hr = new MemoryHr()

  beforeAll(async () => {
    hr.hire({ remoteId: 'ann' }, { remoteId: 'bob' })
    hr.pageDelayMs = 1500
    runner = await startRunner({
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
      secretKey: 'x'.repeat(43) + '=',
      adminToken: 'test-admin-token-0123456789abcdef0123456',
      listen: false,
      discoverPlugins: false,
      connectors: [hr.connector],
      logger: false,
      env: {},
      queue: 'local',
      scheduler: false,
    })
  })

  afterAll(async () => {
    await runner?.close()
    await dropSchema(schema)
  })

  it(`${SYNCS} syncs at once, each waiting on a slow vendor, all finish`, { timeout: 60_000 }, async () => {
    const { db, box, sync } = runner.services
    const ids: string[] = []
    for (let i = 0; i < SYNCS; i++) {
      const company = await createCompany(db, { name: `C${i}`, plan: 'advanced', timeZone: 'UTC' })
      const integration = await createIntegration(db, box, {
        companyId: company.id,
        connectorId: 'memory',
        mode: 'pull',
        config: { tenant: `c${i}`, apiToken: API_TOKEN },
        nextSyncAt: null,
      })
      ids.push(integration.id)
    }
    const started = Date.now()
    const outcomes = await Promise.race([
      Promise.all(ids.map((id) => sync.sync(id, { trigger: 'manual' }))),
      sleep(30_000).then(() => null),
    ])
    expect(outcomes, 'the syncs were still waiting after 30 s').not.toBeNull()
    expect(outcomes!.map((outcome) => outcome.run.status)).toEqual(ids.map(() => 'succeeded'))
    // they ran side by side: together they took about one pull, not forty
    expect(Date.now() - started).toBeLessThan(SYNCS * hr.pageDelayMs)
    for (const id of ids) expect(await listRuns(db, id)).toHaveLength(1)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRunner } from '../src/runner.js'
import { createCompany, createIntegration, listRuns } from '../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'
import { API_TOKEN } from './support/runner.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('scheduler', () => {
  it('syncs every due pull integration once per interval (embedded, in-process)', async () => {
    const hr = new MemoryHr()
    hr.hire({ remoteId: 'ann' })
    const runner = await startRunner({
      inMemory: true,
      listen: false,
      discoverPlugins: false,
      connectors: [hr.connector],
      logger: false,
      env: {},
      syncIntervalMs: 400,
      schedulerTickMs: 50,
      jitter: 0,
    })
    try {
      const { db, box } = runner.services
      const company = await createCompany(db, { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
      const integration = await createIntegration(db, box, {
        companyId: company.id,
        connectorId: 'memory',
        mode: 'pull',
        config: { tenant: 'acme', apiToken: API_TOKEN },
        nextSyncAt: new Date(),
      })
      const started = Date.now()
      await sleep(1500)
      const elapsed = Date.now() - started
      const runs = (await listRuns(db, integration.id)).sort((a, b) => a.startedAt.localeCompare(b.startedAt))
      expect(runs.length).toBeGreaterThanOrEqual(2)
      expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1)
      for (let i = 1; i < runs.length; i++) {
        expect(Date.parse(runs[i]!.startedAt) - Date.parse(runs[i - 1]!.startedAt)).toBeGreaterThanOrEqual(
          350,
        )
      }
      expect(runs.every((run) => run.trigger === 'schedule' && run.status === 'succeeded')).toBe(true)
    } finally {
      await runner.close()
    }
  })

  describe('two runners on one PostgreSQL database, sharing work through pg-boss', () => {
    let schema: string | null = null
    beforeAll(async () => {
      if (await postgresReachable()) schema = freshSchema()
    })
    afterAll(async () => {
      if (schema) {
        await dropSchema(schema)
        await dropSchema(`${schema}_boss`)
      }
    })

    it('syncs each integration exactly once per cycle', async (ctx) => {
      if (!schema) return ctx.skip()
      const intervalMs = 1500
      const shared = new MemoryHr()
      shared.hire({ remoteId: 'ann' }, { remoteId: 'bob' })
      const start = () =>
        startRunner({
          databaseUrl: POSTGRES_URL,
          databaseSchema: schema!,
          secretKey: 'x'.repeat(43) + '=',
          adminToken: 'test-admin-token',
          listen: false,
          discoverPlugins: false,
          connectors: [shared.connector],
          logger: false,
          env: {},
          syncIntervalMs: intervalMs,
          schedulerTickMs: 100,
          jitter: 0,
          queue: 'pg-boss',
        })
      const first = await start()
      const second = await start()
      try {
        const { db, box } = first.services
        const ids: string[] = []
        for (const name of ['A', 'B', 'C']) {
          const company = await createCompany(db, { name, plan: 'beyond', timeZone: 'UTC' })
          const integration = await createIntegration(db, box, {
            companyId: company.id,
            connectorId: 'memory',
            mode: 'pull',
            config: { tenant: name, apiToken: API_TOKEN },
            nextSyncAt: new Date(),
          })
          ids.push(integration.id)
        }
        const started = Date.now()
        await sleep(intervalMs * 3 + 500)
        const elapsed = Date.now() - started
        for (const id of ids) {
          const runs = (await listRuns(db, id)).sort((a, b) => a.startedAt.localeCompare(b.startedAt))
          // one run per started cycle, never two in one cycle
          expect(runs.length).toBeGreaterThanOrEqual(2)
          expect(runs.length).toBeLessThanOrEqual(Math.ceil(elapsed / intervalMs))
          for (let i = 1; i < runs.length; i++) {
            const gap = Date.parse(runs[i]!.startedAt) - Date.parse(runs[i - 1]!.startedAt)
            expect(gap).toBeGreaterThanOrEqual(intervalMs - 50)
          }
          expect(runs.every((run) => run.status === 'succeeded')).toBe(true)
        }
      } finally {
        await Promise.all([first.close(), second.close()])
      }
    })
  })
})

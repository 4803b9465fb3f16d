import type { PgBoss } from 'pg-boss'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'
import { createCompany, createIntegration, getIntegration, listRuns } from '../src/store/index.js'
import { type ScheduledSync, Scheduler, SYNC_QUEUE } from '../src/sync/scheduler.js'
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
          adminToken: 'test-admin-token-0123456789abcdef0123456',
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

    /**
     * A runner on its own schema with 4 slots, a slow HR system (each page after `slowPageMs`) and a
     * quick one; `connect` adds a company on one of them, due at `dueAt`.
     */
    async function slowAndQuick(name: string, slowPageMs: number) {
      const slow = new MemoryHr('slow-hr')
      const quick = new MemoryHr('quick-hr')
      slow.hire({ remoteId: 'ann' })
      quick.hire({ remoteId: 'bob' })
      slow.pageDelayMs = slowPageMs
      const databaseSchema = `${schema}_${name}`
      const runner = await startRunner({
        databaseUrl: POSTGRES_URL,
        databaseSchema,
        secretKey: 'x'.repeat(43) + '=',
        adminToken: 'test-admin-token-0123456789abcdef0123456',
        listen: false,
        discoverPlugins: false,
        connectors: [slow.connector, quick.connector],
        logger: false,
        env: {},
        syncIntervalMs: 60_000,
        schedulerTickMs: 100,
        syncConcurrency: 4,
        jitter: 0,
        queue: 'pg-boss',
      })
      const { db, box } = runner.services
      const connect = async (connectorId: string, company: string, dueAt = new Date(Date.now() - 1000)) => {
        const { id: companyId } = await createCompany(db, { name: company, plan: 'beyond', timeZone: 'UTC' })
        const integration = await createIntegration(db, box, {
          companyId,
          connectorId,
          mode: 'pull',
          config: { tenant: company, apiToken: API_TOKEN },
          nextSyncAt: dueAt,
        })
        return integration.id
      }
      const finished = async (ids: string[]) => {
        const runs = await Promise.all(ids.map((id) => listRuns(db, id)))
        return runs.filter((list) => list.some((run) => run.status === 'succeeded')).length
      }
      const close = async () => {
        await runner.close()
        await dropSchema(databaseSchema)
        await dropSchema(`${databaseSchema}_boss`)
      }
      return { runner, connect, finished, close }
    }

    it('issue 24: while others wait, a slow HR system takes at most half the slots; the others’ syncs start meanwhile', async (ctx) => {
      if (!schema) return ctx.skip()
      const { connect, finished, close } = await slowAndQuick('fair', 3000)
      try {
        // six companies on the slow vendor fall due first, then two on the quick one
        const early = new Date(Date.now() - 10_000)
        const slowIds = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => connect('slow-hr', `S${i}`, early)))
        const quickIds = await Promise.all([1, 2].map((i) => connect('quick-hr', `Q${i}`, new Date())))
        // the quick vendor's syncs finish while the first slow ones still wait on their vendor
        for (let i = 0; i < 40 && (await finished(quickIds)) < quickIds.length; i++) await sleep(100)
        expect(await finished(quickIds)).toBe(quickIds.length)
        expect(await finished(slowIds)).toBe(0)
      } finally {
        await close()
      }
    })

    it('a slow HR system alone may use idle slots beyond its half, all but a quarter kept for the others', async (ctx) => {
      if (!schema) return ctx.skip()
      const { runner, connect, finished, close } = await slowAndQuick('idle', 4000)
      try {
        const scheduler = runner.services.scheduler!
        const slowIds = []
        for (const i of [1, 2, 3, 4, 5, 6]) slowIds.push(await connect('slow-hr', `S${i}`))
        // its half (2 of 4 slots), then one idle slot more; the fourth is kept
        for (let i = 0; i < 30 && scheduler.running < 3; i++) await sleep(100)
        await sleep(500)
        expect(scheduler.running).toBe(3)
        // a company on another HR system falling due now starts in the slot kept
        const quickId = await connect('quick-hr', 'Q1')
        for (let i = 0; i < 25 && (await finished([quickId])) === 0; i++) await sleep(100)
        expect(await finished([quickId])).toBe(1)
        expect(await finished(slowIds)).toBe(0)
      } finally {
        await close()
      }
    })

    it('a job whose worker lost its connection does not hold the integration back', async (ctx) => {
      if (!schema) return ctx.skip()
      // the fetch that marked the job active, or the completion of its sync, never reached the worker:
      // pg-boss keeps such a job active until it expires (15 minutes); the next cycles must not wait for it
      const intervalMs = 1000
      const hr = new MemoryHr()
      hr.hire({ remoteId: 'ann' })
      const lost = `${schema}_lost`
      const runner = await startRunner({
        databaseUrl: POSTGRES_URL,
        databaseSchema: lost,
        secretKey: 'x'.repeat(43) + '=',
        adminToken: 'test-admin-token-0123456789abcdef0123456',
        listen: false,
        discoverPlugins: false,
        connectors: [hr.connector],
        logger: false,
        env: {},
        syncIntervalMs: intervalMs,
        schedulerTickMs: 100,
        jitter: 0,
        queue: 'pg-boss',
      })
      try {
        const { db, box, boss } = runner.services
        const company = await createCompany(db, { name: 'Lost', plan: 'beyond', timeZone: 'UTC' })
        const integration = await createIntegration(db, box, {
          companyId: company.id,
          connectorId: 'memory',
          mode: 'pull',
          config: { tenant: 'lost', apiToken: API_TOKEN },
          nextSyncAt: new Date(Date.now() + 60_000),
        })
        // a job of an earlier cycle, taken by a worker that is gone
        const stale = { integrationId: integration.id, claim: new Date(Date.now() - 1000).toISOString() }
        await boss!.send(SYNC_QUEUE, stale)
        const [taken] = await boss!.fetch<ScheduledSync>(SYNC_QUEUE)
        expect(taken?.data).toEqual(stale)
        await db.query('UPDATE integrations SET next_sync_at = $2 WHERE id = $1', [
          integration.id,
          new Date(),
        ])
        let runs = await listRuns(db, integration.id)
        for (let i = 0; i < 60 && runs.length < 2; i++) {
          await sleep(100)
          runs = await listRuns(db, integration.id)
        }
        expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded'])
      } finally {
        await runner.close()
        await dropSchema(lost)
        await dropSchema(`${lost}_boss`)
      }
    })
  })
})

describe('issue 18 item 2: a scheduler losing its database neither crashes nor skips a cycle', () => {
  const INTERVAL = 60_000
  let runner: Runner
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)

  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled)
  })
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
  })
  afterEach(async () => {
    await runner.close()
    expect(unhandled).toEqual([])
  })

  /** A runner without its own scheduler, and one due integration of the memory connector. */
  async function dueIntegration(): Promise<string> {
    const hr = new MemoryHr()
    hr.hire({ remoteId: 'ann' })
    runner = await startRunner({
      inMemory: true,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [hr.connector],
      logger: false,
      env: {},
    })
    const { db, box } = runner.services
    const company = await createCompany(db, { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
    const integration = await createIntegration(db, box, {
      companyId: company.id,
      connectorId: 'memory',
      mode: 'pull',
      config: { tenant: 'acme', apiToken: API_TOKEN },
      nextSyncAt: new Date(Date.now() - 1000),
    })
    return integration.id
  }

  it('a job that cannot be sent leaves the integration due, and the next tick claims it again', async () => {
    const integrationId = await dueIntegration()
    const sent: ScheduledSync[] = []
    let calls = 0
    const boss = {
      createQueue: async () => {},
      work: async () => 'worker',
      offWork: async () => {},
      insert: async (_queue: string, jobs: Array<{ data: ScheduledSync }>) => {
        if (calls++ === 0) throw new Error('Connection terminated unexpectedly')
        sent.push(...jobs.map((job) => job.data))
        return null
      },
    } as unknown as PgBoss
    const scheduler = new Scheduler(runner.services, {
      intervalMs: INTERVAL,
      tickMs: 10,
      concurrency: 1,
      boss,
    })
    // the first tick, in start(), fails to send: it resolves, and the claim is rolled back
    await expect(scheduler.start()).resolves.toBeUndefined()
    expect(calls).toBe(1)
    expect(sent).toEqual([])
    for (let i = 0; i < 200 && sent.length === 0; i++) await sleep(10)
    await scheduler.stop()
    expect(sent).toEqual([{ integrationId, claim: expect.any(String) }])
    const claimed = await getIntegration(runner.services.db, integrationId)
    expect(claimed!.nextSyncAt).toBe(sent[0]!.claim)
  })

  it('a claimed sync that fails on the way gives its claim back and runs on a later tick', async () => {
    const integrationId = await dueIntegration()
    const { sync } = runner.services
    const real = sync.sync.bind(sync)
    let calls = 0
    sync.sync = async (id, options) => {
      if (calls++ === 0) throw new Error('terminating connection due to administrator command')
      return real(id, options)
    }
    const scheduler = new Scheduler(runner.services, { intervalMs: INTERVAL, tickMs: 10, concurrency: 1 })
    await scheduler.start()
    for (let i = 0; i < 200 && (await listRuns(runner.services.db, integrationId)).length === 0; i++) {
      await sleep(10)
    }
    await scheduler.stop()
    const runs = await listRuns(runner.services.db, integrationId)
    expect(runs).toEqual([expect.objectContaining({ trigger: 'schedule', status: 'succeeded' })])
    expect(calls).toBe(2)
  })

  it('a sync cut off with its replica (progress unwritten for 3 minutes) runs again at once, not a cycle later', async () => {
    const integrationId = await dueIntegration()
    const { db } = runner.services
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
    // claimed for this cycle by a replica that then stopped mid-pull: its progress row is all that is left
    await db.query('UPDATE integrations SET next_sync_at = $2 WHERE id = $1', [
      integrationId,
      new Date(Date.now() + INTERVAL),
    ])
    await db.query(
      `INSERT INTO sync_progress (integration_id, pages, people, total_people, started_at, updated_at)
       VALUES ($1, 3, 300, 1000, $2, $3)`,
      [integrationId, minutesAgo(10), minutesAgo(4)],
    )
    // a sync still writing its progress (another replica, alive) is left to finish
    const other = await createCompany(db, { name: 'Globex', plan: 'advanced', timeZone: 'UTC' })
    const { id: alive } = await createIntegration(db, runner.services.box, {
      companyId: other.id,
      connectorId: 'memory',
      mode: 'pull',
      config: { tenant: 'globex', apiToken: API_TOKEN },
      nextSyncAt: new Date(Date.now() + INTERVAL),
    })
    await db.query(
      `INSERT INTO sync_progress (integration_id, pages, people, total_people, started_at, updated_at)
       VALUES ($1, 1, 100, null, $2, $3)`,
      [alive, minutesAgo(2), minutesAgo(1)],
    )

    const scheduler = new Scheduler(runner.services, { intervalMs: INTERVAL, tickMs: 10, concurrency: 2 })
    await scheduler.start()
    for (let i = 0; i < 200 && (await listRuns(db, integrationId)).length === 0; i++) await sleep(10)
    await scheduler.stop()
    expect(await listRuns(db, integrationId)).toEqual([
      expect.objectContaining({ trigger: 'schedule', status: 'succeeded' }),
    ])
    expect(await listRuns(db, alive)).toEqual([])
    const rows = await db.query<{ integration_id: string }>('SELECT integration_id FROM sync_progress')
    expect(rows.map((row) => row.integration_id)).toEqual([alive])
  })

  it('a job left over from a cycle that has since synced does not sync again', async () => {
    const integrationId = await dueIntegration()
    const { db, sync } = runner.services
    const claim = new Date(Date.now() + INTERVAL)
    await db.query('UPDATE integrations SET next_sync_at = $2 WHERE id = $1', [integrationId, claim])
    await sync.sync(integrationId, { trigger: 'schedule', claim })
    await expect(sync.sync(integrationId, { trigger: 'schedule', claim })).rejects.toMatchObject({
      code: 'claim_stale',
    })
    expect(await listRuns(db, integrationId)).toHaveLength(1)
  })
})

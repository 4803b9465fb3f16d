import type { PgBoss } from 'pg-boss'
import type { RunnerContext } from '../context.js'
import { RunnerError } from '../errors.js'
import { claimDueIntegrations } from '../store/index.js'

export const SYNC_QUEUE = 'hrsync-sync'

export interface SchedulerOptions {
  intervalMs: number
  /** how often due integrations are looked for */
  tickMs: number
  /** scheduled syncs this runner runs at once (pg-boss workers, or in-process syncs) */
  concurrency: number
  /** on PostgreSQL with several replicas: due syncs become pg-boss jobs any replica may take */
  boss?: PgBoss | null
}

/**
 * Every connected pull integration is synced once per interval. Each tick claims the due ones in
 * one UPDATE, pushing their next sync a whole interval ahead, so replicas sharing a database never
 * claim one cycle twice; a sync that finishes sets the jittered time of the next.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private readonly running = new Set<Promise<unknown>>()
  private stopped = false

  constructor(
    private readonly ctx: RunnerContext,
    private readonly options: SchedulerOptions,
  ) {}

  async start(): Promise<void> {
    const { boss } = this.options
    if (boss) {
      await boss.createQueue(SYNC_QUEUE, { policy: 'singleton' } as never).catch(() => {})
      // one worker per concurrent sync, taking two jobs at a time and running them one after the
      // other; while its takes come back full there is a backlog, and it takes the next at once
      // instead of waiting for the next poll
      await boss.work<{ integrationId: string }>(
        SYNC_QUEUE,
        {
          pollingIntervalSeconds: Math.max(0.5, Math.min(2, this.options.tickMs / 1000)),
          localConcurrency: this.options.concurrency,
          batchSize: 2,
          burstWhenBatchFull: true,
        },
        async (jobs) => {
          for (const job of jobs) await this.runScheduled(job.data.integrationId)
        },
      )
    }
    this.timer = setInterval(() => void this.tick(), this.options.tickMs)
    this.timer.unref()
    await this.tick()
  }

  /** Claims the due integrations and starts (or enqueues) their syncs. */
  tick(): Promise<void> {
    if (this.stopped || this.ticking) return this.ticking ?? Promise.resolve()
    this.ticking = this.claim().finally(() => {
      this.ticking = null
    })
    return this.ticking
  }

  private async claim(): Promise<void> {
    const free = this.options.boss ? 50 : this.options.concurrency - this.running.size
    if (free <= 0) return
    const now = this.ctx.now()
    let ids: string[]
    try {
      ids = await claimDueIntegrations(
        this.ctx.db,
        now,
        new Date(now.getTime() + this.options.intervalMs),
        free,
      )
    } catch (error) {
      this.ctx.logger.error('could not look for due syncs', { error: (error as Error).message })
      return
    }
    const { boss } = this.options
    if (boss) {
      await Promise.all(
        ids.map((integrationId) => boss.send(SYNC_QUEUE, { integrationId }, { singletonKey: integrationId })),
      )
      return
    }
    for (const integrationId of ids) {
      const run = this.runScheduled(integrationId).finally(() => this.running.delete(run))
      this.running.add(run)
    }
  }

  private async runScheduled(integrationId: string): Promise<void> {
    try {
      const { run } = await this.ctx.sync.sync(integrationId, { trigger: 'schedule' })
      this.ctx.logger.info('scheduled sync finished', { integrationId, runId: run.id, status: run.status })
    } catch (error) {
      // busy: another sync of it is running here or on another replica; it will come round again
      if (error instanceof RunnerError && error.code === 'sync_in_progress') return
      this.ctx.logger.error('scheduled sync could not run', {
        integrationId,
        error: (error as Error).message,
      })
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.ticking
    if (this.options.boss) await this.options.boss.offWork(SYNC_QUEUE, { wait: true }).catch(() => {})
    await Promise.allSettled([...this.running])
  }
}

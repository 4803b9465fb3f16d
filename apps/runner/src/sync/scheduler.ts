import type { PgBoss } from 'pg-boss'
import type { RunnerContext } from '../context.js'
import { RunnerError } from '../errors.js'
import { claimDueIntegrations, type Queryable, releaseClaim } from '../store/index.js'

/**
 * The queue of scheduled syncs, with pg-boss's standard policy. A sync runs alone because of its claim
 * and the integration's lock, not because of the queue: a job whose worker lost its connection stays
 * active in pg-boss until it expires, and under a singleton policy it would hold every later sync of
 * its integration back until then. (Runners before this queue used `hrsync-sync`, a singleton queue;
 * a job left in it is never taken, and its integration is claimed again once that claim has passed.)
 */
export const SYNC_QUEUE = 'hrsync-scheduled-syncs'

/** A scheduled sync as a pg-boss job: the integration, and the next_sync_at its claim set. */
export interface ScheduledSync {
  integrationId: string
  claim: string
}

/** The longest pause after failures, whatever the tick. */
const MAX_BACKOFF_MS = 30_000

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
 *
 * Nothing here may end the process: a tick that fails is logged and the next ones pause, doubling
 * up to a quarter of the interval; a claim is sent to pg-boss in the transaction that takes it, and
 * a claimed sync that could not run gives its claim back, so its cycle is claimed again.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private readonly running = new Set<Promise<unknown>>()
  private stopped = false
  /** consecutive failed ticks, and when the next may run */
  private failures = 0
  private pausedUntil = 0
  /** failed attempts per integration since its last sync, for the retry delay */
  private readonly attempts = new Map<string, number>()
  /** claims to give back that the database did not take yet */
  private readonly unreleased = new Map<string, { claim: Date; retryAt: Date }>()

  constructor(
    private readonly ctx: RunnerContext,
    private readonly options: SchedulerOptions,
  ) {}

  async start(): Promise<void> {
    const { boss } = this.options
    if (boss) {
      await boss.createQueue(SYNC_QUEUE)
      // one worker per concurrent sync, taking two jobs at a time and running them one after the
      // other; while its takes come back full there is a backlog, and it takes the next at once
      // instead of waiting for the next poll
      await boss.work<ScheduledSync>(
        SYNC_QUEUE,
        {
          pollingIntervalSeconds: Math.max(0.5, Math.min(2, this.options.tickMs / 1000)),
          localConcurrency: this.options.concurrency,
          batchSize: 2,
          burstWhenBatchFull: true,
        },
        async (jobs) => {
          for (const { data } of jobs) {
            // a job queued by an older runner names no claim
            await this.runScheduled(data.integrationId, data.claim ? new Date(data.claim) : undefined)
          }
        },
      )
    }
    this.timer = setInterval(() => void this.tick(), this.options.tickMs)
    this.timer.unref()
    await this.tick()
  }

  /** Claims the due integrations and starts (or enqueues) their syncs; never rejects. */
  tick(): Promise<void> {
    if (this.stopped || this.ticking) return this.ticking ?? Promise.resolve()
    if (Date.now() < this.pausedUntil) return Promise.resolve()
    this.ticking = this.claim()
      .then(
        () => {
          this.failures = 0
        },
        (error) => this.pause(error),
      )
      .finally(() => {
        this.ticking = null
      })
    return this.ticking
  }

  private pause(error: unknown): void {
    this.failures++
    const { tickMs, intervalMs } = this.options
    const longest = Math.max(tickMs, Math.min(MAX_BACKOFF_MS, intervalMs / 4))
    const delay = Math.min(tickMs * 2 ** (this.failures - 1), longest)
    this.pausedUntil = Date.now() + delay
    this.ctx.logger.error('could not look for due syncs; trying again later', {
      error: message(error),
      retryInMs: delay,
    })
  }

  private async claim(): Promise<void> {
    await this.releaseClaims()
    const free = this.options.boss ? 50 : this.options.concurrency - this.running.size
    if (free <= 0) return
    const now = this.ctx.now()
    const claim = new Date(now.getTime() + this.options.intervalMs)
    const { boss } = this.options
    if (boss) {
      // the claim and its jobs commit together: jobs that cannot be created leave the integrations due
      await this.ctx.db.transaction(async (tx) => {
        const ids = await claimDueIntegrations(tx, now, claim, free)
        if (ids.length === 0) return
        const jobs = ids.map((integrationId) => ({
          data: { integrationId, claim: claim.toISOString() } satisfies ScheduledSync,
        }))
        await boss.insert(SYNC_QUEUE, jobs, { db: jobDatabase(tx) })
      })
      return
    }
    for (const integrationId of await claimDueIntegrations(this.ctx.db, now, claim, free)) {
      const run = this.runScheduled(integrationId, claim).finally(() => this.running.delete(run))
      this.running.add(run)
    }
  }

  private async runScheduled(integrationId: string, claim: Date | undefined): Promise<void> {
    try {
      const { run } = await this.ctx.sync.sync(integrationId, {
        trigger: 'schedule',
        ...(claim ? { claim } : {}),
      })
      this.attempts.delete(integrationId)
      this.ctx.logger.info('scheduled sync finished', { integrationId, runId: run.id, status: run.status })
    } catch (error) {
      if (error instanceof RunnerError) {
        // busy: another sync of it is running here or on another replica; stale: its cycle is done
        if (error.code === 'sync_in_progress' || error.code === 'claim_stale') return
        this.ctx.logger.error('scheduled sync could not run', { integrationId, error: error.message })
        return
      }
      if (claim) await this.retryLater(integrationId, claim, error)
      else this.ctx.logger.error('scheduled sync could not run', { integrationId, error: message(error) })
    }
  }

  /** A sync that failed on the way (not a failed pull, which is a recorded run) is claimed again soon. */
  private async retryLater(integrationId: string, claim: Date, error: unknown): Promise<void> {
    const attempt = (this.attempts.get(integrationId) ?? 0) + 1
    this.attempts.set(integrationId, attempt)
    const { tickMs, intervalMs } = this.options
    const delay = Math.min(tickMs * 2 ** (attempt - 1), Math.max(tickMs, intervalMs / 4))
    const retryAt = new Date(this.ctx.now().getTime() + delay)
    this.ctx.logger.error('scheduled sync could not run; it will be claimed again', {
      integrationId,
      error: message(error),
      retryInMs: delay,
    })
    this.unreleased.set(integrationId, { claim, retryAt })
    await this.releaseClaims().catch(() => {})
  }

  /** Gives back the claims of syncs that could not run; what the database refuses stays for the next tick. */
  private async releaseClaims(): Promise<void> {
    for (const [integrationId, { claim, retryAt }] of this.unreleased) {
      await releaseClaim(this.ctx.db, integrationId, claim, retryAt)
      this.unreleased.delete(integrationId)
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

/** pg-boss statements run on the caller's transaction. */
function jobDatabase(tx: Queryable) {
  return { executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.query(text, values) }) }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

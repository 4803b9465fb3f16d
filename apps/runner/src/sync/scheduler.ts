import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Job, PgBoss } from 'pg-boss'
import type { RunnerContext } from '../context.js'
import { RunnerError } from '../errors.js'
import { claimDueIntegrations, type Queryable, releaseClaim } from '../store/index.js'
import { reclaimCutSyncs } from '../store/progress.js'
import { PROGRESS_STALE_MS } from './progress.js'

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
/** While the event loop lags more than this on average, no new sync starts: the CPU is the limit. */
const EVENT_LOOP_LAG_LIMIT_MS = 200

export interface SchedulerOptions {
  intervalMs: number
  /** how often due integrations are looked for */
  tickMs: number
  /** the most scheduled syncs this runner has in flight at once */
  concurrency: number
  /** no new sync starts while the process's resident memory is above this (default: no limit) */
  memoryLimitBytes?: number
  /**
   * one HR system's syncs in flight over all replicas, as a share of `concurrency` (default 0.5), while
   * another HR system's syncs wait; beyond it an HR system takes only slots nobody else waits for
   */
  vendorShare?: number
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
  private fillTimer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private filling = false
  /** the syncs this runner has in flight */
  private readonly inFlight = new Set<Promise<unknown>>()
  private readonly lag = monitorEventLoopDelay({ resolution: 20 })
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

  /** How many scheduled syncs this runner has in flight now. */
  get running(): number {
    return this.inFlight.size
  }

  async start(): Promise<void> {
    const { boss } = this.options
    this.lag.enable()
    if (boss) {
      await boss.createQueue(SYNC_QUEUE)
      this.fillTimer = setInterval(() => void this.fill(), Math.max(100, Math.min(this.options.tickMs, 2000)))
      this.fillTimer.unref()
    }
    this.timer = setInterval(() => void this.tick(), this.options.tickMs)
    this.timer.unref()
    await this.tick()
  }

  /**
   * How many more syncs may start now. A sync waiting on its HR system costs a pending request, not
   * a thread or a connection, so the bound is what the process can bear: `concurrency` in flight,
   * and none while memory is above its limit or the event loop lags (the CPU is saturated).
   */
  private admissible(): number {
    const { concurrency, memoryLimitBytes } = this.options
    if (memoryLimitBytes !== undefined && process.memoryUsage.rss() > memoryLimitBytes) return 0
    const lagMs = this.lag.mean / 1e6
    this.lag.reset()
    if (lagMs > EVENT_LOOP_LAG_LIMIT_MS) return 0
    return concurrency - this.inFlight.size
  }

  /**
   * Takes queued syncs while there is room and starts them. Each job names its HR system (its
   * group). First pg-boss hands out no more of one HR system's jobs than its share of the slots,
   * counted over every replica. When only HR systems past their share still wait, they may have the
   * free slots too, all but a quarter of this runner's, kept for the syncs of the others that fall due
   * meanwhile: a slow vendor's long syncs use idle slots but cannot keep the others waiting.
   */
  private async fill(): Promise<void> {
    const { boss, concurrency, vendorShare = 0.5 } = this.options
    if (!boss || this.filling || this.stopped) return
    this.filling = true
    try {
      const share = Math.max(1, Math.ceil(concurrency * vendorShare))
      const reserve = Math.ceil(concurrency / 4)
      for (;;) {
        const room = Math.min(this.admissible(), 50)
        if (room <= 0 || this.stopped) return
        let jobs = await boss.fetch<ScheduledSync>(SYNC_QUEUE, { batchSize: room, groupConcurrency: share })
        const spare = Math.min(room - jobs.length, concurrency - reserve - this.inFlight.size - jobs.length)
        if (jobs.length < room && spare > 0) {
          jobs = [...jobs, ...(await boss.fetch<ScheduledSync>(SYNC_QUEUE, { batchSize: spare }))]
        }
        if (jobs.length === 0) return
        for (const job of jobs) this.startJob(boss, job)
      }
    } catch (error) {
      this.ctx.logger.error('could not take queued syncs; trying again shortly', { error: message(error) })
    } finally {
      this.filling = false
    }
  }

  private startJob(boss: PgBoss, job: Job<ScheduledSync>): void {
    const { integrationId, claim } = job.data
    // a job queued by an older runner names no claim
    const run = this.runScheduled(integrationId, claim ? new Date(claim) : undefined)
      .then(() => boss.complete(SYNC_QUEUE, job.id))
      .catch((error: unknown) => {
        // the sync's outcome is recorded in its run; a job not marked complete stays active in
        // pg-boss until it expires, holding nothing back (the claim decides what runs)
        this.ctx.logger.warn('could not mark a scheduled sync done in the queue', { error: message(error) })
      })
      .finally(() => {
        this.inFlight.delete(run)
        void this.fill()
      })
    this.inFlight.add(run)
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
    await this.reclaimCut()
    const { boss } = this.options
    // with pg-boss, claims become queued jobs and fill() starts them as room allows
    const free = boss ? 500 : this.admissible()
    if (free <= 0) return
    const now = this.ctx.now()
    const claim = new Date(now.getTime() + this.options.intervalMs)
    if (boss) {
      // the claim and its jobs commit together: jobs that cannot be created leave the integrations due
      await this.ctx.db.transaction(async (tx) => {
        const ids = await claimDueIntegrations(tx, now, claim, free)
        if (ids.length === 0) return
        const jobs = (await connectorsOf(tx, ids)).map(({ id, connectorId }) => ({
          data: { integrationId: id, claim: claim.toISOString() } satisfies ScheduledSync,
          // the HR system the sync calls: fill() keeps any one from taking every slot
          group: { id: connectorId },
        }))
        await boss.insert(SYNC_QUEUE, jobs, { db: jobDatabase(tx) })
      })
      void this.fill()
      return
    }
    for (const integrationId of await claimDueIntegrations(this.ctx.db, now, claim, free)) {
      const run = this.runScheduled(integrationId, claim).finally(() => this.inFlight.delete(run))
      this.inFlight.add(run)
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
    // the failure is logged above; a claim the database refuses now stays in `unreleased` for the next tick
    await this.releaseClaims().catch(() => {})
  }

  /**
   * A sync cut off with its replica leaves its cycle claimed and its progress unwritten: once that
   * progress is stale, the integration is due again now rather than a cycle later. Its pull starts
   * over (docs/decisions.md says why it does not resume).
   */
  private async reclaimCut(): Promise<void> {
    const now = this.ctx.now()
    const cut = await reclaimCutSyncs(this.ctx.db, new Date(now.getTime() - PROGRESS_STALE_MS), now)
    if (cut.length > 0) {
      this.ctx.logger.warn('syncs cut off with a stopped replica are due again', { integrationIds: cut })
    }
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
    if (this.fillTimer) clearInterval(this.fillTimer)
    await this.ticking
    await Promise.allSettled([...this.inFlight])
    this.lag.disable()
  }
}

async function connectorsOf(
  tx: Queryable,
  ids: string[],
): Promise<Array<{ id: string; connectorId: string }>> {
  return tx.query<{ id: string; connectorId: string }>(
    'SELECT id, connector_id AS "connectorId" FROM integrations WHERE id = ANY($1::text[])',
    [ids],
  )
}

/** pg-boss statements run on the caller's transaction. */
function jobDatabase(tx: Queryable) {
  return { executeSql: async (text: string, values?: unknown[]) => ({ rows: await tx.query(text, values) }) }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

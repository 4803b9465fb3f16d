import type { Logger } from '@hrsync/core'
import { RunnerError } from '../errors.js'
import type { SyncService } from '../sync/service.js'

/** The longest wait before planning again a push sync that could not run. */
const MAX_RETRY_MS = 60_000

export interface PushSyncOptions {
  sync: SyncService
  logger?: Logger
  /** quiet time after a SCIM change before the integration is planned (HRSYNC_SCIM_COALESCE_MS) */
  coalesceMs: number
  /** a steady stream of changes is still planned at least this often (default 10 × coalesceMs) */
  maxWaitMs?: number
}

/**
 * Turns SCIM changes into syncs of the pushing integration: a burst of changes is coalesced into one
 * plan after `coalesceMs` of quiet, and one integration is never planned twice at once (a change
 * arriving during a plan schedules one more plan after it). A plan that could not run (the database
 * went away, another sync held the integration) is planned again later, waiting longer each time.
 */
export class PushSyncs {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>()
  private readonly running = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  /** plans that could not run in a row, per integration */
  private readonly failures = new Map<string, number>()
  private closed = false

  constructor(private readonly options: PushSyncOptions) {}

  /** A SCIM write changed `integrationId`: plan it once the burst is over. */
  changed(integrationId: string): void {
    if (this.closed) return
    if (this.running.has(integrationId)) {
      this.again.add(integrationId)
      return
    }
    const pending = this.timers.get(integrationId)
    const since = pending?.since ?? Date.now()
    if (pending) clearTimeout(pending.timer)
    const maxWait = this.options.maxWaitMs ?? this.options.coalesceMs * 10
    const delay = Math.max(0, Math.min(this.options.coalesceMs, since + maxWait - Date.now()))
    const timer = setTimeout(() => this.fire(integrationId), delay)
    timer.unref?.()
    this.timers.set(integrationId, { timer, since })
  }

  /** Resolves once no plan is pending or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      await Promise.all([...this.running.values()])
      if (this.timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const { timer } of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    this.again.clear()
    await Promise.all([...this.running.values()])
  }

  private fire(integrationId: string): void {
    this.timers.delete(integrationId)
    const run = this.plan(integrationId).then((done) => {
      this.running.delete(integrationId)
      if (this.again.delete(integrationId)) this.changed(integrationId)
      else if (!done) this.retry(integrationId)
    })
    this.running.set(integrationId, run)
  }

  private retry(integrationId: string): void {
    if (this.closed) return
    const failures = (this.failures.get(integrationId) ?? 0) + 1
    this.failures.set(integrationId, failures)
    const delay = Math.min(Math.max(this.options.coalesceMs, 100) * 2 ** (failures - 1), MAX_RETRY_MS)
    const timer = setTimeout(() => this.fire(integrationId), delay)
    timer.unref?.()
    this.timers.set(integrationId, { timer, since: Date.now() })
  }

  /** Plans the integration; false when it could not run and is to be tried again. */
  private async plan(integrationId: string): Promise<boolean> {
    try {
      const { run } = await this.options.sync.sync(integrationId, { trigger: 'push' })
      this.failures.delete(integrationId)
      if (run.status === 'failed') {
        this.options.logger?.warn('SCIM push sync failed', {
          integrationId,
          runId: run.id,
          failure: run.failure,
        })
      }
      return true
    } catch (error) {
      // gone or disconnected: nothing to plan; anything else (busy, the database) passes
      const done = error instanceof RunnerError && error.code !== 'sync_in_progress'
      this.options.logger?.warn(done ? 'SCIM push sync not run' : 'SCIM push sync not run; will retry', {
        integrationId,
        error: error instanceof Error ? error.message : String(error),
      })
      if (done) this.failures.delete(integrationId)
      return done
    }
  }
}

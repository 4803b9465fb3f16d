import type { Logger } from '@hrsync/core'
import type { SyncService } from '../sync/service.js'

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
 * arriving during a plan schedules one more plan after it).
 */
export class PushSyncs {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; since: number }>()
  private readonly running = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
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
    const run = this.plan(integrationId).finally(() => {
      this.running.delete(integrationId)
      if (this.again.delete(integrationId)) this.changed(integrationId)
    })
    this.running.set(integrationId, run)
  }

  private async plan(integrationId: string): Promise<void> {
    try {
      const { run } = await this.options.sync.sync(integrationId, { trigger: 'push' })
      if (run.status === 'failed') {
        this.options.logger?.warn('SCIM push sync failed', {
          integrationId,
          runId: run.id,
          failure: run.failure,
        })
      }
    } catch (error) {
      this.options.logger?.warn('SCIM push sync not run', {
        integrationId,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
}

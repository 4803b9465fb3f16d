import type { Logger } from '@hrsync/core'
import type { Database } from '../store/db.js'
import { clearProgress, readProgress, type SyncProgress, saveProgress } from '../store/progress.js'

/** The fewest milliseconds between two writes of one sync's progress. */
const WRITE_EVERY_MS = 1000
/** A sync waiting on a vendor (a long Retry-After) still says it is alive this often. */
const HEARTBEAT_MS = 60_000
/** Progress nobody wrote for this long belongs to a replica that stopped: it is not shown. */
export const PROGRESS_STALE_MS = 3 * HEARTBEAT_MS

interface Tracked {
  progress: SyncProgress
  /** when it was last written (Date.now()), and whether it changed since */
  written: number
  dirty: boolean
  writing: Promise<void> | null
  timer: NodeJS.Timeout | null
}

/**
 * The progress of the syncs this replica runs: kept in memory (what this replica answers at once)
 * and written to the database at most once a second per sync, the last change always written,
 * so every replica can answer too. A failed write is logged and skipped: progress never fails a sync.
 */
export class ProgressTracker {
  private readonly running = new Map<string, Tracked>()
  private heartbeat: NodeJS.Timeout | null = null

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly logger?: Logger,
  ) {}

  async begin(integrationId: string, startedAt: Date): Promise<void> {
    const at = startedAt.toISOString()
    const progress = { pages: 0, people: 0, totalPeople: null, startedAt: at, updatedAt: at }
    this.running.set(integrationId, { progress, written: 0, dirty: true, writing: null, timer: null })
    this.keepAlive()
    await this.write(integrationId)
  }

  page(integrationId: string, info: { page: number; total: number; expected: number | null }): void {
    const tracked = this.running.get(integrationId)
    if (!tracked) return
    tracked.progress = {
      ...tracked.progress,
      pages: info.page,
      people: info.total,
      totalPeople: info.expected,
      updatedAt: this.now().toISOString(),
    }
    tracked.dirty = true
    this.schedule(integrationId, tracked)
  }

  async end(integrationId: string): Promise<void> {
    const tracked = this.running.get(integrationId)
    if (!tracked) return
    this.running.delete(integrationId)
    if (tracked.timer) clearTimeout(tracked.timer)
    if (this.running.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat)
      this.heartbeat = null
    }
    await tracked.writing
    await clearProgress(this.db, integrationId).catch((error: unknown) => this.failed(error))
  }

  /** The integrations this replica is pulling now. */
  pulling(): string[] {
    return [...this.running.keys()]
  }

  /** This replica's own progress of the sync first, else what the database holds of another's. */
  async current(integrationId: string): Promise<SyncProgress | null> {
    const mine = this.running.get(integrationId)
    if (mine) return mine.progress
    const since = new Date(this.now().getTime() - PROGRESS_STALE_MS)
    return readProgress(this.db, integrationId, since)
  }

  /** The next write, a second after the last at the soonest. */
  private schedule(integrationId: string, tracked: Tracked): void {
    if (tracked.timer || tracked.writing) return
    const wait = Math.max(0, tracked.written + WRITE_EVERY_MS - Date.now())
    tracked.timer = setTimeout(() => {
      tracked.timer = null
      void this.write(integrationId)
    }, wait)
    tracked.timer.unref()
  }

  private write(integrationId: string): Promise<void> {
    const tracked = this.running.get(integrationId)
    if (!tracked) return Promise.resolve()
    tracked.written = Date.now()
    tracked.dirty = false
    const progress = { ...tracked.progress, updatedAt: this.now().toISOString() }
    tracked.writing = saveProgress(this.db, integrationId, progress)
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        tracked.writing = null
        if (tracked.dirty && this.running.get(integrationId) === tracked)
          this.schedule(integrationId, tracked)
      })
    return tracked.writing
  }

  private keepAlive(): void {
    if (this.heartbeat) return
    this.heartbeat = setInterval(() => {
      for (const [integrationId, tracked] of this.running) {
        if (!tracked.writing && Date.now() - tracked.written >= HEARTBEAT_MS) void this.write(integrationId)
      }
    }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  private failed(error: unknown): void {
    this.logger?.warn('could not record sync progress', {
      error: error instanceof Error ? error.message : String(error),
    })
  }
}

import type { EventLog } from './log.js'

/**
 * The loop a webhook dispatcher runs on: `drain` runs when events commit, every `pollMs`, once at
 * start, and at a wake-up asked for with `wakeAt` (a retry that falls due). One drain at a time; a
 * wake-up during a drain runs another right after it, so nothing committed meanwhile waits for the poll.
 */
export class DrainLoop {
  private poll: NodeJS.Timeout | null = null
  private later: NodeJS.Timeout | null = null
  private laterAt = 0
  private draining: Promise<void> | null = null
  private again = false
  private unsubscribe: (() => void) | null = null
  /** set once stop() is called: a drain in progress ends at its next check */
  stopped = false

  constructor(
    private readonly events: EventLog,
    private readonly pollMs: number,
    private readonly drain: () => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.unsubscribe = this.events.onCommitted(() => void this.wake())
    this.poll = setInterval(() => void this.wake(), this.pollMs)
    this.poll.unref()
    void this.wake()
  }

  /** Drains now, or right after the drain under way. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (this.draining) {
      this.again = true
      return this.draining
    }
    this.draining = this.drain().finally(() => {
      this.draining = null
      if (this.again) {
        this.again = false
        void this.wake()
      }
    })
    return this.draining
  }

  /** Wakes again at `at`, unless a wake-up is already set for earlier. */
  wakeAt(at: Date): void {
    if (this.stopped || (this.later && this.laterAt <= at.getTime())) return
    if (this.later) clearTimeout(this.later)
    this.laterAt = at.getTime()
    const delay = Math.max(0, this.laterAt - this.now())
    // setTimeout takes at most about 24.8 days
    this.later = setTimeout(
      () => {
        this.later = null
        void this.wake()
      },
      Math.min(delay, 2_147_000_000),
    )
    this.later.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    if (this.poll) clearInterval(this.poll)
    if (this.later) clearTimeout(this.later)
    await this.draining
  }
}

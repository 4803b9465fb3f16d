import { createHmac } from 'node:crypto'
import type { Logger } from '@hrsync/core'
import type { Database } from '../store/index.js'
import { nextPendingDelivery, recordDeliveryAttempt } from '../store/index.js'
import { DrainLoop } from './drain-loop.js'
import type { EventLog } from './log.js'

export const SIGNATURE_HEADER = 'x-hrsync-signature'

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the shared secret. */
export function signPayload(secret: string, body: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return `t=${timestamp},v1=${digest}`
}

export interface WebhookOptions {
  url: string
  secret: string
  db: Database
  events: EventLog
  logger: Logger
  /** first retry delay; doubles per attempt up to `maxBackoffMs` */
  baseBackoffMs?: number
  maxBackoffMs?: number
  timeoutMs?: number
  /** how often the outbox is checked besides being woken by new events */
  pollMs?: number
}

/**
 * Delivers the outbox to the app's webhook strictly in event order: the oldest undelivered event
 * is retried with backoff until the receiver takes it, and nothing after it is sent before. Across
 * replicas one dispatcher works at a time (a database lock).
 */
export class WebhookDispatcher {
  private readonly loop: DrainLoop

  constructor(private readonly options: WebhookOptions) {
    this.loop = new DrainLoop(options.events, options.pollMs ?? 5000, () => this.drainLocked())
  }

  start(): void {
    this.loop.start()
  }

  /** Drains the outbox now (or right after the drain under way). */
  wake(): Promise<void> {
    return this.loop.wake()
  }

  private async drainLocked(): Promise<void> {
    try {
      await this.options.db.withExclusiveLock('webhook-dispatcher', () => this.drain())
    } catch (error) {
      this.options.logger.error('webhook delivery stopped on an error', { error: (error as Error).message })
    }
  }

  private async drain(): Promise<void> {
    const { db } = this.options
    while (!this.loop.stopped) {
      const next = await nextPendingDelivery(db)
      if (!next) return
      if (new Date(next.delivery.nextAttemptAt).getTime() > Date.now()) return
      const body = JSON.stringify(next.event)
      const outcome = await this.post(body)
      if (outcome.ok) {
        await recordDeliveryAttempt(db, next.event.id, { delivered: true, status: outcome.status })
        continue
      }
      const attempts = next.delivery.attempts + 1
      const delay = Math.min(
        (this.options.baseBackoffMs ?? 1000) * 2 ** (attempts - 1),
        this.options.maxBackoffMs ?? 15 * 60_000,
      )
      await recordDeliveryAttempt(db, next.event.id, {
        delivered: false,
        status: outcome.status,
        error: outcome.error,
        retryAt: new Date(Date.now() + delay),
      })
      this.options.logger.warn('webhook delivery failed; will retry', {
        eventId: next.event.id,
        attempts,
        error: outcome.error,
      })
      this.retryIn(delay)
      return
    }
  }

  private retryIn(delay: number): void {
    const timer = setTimeout(() => this.wake(), delay)
    timer.unref()
  }

  private async post(
    body: string,
  ): Promise<{ ok: true; status: number } | { ok: false; status: number | null; error: string }> {
    const timestamp = Math.floor(Date.now() / 1000)
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signPayload(this.options.secret, body, timestamp),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      })
      // the body is read only to free the connection: the status decides, so a body cut short changes nothing
      await response.arrayBuffer().catch(() => {})
      if (response.ok) return { ok: true, status: response.status }
      return { ok: false, status: response.status, error: `the receiver answered ${response.status}` }
    } catch (error) {
      return { ok: false, status: null, error: (error as Error).message }
    }
  }

  stop(): Promise<void> {
    return this.loop.stop()
  }
}

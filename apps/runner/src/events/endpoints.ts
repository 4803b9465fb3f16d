import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Logger } from '@hrsync/core'
import type { Database, SecretBox } from '../store/index.js'
import { getWebhookEndpointById, nextEndpointDeliveries, recordEndpointAttempt } from '../store/index.js'
import { publicOnlyLookup, webhookUrlProblem } from './address.js'
import { DrainLoop } from './drain-loop.js'
import type { EventLog } from './log.js'
import { SIGNATURE_HEADER, signPayload } from './webhook.js'

export const DELIVERY_HEADER = 'x-hrsync-delivery'

/** Retries: 30 s, then doubling, 8 attempts in all over about an hour. */
export const ENDPOINT_RETRY = { baseBackoffMs: 30_000, maxAttempts: 8 }

export interface EndpointDispatcherOptions {
  db: Database
  box: SecretBox
  events: EventLog
  logger: Logger
  now: () => Date
  /** accept http:// and internal addresses (HRSYNC_WEBHOOK_ALLOW_PRIVATE): development and tests */
  allowPrivate: boolean
  baseBackoffMs?: number
  maxAttempts?: number
  timeoutMs?: number
  pollMs?: number
}

type Outcome = { status: number | null; error: string | null }

/** The signature header: one `v1=` per secret that signs, the new one first during a rotation. */
export function signatureHeader(secrets: string[], body: string, timestamp: number): string {
  return [
    `t=${timestamp}`,
    ...secrets.map((secret) => signPayload(secret, body, timestamp).split(',')[1]),
  ].join(',')
}

/**
 * Delivers every company endpoint's deliveries, each endpoint in event order: its oldest pending
 * delivery is retried with backoff until the receiver takes it or the attempts run out, and only
 * then comes the next. One dispatcher works at a time across replicas (a database lock).
 */
export class EndpointDispatcher {
  private readonly loop: DrainLoop

  constructor(private readonly options: EndpointDispatcherOptions) {
    this.loop = new DrainLoop(
      options.events,
      options.pollMs ?? 5000,
      () => this.drainLocked(),
      () => options.now().getTime(),
    )
  }

  start(): void {
    this.loop.start()
  }

  /** Delivers what is due now (or right after the round under way); never rejects. */
  wake(): Promise<void> {
    return this.loop.wake()
  }

  private async drainLocked(): Promise<void> {
    try {
      await this.options.db.withExclusiveLock('webhook-endpoints', () => this.drain())
    } catch (error) {
      this.options.logger.error('webhook endpoint delivery stopped on an error; retrying soon', {
        error: (error as Error).message,
      })
      this.loop.wakeAt(new Date(this.options.now().getTime() + 5000))
    }
  }

  private async drain(): Promise<void> {
    while (!this.loop.stopped) {
      const heads = await nextEndpointDeliveries(this.options.db, 50)
      const now = this.options.now().getTime()
      const due = heads.filter((head) => head.nextAttemptAt.getTime() <= now)
      const later = heads.find((head) => head.nextAttemptAt.getTime() > now)
      if (later) this.loop.wakeAt(later.nextAttemptAt)
      if (due.length === 0) return
      await Promise.all(due.map((delivery) => this.attempt(delivery)))
    }
  }

  private async attempt(delivery: Awaited<ReturnType<typeof nextEndpointDeliveries>>[number]): Promise<void> {
    const { db, box, logger } = this.options
    const endpoint = await getWebhookEndpointById(db, delivery.endpointId)
    if (!endpoint) return
    const now = this.options.now()
    const body = JSON.stringify(delivery.event)
    const started = performance.now()
    let outcome: Outcome
    try {
      const secrets = [box.open<string>(endpoint.secretSealed)]
      if (endpoint.previousSecretSealed && new Date(endpoint.previousSecretUntil ?? 0) > now)
        secrets.push(box.open<string>(endpoint.previousSecretSealed))
      outcome = await this.post(endpoint.url, body, {
        [SIGNATURE_HEADER]: signatureHeader(secrets, body, Math.floor(now.getTime() / 1000)),
        [DELIVERY_HEADER]: delivery.id,
      })
    } catch {
      // only unsealing throws here: the secret key the runner has is not the one that sealed it
      outcome = {
        status: null,
        error: "the endpoint's secret cannot be unsealed with the runner's secret key",
      }
    }
    const durationMs = Math.round(performance.now() - started)
    const attempts = delivery.attempts + 1
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300
    const maxAttempts = this.options.maxAttempts ?? ENDPOINT_RETRY.maxAttempts
    const retryAt = new Date(
      this.options.now().getTime() +
        (this.options.baseBackoffMs ?? ENDPOINT_RETRY.baseBackoffMs) * 2 ** (attempts - 1),
    )
    await recordEndpointAttempt(
      db,
      delivery.id,
      { ...outcome, durationMs },
      delivered
        ? { state: 'delivered' }
        : attempts >= maxAttempts
          ? { state: 'failed' }
          : { state: 'retry', retryAt },
    )
    if (delivered) return
    logger.warn(
      attempts >= maxAttempts ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
      {
        endpointId: endpoint.id,
        deliveryId: delivery.id,
        eventId: delivery.event.id,
        attempts,
        error: outcome.error,
      },
    )
    if (attempts < maxAttempts) this.loop.wakeAt(retryAt)
  }

  /** Posts once; the answer's status or why there was none. The body read back is dropped. */
  private post(url: string, body: string, headers: Record<string, string>): Promise<Outcome> {
    const { allowPrivate } = this.options
    const problem = webhookUrlProblem(url, allowPrivate)
    if (problem) return Promise.resolve({ status: null, error: `the endpoint URL ${problem}` })
    const request = url.startsWith('https:') ? httpsRequest : httpRequest
    return new Promise<Outcome>((resolve) => {
      const call = request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...headers,
          },
          timeout: this.options.timeoutMs ?? 10_000,
          ...(allowPrivate ? {} : { lookup: publicOnlyLookup }),
        },
        (response) => {
          response.resume()
          // the status is all that is kept: a body cut short after it changes nothing
          response.on('error', () => {})
          const status = response.statusCode ?? null
          const ok = status !== null && status >= 200 && status < 300
          resolve({ status, error: ok ? null : `the receiver answered ${status}` })
        },
      )
      call.on('timeout', () => call.destroy(new Error('the receiver did not answer in time')))
      call.on('error', (error) => resolve({ status: null, error: error.message }))
      call.end(body)
    })
  }

  stop(): Promise<void> {
    return this.loop.stop()
  }
}

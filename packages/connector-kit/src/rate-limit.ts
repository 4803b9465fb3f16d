import type { RequestWindow } from '@hrsync/core'
import type { Sleep } from './sleep.js'

/** Paces a credential's requests: `take` waits for the request's turn. */
export interface RequestLimiter {
  take(sleep: Sleep, signal: AbortSignal): Promise<void>
}

/** A token bucket per credential, shared by every context that uses it in this process. */
class RequestBucket implements RequestLimiter {
  private theoreticalArrival = 0

  constructor(private readonly perSecond: number) {}

  /** Reserves the next slot and waits for it; bursts up to one second's worth of requests. */
  async take(sleep: Sleep, signal: AbortSignal): Promise<void> {
    const interval = 1000 / this.perSecond
    const burst = Math.max(1, Math.floor(this.perSecond))
    const now = Date.now()
    this.theoreticalArrival = Math.max(this.theoreticalArrival, now)
    const allowedAt = this.theoreticalArrival - (burst - 1) * interval
    this.theoreticalArrival += interval
    const wait = allowedAt - now
    if (wait > 0) await sleep(wait, signal)
  }
}

/**
 * A vendor's documented limits as windows, e.g. Personio's 300 requests a minute and 15 a second: a
 * request goes at the first moment when, for every window, fewer than its `requests` went in the
 * `seconds` before. Each slot is reserved when asked for, so requests in flight together queue in
 * the order they asked.
 */
/**
 * How much longer than documented a window is kept: a request may leave later than its turn (a
 * connection to open, a busy event loop) and the vendor counts arrivals.
 */
const WINDOW_MARGIN_MS = 25

class WindowLimiter implements RequestLimiter {
  /** the moments reserved, in order; as many as the largest window holds */
  private readonly reserved: Array<{ at: number }> = []
  private readonly kept: number

  constructor(private readonly windows: readonly RequestWindow[]) {
    this.kept = Math.max(...windows.map((window) => window.requests))
  }

  async take(sleep: Sleep, signal: AbortSignal): Promise<void> {
    const now = Date.now()
    const slot = { at: Math.max(now, this.reserved.at(-1)?.at ?? now) }
    for (const { requests, seconds } of this.windows) {
      const earlier = this.reserved[this.reserved.length - requests]
      if (earlier !== undefined) slot.at = Math.max(slot.at, earlier.at + seconds * 1000 + WINDOW_MARGIN_MS)
    }
    this.reserved.push(slot)
    if (this.reserved.length > this.kept) this.reserved.shift()
    if (slot.at <= now) return
    await sleep(slot.at - now, signal)
    // woken late (a busy event loop): the requests after it count from when it really left
    slot.at = Math.max(slot.at, Date.now())
  }
}

/** Both limits, when a connector declares both. */
class Limiters implements RequestLimiter {
  constructor(private readonly limiters: RequestLimiter[]) {}
  async take(sleep: Sleep, signal: AbortSignal): Promise<void> {
    for (const limiter of this.limiters) await limiter.take(sleep, signal)
  }
}

const limiters = new Map<string, RequestLimiter>()

function shared(id: string, make: () => RequestLimiter): RequestLimiter {
  let limiter = limiters.get(id)
  if (!limiter) {
    limiter = make()
    limiters.set(id, limiter)
  }
  return limiter
}

export function bucketFor(key: string, perSecond: number): RequestLimiter {
  return shared(`${key}@${perSecond}`, () => new RequestBucket(perSecond))
}

/** The limiter of a credential (`key`) for a connector's declared limits; none when it declares none. */
export function limiterFor(
  key: string,
  http: { requestsPerSecond?: number; requestLimits?: readonly RequestWindow[] },
): RequestLimiter | undefined {
  const declared: RequestLimiter[] = []
  if (http.requestsPerSecond) declared.push(bucketFor(key, http.requestsPerSecond))
  if (http.requestLimits && http.requestLimits.length > 0) {
    const windows = http.requestLimits
    declared.push(shared(`${key}@${JSON.stringify(windows)}`, () => new WindowLimiter(windows)))
  }
  return declared.length > 1 ? new Limiters(declared) : declared[0]
}

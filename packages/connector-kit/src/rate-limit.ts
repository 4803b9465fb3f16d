import type { HttpOptions, LimitScope, RequestWindow } from '@hrsync/core'
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

/**
 * A limit as a shared store keeps it (GCRA): requests `intervalMs` apart on average, up to `burst` of them at
 * once after a quiet spell.
 */
export interface Pace {
  intervalMs: number
  burst: number
}

/**
 * Where app-scoped limits reserve their requests when several processes share them (the runner's
 * database). `reserve` books the next request of `key` against every pace at once and resolves how many
 * milliseconds to wait before sending it.
 */
export interface RateLimitStore {
  reserve(key: string, paces: readonly Pace[]): Promise<number>
}

/** Whom a context's requests count against: its credential, and the app the credential belongs to. */
export interface LimitKeys {
  credential: string
  app: string
}

type DeclaredLimits = Pick<HttpOptions, 'requestsPerSecond' | 'requestLimits' | 'limitScope'>

/** A declaration's limits split by whom they count. */
function byScope(
  http: DeclaredLimits,
  scope: LimitScope,
): Pick<HttpOptions, 'requestsPerSecond' | 'requestLimits'> {
  const declared = http.limitScope ?? 'credential'
  const windows = (http.requestLimits ?? []).filter((window) => (window.scope ?? declared) === scope)
  return {
    ...(http.requestsPerSecond && declared === scope ? { requestsPerSecond: http.requestsPerSecond } : {}),
    ...(windows.length > 0 ? { requestLimits: windows } : {}),
  }
}

/**
 * The paces a store enforces for declared limits. A rate keeps its burst of one second's worth, as the
 * in-process bucket does. A window of N requests in T seconds is spaced T/N apart (plus the window's margin)
 * with no burst: a burst of N on top of that rate would let 2N−1 requests into some T seconds.
 */
export function pacesOf(http: Pick<HttpOptions, 'requestsPerSecond' | 'requestLimits'>): Pace[] {
  const paces: Pace[] = []
  if (http.requestsPerSecond) {
    paces.push({
      intervalMs: 1000 / http.requestsPerSecond,
      burst: Math.max(1, Math.floor(http.requestsPerSecond)),
    })
  }
  for (const { requests, seconds } of http.requestLimits ?? []) {
    paces.push({ intervalMs: (seconds * 1000 + WINDOW_MARGIN_MS) / requests, burst: 1 })
  }
  return paces
}

/**
 * App-scoped limits kept in a store shared by every process. When the store cannot be reached the request is
 * paced by this process's own limiter instead, so a sync goes on at a pace that is at least safe per process.
 */
class SharedLimiter implements RequestLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly key: string,
    private readonly paces: readonly Pace[],
    private readonly inProcess: RequestLimiter,
    private readonly onStoreError: (error: unknown) => void,
  ) {}

  async take(sleep: Sleep, signal: AbortSignal): Promise<void> {
    let wait: number
    try {
      wait = await this.store.reserve(this.key, this.paces)
    } catch (error) {
      this.onStoreError(error)
      return this.inProcess.take(sleep, signal)
    }
    if (wait > 0) await sleep(wait, signal)
  }
}

/** This process's limiter of `key` for the declared limits; none when there are none. */
function inProcessLimiter(
  key: string,
  http: Pick<HttpOptions, 'requestsPerSecond' | 'requestLimits'>,
): RequestLimiter | undefined {
  const declared: RequestLimiter[] = []
  if (http.requestsPerSecond) declared.push(bucketFor(key, http.requestsPerSecond))
  if (http.requestLimits && http.requestLimits.length > 0) {
    const windows = http.requestLimits.map(({ requests, seconds }) => ({ requests, seconds }))
    declared.push(shared(`${key}@${JSON.stringify(windows)}`, () => new WindowLimiter(windows)))
  }
  return declared.length > 1 ? new Limiters(declared) : declared[0]
}

export interface SharedLimits {
  store: RateLimitStore
  /** told when the store fails; the request is then paced in this process */
  onError: (error: unknown) => void
}

/**
 * The limiter of a context for a connector's declared limits; none when it declares none. Credential-scoped
 * limits are paced in this process (one sync of an integration runs at a time); app-scoped ones are shared by
 * every context of the app in this process, and through `sharedLimits.store` with every other process.
 */
export function limiterFor(
  keys: LimitKeys,
  http: DeclaredLimits,
  sharedLimits?: SharedLimits,
): RequestLimiter | undefined {
  const limiters: RequestLimiter[] = []
  const perCredential = inProcessLimiter(keys.credential, byScope(http, 'credential'))
  if (perCredential) limiters.push(perCredential)
  const appLimits = byScope(http, 'app')
  const perApp = inProcessLimiter(keys.app, appLimits)
  if (perApp && sharedLimits) {
    const { store, onError } = sharedLimits
    limiters.push(new SharedLimiter(store, keys.app, pacesOf(appLimits), perApp, onError))
  } else if (perApp) {
    limiters.push(perApp)
  }
  return limiters.length > 1 ? new Limiters(limiters) : limiters[0]
}

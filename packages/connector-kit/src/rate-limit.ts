import type { Sleep } from './sleep.js'

/** A token bucket per credential, shared by every context that uses it in this process. */
class RequestBucket {
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

const buckets = new Map<string, RequestBucket>()

export function bucketFor(key: string, perSecond: number): RequestBucket {
  const id = `${key}@${perSecond}`
  let bucket = buckets.get(id)
  if (!bucket) {
    bucket = new RequestBucket(perSecond)
    buckets.set(id, bucket)
  }
  return bucket
}

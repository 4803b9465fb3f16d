// A vendor's request limits as windows: "300/60,15/1" is at most 300 requests in any 60 s and 15 in
// any second (Personio's employee list).

/** "300/60,15/1" → [{ requests: 300, seconds: 60 }, { requests: 15, seconds: 1 }]; '' → none. */
export function parseLimits(text) {
  return text
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [requests, seconds] = part.split('/').map(Number)
      if (!(requests >= 1 && seconds > 0)) throw new Error(`a limit is requests/seconds, not "${part}"`)
      return { requests, seconds }
    })
}

// the network's jitter: a request the client sent a full window after another may arrive a little
// sooner after it than that
const JITTER_MS = 20

/**
 * Whether a request arriving `now` (ms) goes over a limit, given the arrival times of the requests
 * accepted before it (kept in `accepted`, which an accepted request joins).
 */
export function overLimit(limits, accepted, now) {
  for (const { requests, seconds } of limits) {
    const earlier = accepted[accepted.length - requests]
    if (earlier !== undefined && now - earlier < seconds * 1000 - JITTER_MS) return true
  }
  if (limits.length > 0) accepted.push(now)
  return false
}

/**
 * The least time `pages` requests can take under the limits when each is answered `latencyMs` after
 * it was sent: every request as early as the limits let it go, the last answer `latencyMs` later.
 */
export function floorMs(pages, latencyMs, limits) {
  const starts = []
  for (let i = 0; i < pages; i++) {
    let at = 0
    for (const { requests, seconds } of limits) {
      if (i >= requests) at = Math.max(at, starts[i - requests] + seconds * 1000)
    }
    starts.push(at)
  }
  return starts[pages - 1] + latencyMs
}

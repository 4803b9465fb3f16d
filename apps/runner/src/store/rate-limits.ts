import type { Pace, RateLimitStore } from '@hrsync/connector-kit'
import type { Queryable } from './db.js'

/** How a pace is named in its row: a change of the declared limit starts a row of its own. */
const paceName = (pace: Pace) => `${pace.intervalMs}ms/${pace.burst}`

/**
 * Books a request against every pace of the key in one statement, and answers how long to wait. The rows
 * are locked first, so concurrent reservations (from any replica) queue and each sees the last one's
 * booking. The request's slot is the earliest moment every pace allows (GCRA: a pace's next theoretical
 * arrival, less its burst), never before the database's now; each pace then counts the request at that
 * slot. Rows missing (the first request of a key) are left out, and the caller creates them.
 */
const RESERVE = `
WITH locked AS (
  SELECT interval_ms, burst, theoretical_arrival_ms FROM rate_limit_paces
  WHERE key = $1 AND pace = ANY($2::text[])
  FOR UPDATE
), slot AS (
  SELECT clock.now_ms, greatest(clock.now_ms, max(theoretical_arrival_ms - (burst - 1) * interval_ms)) AS at_ms
  FROM locked, (SELECT extract(epoch FROM clock_timestamp())::double precision * 1000 AS now_ms) AS clock
  GROUP BY clock.now_ms
)
UPDATE rate_limit_paces AS p
SET theoretical_arrival_ms = greatest(p.theoretical_arrival_ms, slot.at_ms) + p.interval_ms
FROM slot
WHERE p.key = $1 AND p.pace = ANY($2::text[])
RETURNING slot.at_ms - slot.now_ms AS wait_ms`

const CREATE = `
INSERT INTO rate_limit_paces (key, pace, interval_ms, burst)
SELECT $1, pace, interval_ms, burst FROM unnest($2::text[], $3::double precision[], $4::integer[])
  AS declared(pace, interval_ms, burst)
ON CONFLICT (key, pace) DO NOTHING`

/**
 * App-scoped vendor limits kept in PostgreSQL, so that every replica of the runner draws on one budget per
 * partner app. The embedded database has one process, whose in-process limiter already sees every request.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  constructor(private readonly db: Queryable) {}

  async reserve(key: string, paces: readonly Pace[]): Promise<number> {
    if (paces.length === 0) return 0
    const names = paces.map(paceName)
    let booked = await this.db.query<{ wait_ms: number }>(RESERVE, [key, names])
    if (booked.length < paces.length) {
      // the key's first request (or a limit declared anew): create its rows and book again. A pace that
      // already had its row is booked twice this once, which only makes that request wait a little longer.
      await this.db.query(CREATE, [
        key,
        names,
        paces.map((pace) => pace.intervalMs),
        paces.map((pace) => pace.burst),
      ])
      booked = await this.db.query<{ wait_ms: number }>(RESERVE, [key, names])
    }
    return Math.max(0, Number(booked[0]?.wait_ms ?? 0))
  }
}

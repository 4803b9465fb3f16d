import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Queryable } from './db.js'

/** Exclusive work on one key (an integration, a webhook drain), held by one replica at a time. */
export interface Lease {
  /**
   * Fails unless this lease still stands. Inside a transaction it also keeps the lease from passing
   * to another replica until that transaction ends, so what the transaction writes is written by
   * the lease's holder.
   */
  confirm(tx: Queryable): Promise<void>
}

export class LeaseLapsedError extends Error {
  override readonly name = 'LeaseLapsedError'
  constructor(key: string) {
    super(
      `The lease on ${key} passed to another holder while this one worked (its database connection was lost)`,
    )
  }
}

/** A lease needs no work to hold on the embedded database: it has one process, whose own locks suffice. */
export const PROCESS_LEASE: Lease = { confirm: async () => {} }

/**
 * One idle connection per replica that says it is alive: its leases name the connection's backend,
 * and a lease whose backend is gone (the replica died, or was cut off) is free at once instead of
 * when it lapses. Reconnects when it is next asked after losing its connection.
 */
export class Presence {
  private current: Promise<number | null> | null = null
  private client: pg.Client | null = null

  constructor(private readonly config: pg.ClientConfig) {}

  /** The backend pid of the presence connection, or null while the database cannot be reached. */
  pid(): Promise<number | null> {
    this.current ??= this.connect()
    return this.current
  }

  private async connect(): Promise<number | null> {
    const client = new pg.Client({ ...this.config, connectionTimeoutMillis: 5000 })
    const lost = () => {
      if (this.client === client) {
        this.client = null
        this.current = null
      }
    }
    client.on('error', lost)
    client.on('end', lost)
    this.client = client
    try {
      await client.connect()
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      return rows[0]!.pid
    } catch {
      // no presence for now: the leases taken meanwhile lapse on time alone; asked again, it reconnects
      lost()
      // the connection never opened or is already gone: there is nothing left to close
      await client.end().catch(() => undefined)
      return null
    }
  }

  async close(): Promise<void> {
    const { client } = this
    this.client = null
    this.current = null
    // closing: a connection already lost has nothing left to end
    await client?.end().catch(() => undefined)
  }
}

export interface LeaseOptions {
  /** how long a lease lasts without renewal (it is renewed every third of it) */
  leaseMs?: number
  presence?: Presence | null
}

/**
 * Runs `fn` if no one else holds a lease on `key`, renewing the lease while `fn` runs, so a replica
 * keeps many leases without holding a database connection for any of them. Resolves
 * `{ acquired: false }` without running `fn` when the key is held.
 */
export async function withLease<T>(
  db: Queryable,
  key: string,
  fn: (lease: Lease) => Promise<T>,
  { leaseMs = 60_000, presence = null }: LeaseOptions = {},
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const holder = randomUUID()
  const taken = await db.query(
    `INSERT INTO leases (key, holder, holder_pid, expires_at)
     VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE
       SET holder = EXCLUDED.holder, holder_pid = EXCLUDED.holder_pid, expires_at = EXCLUDED.expires_at
     WHERE leases.expires_at < now()
        OR (leases.holder_pid IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = leases.holder_pid))
     RETURNING key`,
    [key, holder, await presence?.pid(), leaseMs],
  )
  if (taken.length === 0) return { acquired: false }

  const renew = async () => {
    await db.query(
      `UPDATE leases SET expires_at = now() + $4 * interval '1 millisecond', holder_pid = $3
       WHERE key = $1 AND holder = $2`,
      [key, holder, await presence?.pid(), leaseMs],
    )
  }
  // a renewal that fails (the database out of reach) is tried again at the next beat; if the lease
  // passes to another holder meanwhile, confirm() refuses what this holder then tries to save
  const renewal = setInterval(() => void renew().catch(() => undefined), leaseMs / 3)
  renewal.unref()
  const lease: Lease = {
    async confirm(tx) {
      const held = await tx.query('SELECT 1 FROM leases WHERE key = $1 AND holder = $2 FOR UPDATE', [
        key,
        holder,
      ])
      if (held.length === 0) throw new LeaseLapsedError(key)
    },
  }
  try {
    return { acquired: true, value: await fn(lease) }
  } finally {
    clearInterval(renewal)
    await release(db, key, holder, leaseMs)
  }
}

/**
 * Gives the lease back. Through a short loss of connection it keeps trying in the background, a
 * second apart, until the lease would have lapsed anyway, so the key is free as soon as the
 * database answers again.
 */
async function release(db: Queryable, key: string, holder: string, leaseMs: number): Promise<void> {
  const giveUp = Date.now() + leaseMs
  const attempt = () => db.query('DELETE FROM leases WHERE key = $1 AND holder = $2', [key, holder])
  try {
    await attempt()
  } catch {
    const retry = setInterval(() => {
      if (Date.now() > giveUp) clearInterval(retry)
      else
        void attempt().then(
          () => clearInterval(retry),
          () => undefined,
        )
    }, 1000)
    retry.unref()
  }
}

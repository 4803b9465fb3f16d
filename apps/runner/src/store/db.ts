import { mkdirSync } from 'node:fs'
import pg from 'pg'
import { type Lease, PROCESS_LEASE, Presence, withLease } from './leases.js'

/** Something SQL runs on: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** runs several statements without parameters (migrations) */
  exec(sql: string): Promise<void>
}

/** The one database interface the store uses, whether PGlite or PostgreSQL is underneath. */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** runs `fn` in one transaction: committed when it resolves, rolled back when it throws */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  /**
   * Runs `fn` only if no other process holds `key` (a lease on PostgreSQL, see leases.ts); resolves
   * `{ acquired: false }` without running it otherwise.
   */
  withExclusiveLock<T>(
    key: string,
    fn: (lease: Lease) => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }>
  close(): Promise<void>
}

export interface PostgresOptions {
  connectionString: string
  /** a schema of its own (created when missing): tests use a fresh one per run */
  schema?: string | undefined
  max?: number
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/**
 * A checked-out client whose connection drops (a restart, pg_terminate_backend) emits 'error'; with
 * no listener that would end the process. The query in flight fails anyway, so the error is only
 * noted, and the broken client is discarded instead of going back to the pool.
 */
function watchClient(client: pg.PoolClient): { release(): void } {
  let broken: Error | undefined
  const onError = (error: Error) => {
    broken = error
  }
  client.on('error', onError)
  return {
    release() {
      client.off('error', onError)
      client.release(broken)
    },
  }
}

/**
 * Parameterised statements run as named prepared statements, parsed and planned once per
 * connection: the SCIM and sync paths send the same few statements thousands of times. A statement
 * naming its columns with `*` is left unnamed (a migration adding a column would change what a
 * prepared `SELECT *` returns), and the names are capped so generated SQL cannot grow them forever.
 */
class PreparedNames {
  private readonly names = new Map<string, string>()
  constructor(private readonly cap = 500) {}

  config(sql: string, params: unknown[]): pg.QueryConfig {
    if (params.length === 0 || sql.includes('*')) return { text: sql, values: params }
    let name = this.names.get(sql)
    if (name === undefined) {
      if (this.names.size >= this.cap) return { text: sql, values: params }
      name = `hrsync_${this.names.size + 1}`
      this.names.set(sql, name)
    }
    return { name, text: sql, values: params }
  }
}

const TRANSACTION_ATTEMPTS = 3
/** class 08 (connection exception), 57P01–57P03 (terminated, shut down, cannot connect now) */
const CONNECTION_LOST = /^(08|57P0[123])/

function isConnectionLoss(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return (
    (typeof code === 'string' && CONNECTION_LOST.test(code)) ||
    (typeof message === 'string' && /^Connection terminated/.test(message))
  )
}

async function runTransaction<T>(
  pool: pg.Pool,
  prepared: PreparedNames,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  const watch = watchClient(client)
  try {
    await client.query('BEGIN')
    const value = await fn({
      query: async <R>(sql: string, params: unknown[] = []) =>
        (await client.query(prepared.config(sql, params))).rows as R[],
      exec: async (sql: string) => {
        await client.query(sql)
      },
    })
    await client.query('COMMIT')
    return value
  } catch (error) {
    // the error that failed the transaction is the one to report; a ROLLBACK fails only on a lost
    // connection, and PostgreSQL rolls back what a lost connection left open
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    watch.release()
  }
}

/** Opens PostgreSQL through a pg pool; every connection uses `schema` when given. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) {
    throw new Error(`invalid schema name "${options.schema}"`)
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  })
  // an idle client losing its connection must not crash the process
  pool.on('error', () => {})
  // nor one just handed out: a connection cut as it opens can emit 'error' before the code that
  // checked it out listens; the statements it runs fail on their own
  pool.on('connect', (client) => client.on('error', () => {}))
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`)
  const prepared = new PreparedNames()
  const presence = new Presence({ connectionString: options.connectionString })

  const db: Database = {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await pool.query(prepared.config(sql, params))
      return result.rows as T[]
    },
    async exec(sql) {
      await pool.query(sql)
    },
    async transaction(fn) {
      // a transaction cut off by a lost connection was rolled back by the server: run it again
      for (let attempt = 1; ; attempt++) {
        try {
          return await runTransaction(pool, prepared, fn)
        } catch (error) {
          if (attempt >= TRANSACTION_ATTEMPTS || !isConnectionLoss(error)) throw error
        }
      }
    },
    withExclusiveLock(key, fn) {
      return withLease(db, key, fn, { presence })
    },
    async close() {
      await presence.close()
      await pool.end()
    },
  }
  return db
}

/** Opens the embedded PGlite database in `dataDir` (created when missing), or in memory when undefined. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite')
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const db = await PGlite.create(dataDir)
  // PGlite is one connection: a queue keeps a transaction's statements from interleaving with others
  let tail: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    // the queue only orders statements: the caller awaits `run` and sees its error there
    tail = run.catch(() => {})
    return run
  }
  return {
    kind: 'pglite',
    query<T>(sql: string, params: unknown[] = []) {
      return serial(async () => (await db.query<T>(sql, params)).rows)
    },
    exec(sql) {
      return serial(async () => {
        await db.exec(sql)
      })
    },
    transaction(fn) {
      return serial(() =>
        db.transaction((tx) =>
          fn({
            query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
            exec: async (sql: string) => {
              await tx.exec(sql)
            },
          }),
        ),
      )
    },
    // one process owns an embedded database, so the in-process lock of the caller is the whole story
    async withExclusiveLock(_key, fn) {
      return { acquired: true, value: await fn(PROCESS_LEASE) }
    },
    async close() {
      await db.close()
    },
  }
}

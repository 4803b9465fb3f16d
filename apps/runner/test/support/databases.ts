import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type Database, openDatabase, type Queryable } from '../../src/store/index.js'

export const POSTGRES_URL =
  process.env.HRSYNC_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test'

let reachable: Promise<boolean> | undefined

/** Whether the test PostgreSQL answers; in CI it must, elsewhere its tests are skipped with a notice. */
export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.query('SELECT 1')
      return true
    } catch (error) {
      if (process.env.CI) throw new Error(`PostgreSQL at ${POSTGRES_URL} is required in CI: ${String(error)}`)
      console.warn(
        `PostgreSQL at ${POSTGRES_URL} is unreachable: skipping the PostgreSQL variant of these tests`,
      )
      return false
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return reachable
}

/** A fresh schema name, so concurrent test runs on one database never meet. */
export function freshSchema(): string {
  return `hrsync_test_${randomBytes(6).toString('hex')}`
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
  } finally {
    await client.end()
  }
}

export interface TestDatabase {
  db: Database
  /** set on PostgreSQL: the schema the database lives in */
  schema?: string
  close(): Promise<void>
}

export type Engine = 'pglite' | 'postgres'
export const ENGINES: Engine[] = ['pglite', 'postgres']

/** Opens a migrated database of the engine; on PostgreSQL in a schema of its own, dropped on close. */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const db = await openDatabase({ inMemory: true })
    return { db, close: () => db.close() }
  }
  const schema = freshSchema()
  const db = await openDatabase({ databaseUrl: POSTGRES_URL, schema })
  return {
    db,
    schema,
    async close() {
      await db.close()
      await dropSchema(schema)
    },
  }
}

/** `q` with its statements counted: `counted.q` runs them, `counted.statements` says how many so far. */
export function countStatements<Q extends Queryable>(q: Q): { q: Q; statements: number } {
  const counted = {
    statements: 0,
    q: {
      ...q,
      query: <T>(sql: string, params?: unknown[]) => {
        counted.statements++
        return q.query<T>(sql, params)
      },
    } as Q,
  }
  return counted
}

import { join } from 'node:path'
import { type Database, openPglite, openPostgres } from './db.js'
import { migrate } from './migrate.js'

export * from './apply.js'
export * from './claims.js'
export * from './companies.js'
export * from './db.js'
export * from './directory.js'
export * from './events.js'
export * from './integrations.js'
export * from './keys.js'
export * from './leases.js'
export * from './migrate.js'
export * from './mirror.js'
export * from './rate-limits.js'
export * from './runs.js'
export * from './secrets.js'
export * from './webhook-endpoints.js'

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite database is used */
  databaseUrl?: string | undefined
  /** PostgreSQL schema (created when missing) */
  schema?: string | undefined
  /** folder of the embedded database; undefined with `inMemory` */
  dataDir?: string | undefined
  inMemory?: boolean
}

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.databaseUrl
    ? await openPostgres({ connectionString: options.databaseUrl, schema: options.schema })
    : await openPglite(options.inMemory || !options.dataDir ? undefined : join(options.dataDir, 'db'))
  try {
    await migrate(db)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

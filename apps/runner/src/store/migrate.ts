import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Database } from './db.js'

/** The package's migrations folder, the same from src/ and dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

/**
 * Applies every migration file not yet recorded in `schema_migrations`, in name order, each in its
 * own transaction. Replicas starting together wait on one lock, so each file runs once.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  )
  const applied: string[] = []
  for (const name of files) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['hrsync:migrate'])
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name])
      if (seen.length > 0) return false
      await tx.exec(readFileSync(`${dir}/${name}`, 'utf8'))
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name])
      return true
    })
    if (done) applied.push(name)
  }
  return applied
}

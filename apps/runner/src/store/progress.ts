import type { Queryable } from './db.js'
import { iso } from './rows.js'

/** How far a running pull got: pages and people read so far, of how many when the vendor said. */
export interface SyncProgress {
  pages: number
  people: number
  totalPeople: number | null
  startedAt: string
  updatedAt: string
}

interface ProgressRow {
  pages: number
  people: number
  total_people: number | null
  started_at: unknown
  updated_at: unknown
}

export async function saveProgress(
  q: Queryable,
  integrationId: string,
  progress: SyncProgress,
): Promise<void> {
  await q.query(
    `INSERT INTO sync_progress (integration_id, pages, people, total_people, started_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (integration_id) DO UPDATE SET pages = $2, people = $3, total_people = $4,
       started_at = $5, updated_at = $6`,
    [
      integrationId,
      progress.pages,
      progress.people,
      progress.totalPeople,
      progress.startedAt,
      progress.updatedAt,
    ],
  )
}

/** The progress another replica (or this one) last wrote, if it wrote since `freshSince`. */
export async function readProgress(
  q: Queryable,
  integrationId: string,
  freshSince: Date,
): Promise<SyncProgress | null> {
  const [row] = await q.query<ProgressRow>(
    'SELECT * FROM sync_progress WHERE integration_id = $1 AND updated_at >= $2',
    [integrationId, freshSince],
  )
  if (!row) return null
  return {
    pages: row.pages,
    people: row.people,
    totalPeople: row.total_people,
    startedAt: iso(row.started_at) as string,
    updatedAt: iso(row.updated_at) as string,
  }
}

export async function clearProgress(q: Queryable, integrationId: string): Promise<void> {
  await q.query('DELETE FROM sync_progress WHERE integration_id = $1', [integrationId])
}

/**
 * The pulls cut off with their replica (a crash, a deploy that did not wait): nobody wrote their progress
 * since `staleBefore`. Their rows go and their integrations fall due at `now`, so such a sync runs again
 * within minutes instead of a cycle later. Returns the integrations made due.
 */
export async function reclaimCutSyncs(q: Queryable, staleBefore: Date, now: Date): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `WITH cut AS (DELETE FROM sync_progress WHERE updated_at < $1 RETURNING integration_id)
     UPDATE integrations SET next_sync_at = $2
      WHERE id IN (SELECT integration_id FROM cut) AND status = 'connected' AND mode = 'pull'
     RETURNING id`,
    [staleBefore, now],
  )
  return rows.map((row) => row.id)
}

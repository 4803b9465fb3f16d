import type { Queryable } from './db.js'

/**
 * Gives back a scheduler's claim on an integration whose sync could not run (the database went
 * away, say): it becomes due at `retryAt` for any replica to claim again. Only the claim itself is
 * given back: once a sync has finished or the integration was claimed again, nothing changes.
 */
export async function releaseClaim(
  q: Queryable,
  integrationId: string,
  claim: Date,
  retryAt: Date,
): Promise<boolean> {
  const rows = await q.query<{ id: string }>(
    `UPDATE integrations SET next_sync_at = $3
     WHERE id = $1 AND next_sync_at = $2 AND status = 'connected' RETURNING id`,
    [integrationId, claim, retryAt],
  )
  return rows.length > 0
}

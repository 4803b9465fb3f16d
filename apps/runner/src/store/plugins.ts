import type { Queryable } from './db.js'

/** The connected integrations that sync through a connector: what removing its plugin would break. */
export async function connectedIntegrationsOf(q: Queryable, connectorId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    "SELECT id FROM integrations WHERE connector_id = $1 AND status = 'connected' ORDER BY created_at, id",
    [connectorId],
  )
  return rows.map((row) => row.id)
}

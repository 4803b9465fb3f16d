import type { Queryable } from './db.js'
import type { Actor } from './keys.js'
import { BATCH_ROWS, iso, json, toJson } from './rows.js'
import { enqueueEndpointDeliveries } from './webhook-endpoints.js'

/** One entry of the append-only audit log. */
export interface HrsyncEvent {
  id: number
  companyId: string
  integrationId: string | null
  type: string
  payload: Record<string, unknown>
  /** who made the change through the admin API; null for what the sync or SCIM did */
  actor: Actor | null
  createdAt: string
}

export interface EventRow {
  id: string | number
  company_id: string
  integration_id: string | null
  type: string
  payload: unknown
  actor?: unknown
  created_at: unknown
}

export function eventFromRow(row: EventRow): HrsyncEvent {
  return {
    id: Number(row.id),
    companyId: row.company_id,
    integrationId: row.integration_id,
    type: row.type,
    payload: json<Record<string, unknown>>(row.payload),
    actor: row.actor ? json<Actor>(row.actor) : null,
    createdAt: iso(row.created_at)!,
  }
}

export interface NewEvent {
  companyId: string
  integrationId: string | null
  type: string
  payload: Record<string, unknown>
  actor?: Actor | null
}

/**
 * Appends events in order; with `outbox` each also gets a pending delivery to the operator's webhook,
 * and every company endpoint that wants it one of its own, in the same transaction, so an event
 * committed is an event delivered eventually.
 */
export async function appendEvents(
  q: Queryable,
  events: NewEvent[],
  outbox: boolean,
): Promise<HrsyncEvent[]> {
  const out: HrsyncEvent[] = []
  // Many rows per statement: a first sync records thousands of events. Ids follow the given order.
  for (let start = 0; start < events.length; start += BATCH_ROWS) {
    const batch = events.slice(start, start + BATCH_ROWS)
    const rows = await q.query<EventRow>(
      `INSERT INTO events (company_id, integration_id, type, payload, actor)
       SELECT company_id, integration_id, type, payload::jsonb, actor::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
         AS new_event(company_id, integration_id, type, payload, actor, position)
       ORDER BY position
       RETURNING *`,
      [
        batch.map((event) => event.companyId),
        batch.map((event) => event.integrationId),
        batch.map((event) => event.type),
        batch.map((event) => toJson(event.payload)),
        batch.map((event) => toJson(event.actor)),
      ],
    )
    const inserted = rows.map(eventFromRow).sort((a, b) => a.id - b.id)
    if (outbox) {
      await q.query('INSERT INTO webhook_deliveries (event_id) SELECT unnest($1::bigint[])', [
        inserted.map((event) => event.id),
      ])
    }
    await enqueueEndpointDeliveries(
      q,
      inserted.map((event) => event.id),
    )
    out.push(...inserted)
  }
  return out
}

export async function listEvents(
  q: Queryable,
  companyId: string,
  options: { after?: number; limit?: number; type?: string } = {},
): Promise<HrsyncEvent[]> {
  const rows = await q.query<EventRow>(
    `SELECT * FROM events WHERE company_id = $1 AND id > $2 AND ($3::text IS NULL OR type = $3)
     ORDER BY id LIMIT $4`,
    [companyId, options.after ?? 0, options.type ?? null, options.limit ?? 100],
  )
  return rows.map(eventFromRow)
}

export interface WebhookDelivery {
  eventId: number
  status: 'pending' | 'delivered'
  attempts: number
  nextAttemptAt: string
  lastStatus: number | null
  lastError: string | null
  deliveredAt: string | null
}

interface DeliveryRow {
  event_id: string | number
  status: 'pending' | 'delivered'
  attempts: number
  next_attempt_at: unknown
  last_status: number | null
  last_error: string | null
  delivered_at: unknown
}

function deliveryFromRow(row: DeliveryRow): WebhookDelivery {
  return {
    eventId: Number(row.event_id),
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at)!,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
  }
}

/** The oldest undelivered event: deliveries go strictly in event order. */
export async function nextPendingDelivery(
  q: Queryable,
): Promise<{ delivery: WebhookDelivery; event: HrsyncEvent } | null> {
  const [row] = await q.query<DeliveryRow & { event: unknown }>(
    `SELECT d.*, row_to_json(e) AS event FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
     WHERE d.status = 'pending' ORDER BY d.event_id LIMIT 1`,
  )
  if (!row) return null
  return { delivery: deliveryFromRow(row), event: eventFromRow(json<EventRow>(row.event)) }
}

export async function recordDeliveryAttempt(
  q: Queryable,
  eventId: number,
  outcome:
    | { delivered: true; status: number }
    | { delivered: false; status: number | null; error: string; retryAt: Date },
): Promise<void> {
  if (outcome.delivered) {
    await q.query(
      `UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2,
         last_error = NULL, delivered_at = now() WHERE event_id = $1`,
      [eventId, outcome.status],
    )
  } else {
    await q.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
         next_attempt_at = $4 WHERE event_id = $1`,
      [eventId, outcome.status, outcome.error, outcome.retryAt],
    )
  }
}

export async function listDeliveries(q: Queryable, limit = 100): Promise<WebhookDelivery[]> {
  const rows = await q.query<DeliveryRow>(
    'SELECT * FROM webhook_deliveries ORDER BY event_id DESC LIMIT $1',
    [limit],
  )
  return rows.map(deliveryFromRow)
}

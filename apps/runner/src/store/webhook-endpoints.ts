import type { Queryable } from './db.js'
import { eventFromRow, type HrsyncEvent } from './events.js'
import { iso, json, newId } from './rows.js'
import { type SecretBox, UnsealError } from './secrets.js'

/** A company's webhook endpoint as the API shows it: never its secrets. */
export interface WebhookEndpoint {
  id: string
  companyId: string
  url: string
  /** the event types delivered; null: every type */
  eventTypes: string[] | null
  enabled: boolean
  /** while a rotation's overlap lasts, the previous secret signs too, until then */
  previousSecretUntil: string | null
  createdAt: string
  updatedAt: string
}

/** An endpoint with its sealed secrets, for the dispatcher only. */
export interface SealedEndpoint extends WebhookEndpoint {
  secretSealed: string
  previousSecretSealed: string | null
}

interface EndpointRow {
  id: string
  company_id: string
  url: string
  event_types: string[] | null
  enabled: boolean
  secret_sealed: string
  previous_secret_sealed: string | null
  previous_secret_until: unknown
  created_at: unknown
  updated_at: unknown
}

function endpointFromRow(row: EndpointRow): SealedEndpoint {
  return {
    id: row.id,
    companyId: row.company_id,
    url: row.url,
    eventTypes: row.event_types,
    enabled: row.enabled,
    previousSecretUntil: iso(row.previous_secret_until),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
    secretSealed: row.secret_sealed,
    previousSecretSealed: row.previous_secret_sealed,
  }
}

/** What the API may show of an endpoint. */
export function publicEndpoint(endpoint: SealedEndpoint): WebhookEndpoint {
  const { secretSealed: _secret, previousSecretSealed: _previous, ...shown } = endpoint
  return shown
}

export async function insertWebhookEndpoint(
  q: Queryable,
  input: { companyId: string; url: string; eventTypes: string[] | null; secretSealed: string },
): Promise<SealedEndpoint> {
  const [row] = await q.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, company_id, url, event_types, secret_sealed)
     VALUES ($1, $2, $3, $4::text[], $5) RETURNING *`,
    [newId('whk'), input.companyId, input.url, input.eventTypes, input.secretSealed],
  )
  return endpointFromRow(row!)
}

export async function listWebhookEndpoints(q: Queryable, companyId: string): Promise<SealedEndpoint[]> {
  const rows = await q.query<EndpointRow>(
    'SELECT * FROM webhook_endpoints WHERE company_id = $1 ORDER BY created_at, id',
    [companyId],
  )
  return rows.map(endpointFromRow)
}

/** The endpoint, only when it belongs to `companyId`: another company's answers like a missing one. */
export async function getWebhookEndpoint(
  q: Queryable,
  companyId: string,
  id: string,
): Promise<SealedEndpoint | null> {
  const [row] = await q.query<EndpointRow>(
    'SELECT * FROM webhook_endpoints WHERE id = $1 AND company_id = $2',
    [id, companyId],
  )
  return row ? endpointFromRow(row) : null
}

export async function getWebhookEndpointById(q: Queryable, id: string): Promise<SealedEndpoint | null> {
  const [row] = await q.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1', [id])
  return row ? endpointFromRow(row) : null
}

export async function updateWebhookEndpoint(
  q: Queryable,
  id: string,
  patch: { url?: string; eventTypes?: string[] | null; enabled?: boolean },
): Promise<SealedEndpoint> {
  const [row] = await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET
       url = COALESCE($2, url),
       event_types = CASE WHEN $3 THEN $4::text[] ELSE event_types END,
       enabled = COALESCE($5, enabled),
       updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, patch.url ?? null, patch.eventTypes !== undefined, patch.eventTypes ?? null, patch.enabled ?? null],
  )
  return endpointFromRow(row!)
}

/** The new secret signs from now on; the current one keeps signing until `previousUntil`. */
export async function rotateWebhookSecret(
  q: Queryable,
  id: string,
  input: { secretSealed: string; previousUntil: Date },
): Promise<SealedEndpoint> {
  const [row] = await q.query<EndpointRow>(
    `UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_secret_until = $3,
       secret_sealed = $2, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [id, input.secretSealed, input.previousUntil],
  )
  return endpointFromRow(row!)
}

export async function deleteWebhookEndpoint(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM webhook_endpoints WHERE id = $1', [id])
}

/**
 * The outbox of the company endpoints: every endpoint of the event's company that is enabled and
 * wants its type gets a pending delivery, in the event's own transaction, so none is skipped.
 */
export async function enqueueEndpointDeliveries(q: Queryable, eventIds: number[]): Promise<void> {
  await q.query(
    `INSERT INTO webhook_endpoint_deliveries (endpoint_id, event_id)
     SELECT w.id, e.id FROM events e
     JOIN webhook_endpoints w ON w.company_id = e.company_id AND w.enabled
       AND (w.event_types IS NULL OR e.type = ANY (w.event_types))
     WHERE e.id = ANY ($1::bigint[])
     ORDER BY e.id, w.id`,
    [eventIds],
  )
}

export interface DeliveryAttempt {
  at: string
  /** the receiver's HTTP status; null when none came (refused address, timeout, network) */
  status: number | null
  durationMs: number
  error: string | null
}

export interface EndpointDelivery {
  id: string
  endpointId: string
  eventId: number
  eventType: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  nextAttemptAt: string | null
  lastStatus: number | null
  lastError: string | null
  deliveredAt: string | null
  createdAt: string
  attemptLog: DeliveryAttempt[]
}

interface DeliveryRow {
  id: string | number
  endpoint_id: string
  event_id: string | number
  event_type: string
  status: EndpointDelivery['status']
  attempts: number
  next_attempt_at: unknown
  last_status: number | null
  last_error: string | null
  delivered_at: unknown
  created_at: unknown
}

interface AttemptRow {
  delivery_id: string | number
  attempted_at: unknown
  status: number | null
  duration_ms: number
  error: string | null
}

function deliveryFromRow(row: DeliveryRow, attempts: AttemptRow[]): EndpointDelivery {
  return {
    id: String(row.id),
    endpointId: row.endpoint_id,
    eventId: Number(row.event_id),
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: iso(row.delivered_at),
    createdAt: iso(row.created_at)!,
    attemptLog: attempts
      .filter((attempt) => String(attempt.delivery_id) === String(row.id))
      .map((attempt) => ({
        at: iso(attempt.attempted_at)!,
        status: attempt.status,
        durationMs: attempt.duration_ms,
        error: attempt.error,
      })),
  }
}

const DELIVERY_SELECT = `SELECT d.*, e.type AS event_type FROM webhook_endpoint_deliveries d
  JOIN events e ON e.id = d.event_id`

/** The endpoint's deliveries, newest first, `limit` of them before the delivery `before`. */
export async function listEndpointDeliveries(
  q: Queryable,
  endpointId: string,
  options: { before: number | null; limit: number },
): Promise<EndpointDelivery[]> {
  const rows = await q.query<DeliveryRow>(
    `${DELIVERY_SELECT} WHERE d.endpoint_id = $1 AND ($2::bigint IS NULL OR d.id < $2)
     ORDER BY d.id DESC LIMIT $3`,
    [endpointId, options.before, options.limit],
  )
  const attempts = await q.query<AttemptRow>(
    'SELECT * FROM webhook_endpoint_attempts WHERE delivery_id = ANY ($1::bigint[]) ORDER BY id',
    [rows.map((row) => row.id)],
  )
  return rows.map((row) => deliveryFromRow(row, attempts))
}

export async function getEndpointDelivery(
  q: Queryable,
  endpointId: string,
  id: string,
): Promise<EndpointDelivery | null> {
  if (!/^\d{1,18}$/.test(id)) return null
  const [row] = await q.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1 AND d.endpoint_id = $2`, [
    id,
    endpointId,
  ])
  if (!row) return null
  const attempts = await q.query<AttemptRow>(
    'SELECT * FROM webhook_endpoint_attempts WHERE delivery_id = $1 ORDER BY id',
    [row.id],
  )
  return deliveryFromRow(row, attempts)
}

/** A redelivery: a new pending delivery of the same event, with its own attempts. */
export async function insertRedelivery(q: Queryable, endpointId: string, eventId: number): Promise<string> {
  const [row] = await q.query<{ id: string | number }>(
    'INSERT INTO webhook_endpoint_deliveries (endpoint_id, event_id) VALUES ($1, $2) RETURNING id',
    [endpointId, eventId],
  )
  return String(row!.id)
}

/** What the dispatcher sends next: per enabled endpoint, its oldest pending delivery (in order). */
export interface DueDelivery {
  id: string
  endpointId: string
  attempts: number
  nextAttemptAt: Date
  event: HrsyncEvent
}

export async function nextEndpointDeliveries(q: Queryable, limit: number): Promise<DueDelivery[]> {
  const rows = await q.query<{
    id: string | number
    endpoint_id: string
    attempts: number
    next_attempt_at: unknown
    event: unknown
  }>(
    `SELECT head.*, row_to_json(e) AS event FROM (
       SELECT DISTINCT ON (d.endpoint_id) d.id, d.endpoint_id, d.attempts, d.next_attempt_at, d.event_id
       FROM webhook_endpoint_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
       WHERE d.status = 'pending' ORDER BY d.endpoint_id, d.id
     ) head JOIN events e ON e.id = head.event_id
     ORDER BY head.next_attempt_at LIMIT $1`,
    [limit],
  )
  return rows.map((row) => ({
    id: String(row.id),
    endpointId: row.endpoint_id,
    attempts: row.attempts,
    nextAttemptAt: new Date(iso(row.next_attempt_at)!),
    event: eventFromRow(json(row.event)),
  }))
}

/** Logs one attempt and moves the delivery on: delivered, retried at `retryAt`, or failed for good. */
export async function recordEndpointAttempt(
  q: Queryable,
  deliveryId: string,
  attempt: { status: number | null; durationMs: number; error: string | null },
  outcome: { state: 'delivered' } | { state: 'retry'; retryAt: Date } | { state: 'failed' },
): Promise<void> {
  await q.query(
    'INSERT INTO webhook_endpoint_attempts (delivery_id, status, duration_ms, error) VALUES ($1, $2, $3, $4)',
    [deliveryId, attempt.status, attempt.durationMs, attempt.error],
  )
  await q.query(
    `UPDATE webhook_endpoint_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
       status = $4, next_attempt_at = COALESCE($5, next_attempt_at),
       delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE NULL END
     WHERE id = $1`,
    [
      deliveryId,
      attempt.status,
      attempt.error,
      outcome.state === 'retry' ? 'pending' : outcome.state,
      outcome.state === 'retry' ? outcome.retryAt : null,
    ],
  )
}

/**
 * At start, like integration configs: secrets sealed with an older key are sealed again with the
 * current one, so the older key can go. One that cannot be opened is left for its key to come back.
 */
export async function resealWebhookSecrets(
  q: Queryable,
  box: SecretBox,
): Promise<{ resealed: number; unreadable: number }> {
  const rows = await q.query<{ id: string; secret_sealed: string; previous_secret_sealed: string | null }>(
    'SELECT id, secret_sealed, previous_secret_sealed FROM webhook_endpoints',
  )
  const outcome = { resealed: 0, unreadable: 0 }
  const reseal = (sealed: string | null) =>
    sealed === null || !box.isStale(sealed) ? sealed : box.seal(box.open(sealed))
  for (const row of rows) {
    if (
      !box.isStale(row.secret_sealed) &&
      !(row.previous_secret_sealed && box.isStale(row.previous_secret_sealed))
    )
      continue
    try {
      await q.query(
        'UPDATE webhook_endpoints SET secret_sealed = $2, previous_secret_sealed = $3 WHERE id = $1',
        [row.id, reseal(row.secret_sealed), reseal(row.previous_secret_sealed)],
      )
      outcome.resealed++
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error
      outcome.unreadable++
    }
  }
  return outcome
}

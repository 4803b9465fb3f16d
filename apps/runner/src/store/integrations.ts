import type { TeamPreview } from '@hrsync/core'
import { HR_PLANS } from './companies.js'
import type { Queryable } from './db.js'
import { iso, json, newId, toJson } from './rows.js'
import { type SecretBox, UnsealError } from './secrets.js'

export type TeamSyncState = 'off' | 'setup' | 'on'

export interface Integration {
  id: string
  companyId: string
  connectorId: string
  mode: 'pull' | 'push'
  status: 'connected' | 'disconnected'
  consecutiveFailures: number
  needsAttention: boolean
  attentionReason: string | null
  teamSync: TeamSyncState
  /** its first sync is planned and waits for an admin to confirm it (a pull connected without autoApply) */
  inReview: boolean
  /** when an admin last replaced the connection settings; null when they are as connected */
  configChangedAt: string | null
  lastSyncAt: string | null
  lastSyncStatus: 'succeeded' | 'failed' | null
  nextSyncAt: string | null
  createdAt: string
  disconnectedAt: string | null
}

interface IntegrationRow {
  id: string
  company_id: string
  connector_id: string
  mode: 'pull' | 'push'
  config_encrypted: string
  status: 'connected' | 'disconnected'
  consecutive_failures: number
  needs_attention: boolean
  attention_reason: string | null
  team_sync: TeamSyncState
  team_sync_preview: unknown
  in_review: boolean
  config_changed_at: unknown
  scim_token_hash: string | null
  last_sync_at: unknown
  last_sync_status: 'succeeded' | 'failed' | null
  next_sync_at: unknown
  created_at: unknown
  disconnected_at: unknown
}

function fromRow(row: IntegrationRow): Integration {
  return {
    id: row.id,
    companyId: row.company_id,
    connectorId: row.connector_id,
    mode: row.mode,
    status: row.status,
    consecutiveFailures: row.consecutive_failures,
    needsAttention: row.needs_attention,
    attentionReason: row.attention_reason,
    teamSync: row.team_sync,
    inReview: row.in_review,
    configChangedAt: iso(row.config_changed_at),
    lastSyncAt: iso(row.last_sync_at),
    lastSyncStatus: row.last_sync_status,
    nextSyncAt: iso(row.next_sync_at),
    createdAt: iso(row.created_at)!,
    disconnectedAt: iso(row.disconnected_at),
  }
}

/** Failed runs in a row after which an integration needs an admin (R5). */
export const NEEDS_ATTENTION_AFTER = 8

export async function createIntegration(
  q: Queryable,
  box: SecretBox,
  fields: {
    companyId: string
    connectorId: string
    mode: 'pull' | 'push'
    config: Record<string, unknown>
    nextSyncAt: Date | null
    scimTokenHash?: string
    inReview?: boolean
  },
): Promise<Integration> {
  const [row] = await q.query<IntegrationRow>(
    `INSERT INTO integrations (id, company_id, connector_id, mode, config_encrypted, status, next_sync_at, scim_token_hash, in_review)
     VALUES ($1, $2, $3, $4, $5, 'connected', $6, $7, $8) RETURNING *`,
    [
      newId('int'),
      fields.companyId,
      fields.connectorId,
      fields.mode,
      box.seal(fields.config),
      fields.nextSyncAt,
      fields.scimTokenHash ?? null,
      fields.inReview ?? false,
    ],
  )
  return fromRow(row!)
}

export async function getIntegration(q: Queryable, id: string): Promise<Integration | null> {
  const [row] = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1', [id])
  return row ? fromRow(row) : null
}

/** Locks the integration's row until the transaction ends; syncs of one integration queue here. */
export async function lockIntegration(q: Queryable, id: string): Promise<Integration | null> {
  const [row] = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1 FOR UPDATE', [id])
  return row ? fromRow(row) : null
}

export async function connectedIntegration(q: Queryable, companyId: string): Promise<Integration | null> {
  const [row] = await q.query<IntegrationRow>(
    "SELECT * FROM integrations WHERE company_id = $1 AND status = 'connected'",
    [companyId],
  )
  return row ? fromRow(row) : null
}

export async function listIntegrations(q: Queryable, companyId: string): Promise<Integration[]> {
  const rows = await q.query<IntegrationRow>(
    'SELECT * FROM integrations WHERE company_id = $1 ORDER BY created_at, id',
    [companyId],
  )
  return rows.map(fromRow)
}

/** The decrypted connector config: only the sync and the connection check ever read it. */
export async function integrationConfig(
  q: Queryable,
  box: SecretBox,
  id: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await q.query<{ config_encrypted: string }>(
    'SELECT config_encrypted FROM integrations WHERE id = $1',
    [id],
  )
  return row ? box.open<Record<string, unknown>>(row.config_encrypted) : null
}

/** Merges credentials the vendor rotated during a pull (e.g. a new refresh token) into the sealed config. */
export async function updateIntegrationCredentials(
  q: Queryable,
  box: SecretBox,
  id: string,
  changes: Record<string, string>,
): Promise<void> {
  const current = await integrationConfig(q, box, id)
  if (!current) return
  await q.query('UPDATE integrations SET config_encrypted = $2 WHERE id = $1', [
    id,
    box.seal({ ...current, ...changes }),
  ])
}

/**
 * Replaces the connection settings an admin changed. A first sync in review is due again, so the
 * scheduler plans it with the new settings as it did after connecting. Settings this runner could
 * not unseal are readable again: their attention mark goes, as a reseal would remove it.
 */
export async function replaceIntegrationConfig(
  q: Queryable,
  box: SecretBox,
  id: string,
  config: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE integrations SET config_encrypted = $2, config_changed_at = $3,
       next_sync_at = CASE WHEN in_review THEN $3 ELSE next_sync_at END,
       needs_attention = CASE WHEN starts_with(attention_reason, $4) THEN consecutive_failures >= $5
                              ELSE needs_attention END,
       attention_reason = CASE WHEN starts_with(attention_reason, $4) THEN NULL ELSE attention_reason END
     WHERE id = $1`,
    [id, box.seal(config), at, UNREADABLE_CONFIG_REASON, NEEDS_ATTENTION_AFTER],
  )
}

/** A successful run clears the failure count and its mark; an unreadable config stays marked (a push sync never reads it). */
export async function recordSyncSuccess(
  q: Queryable,
  id: string,
  at: Date,
  next: Date | null,
): Promise<void> {
  await q.query(
    `UPDATE integrations SET consecutive_failures = 0,
       needs_attention = coalesce(starts_with(attention_reason, $4), false),
       attention_reason = CASE WHEN starts_with(attention_reason, $4) THEN attention_reason END,
       last_sync_at = $2, last_sync_status = 'succeeded', next_sync_at = $3 WHERE id = $1`,
    [id, at, next, UNREADABLE_CONFIG_REASON],
  )
}

/** Counts a failed run; at the threshold the integration is marked as needing attention, with the reason. */
export async function recordSyncFailure(
  q: Queryable,
  id: string,
  reason: string,
  at: Date,
  next: Date | null,
): Promise<Integration> {
  const [row] = await q.query<IntegrationRow>(
    `UPDATE integrations SET consecutive_failures = consecutive_failures + 1,
       needs_attention = needs_attention OR consecutive_failures + 1 >= $3,
       attention_reason = CASE WHEN consecutive_failures + 1 >= $3 THEN $2 ELSE attention_reason END,
       last_sync_at = $4, last_sync_status = 'failed', next_sync_at = $5
     WHERE id = $1 RETURNING *`,
    [id, reason, NEEDS_ATTENTION_AFTER, at, next],
  )
  return fromRow(row!)
}

export async function setTeamSync(
  q: Queryable,
  id: string,
  state: TeamSyncState,
  preview: TeamPreview | null = null,
): Promise<void> {
  await q.query('UPDATE integrations SET team_sync = $2, team_sync_preview = $3::jsonb WHERE id = $1', [
    id,
    state,
    toJson(preview),
  ])
}

export async function teamSyncPreview(q: Queryable, id: string): Promise<TeamPreview | null> {
  const [row] = await q.query<{ team_sync_preview: unknown }>(
    'SELECT team_sync_preview FROM integrations WHERE id = $1',
    [id],
  )
  return row?.team_sync_preview ? json<TeamPreview>(row.team_sync_preview) : null
}

export async function markDisconnected(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE integrations SET status = 'disconnected', disconnected_at = $2, next_sync_at = NULL,
       team_sync = 'off', team_sync_preview = NULL, scim_token_hash = NULL WHERE id = $1`,
    [id, at],
  )
}

/**
 * Claims the pull integrations due at `now`: each claimed row's next sync moves to `next(id)` in
 * the same statement, so two schedulers on one database never claim the same cycle twice.
 */
export async function claimDueIntegrations(
  q: Queryable,
  now: Date,
  leaseUntil: Date,
  limit = 50,
): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `UPDATE integrations SET next_sync_at = $2
     WHERE id IN (
       SELECT id FROM integrations
       WHERE status = 'connected' AND mode = 'pull' AND next_sync_at <= $1
         AND company_id IN (SELECT id FROM companies WHERE plan = ANY($4::text[]))
       ORDER BY next_sync_at LIMIT $3 FOR UPDATE SKIP LOCKED
     ) RETURNING id`,
    // a company paused by its plan is skipped and stays due: it syncs as soon as it is upgraded
    [now, leaseUntil, limit, HR_PLANS],
  )
  return rows.map((row) => row.id)
}

/** How the attention reason of an integration whose config cannot be unsealed begins. */
export const UNREADABLE_CONFIG_REASON =
  'The connection settings cannot be decrypted with the keys of this runner'

/** The attention reason for a config `error` kept from being opened; names the key id, never a key. */
export function unreadableConfigReason(error: UnsealError): string {
  const restore =
    error.keyId === null
      ? 'connect the integration again'
      : `restore the key with id ${error.keyId} (HRSYNC_SECRET_KEY_PREVIOUS or the key file's .previous) or connect the integration again`
  return `${UNREADABLE_CONFIG_REASON} (${error.message}): ${restore}.`
}

export interface ResealOutcome {
  /** configs sealed again with the current key */
  resealed: number
  /** integrations newly flagged because their config cannot be unsealed, with the reason */
  flagged: Array<{ id: string; companyId: string; reason: string }>
  /** integrations whose config cannot be unsealed, flagged now or before */
  unreadable: number
}

/**
 * Seals again every config sealed with an older key. A config that cannot be unsealed flags its
 * integration as needing attention and is left as it is; one readable again loses that flag.
 */
export async function resealConfigs(q: Queryable, box: SecretBox): Promise<ResealOutcome> {
  const rows = await q.query<{
    id: string
    company_id: string
    config_encrypted: string
    attention_reason: string | null
  }>('SELECT id, company_id, config_encrypted, attention_reason FROM integrations')
  const outcome: ResealOutcome = { resealed: 0, flagged: [], unreadable: 0 }
  for (const row of rows) {
    let config: unknown
    try {
      config = box.open(row.config_encrypted)
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error
      outcome.unreadable++
      const reason = unreadableConfigReason(error)
      if (row.attention_reason === reason) continue
      await q.query('UPDATE integrations SET needs_attention = true, attention_reason = $2 WHERE id = $1', [
        row.id,
        reason,
      ])
      outcome.flagged.push({ id: row.id, companyId: row.company_id, reason })
      continue
    }
    if (row.attention_reason?.startsWith(UNREADABLE_CONFIG_REASON)) {
      await q.query(
        `UPDATE integrations SET attention_reason = NULL, needs_attention = consecutive_failures >= $2
         WHERE id = $1`,
        [row.id, NEEDS_ATTENTION_AFTER],
      )
    }
    if (!box.isStale(row.config_encrypted)) continue
    await q.query('UPDATE integrations SET config_encrypted = $2 WHERE id = $1', [row.id, box.seal(config)])
    outcome.resealed++
  }
  return outcome
}

/** How many integration configs are sealed in the database, readable or not. */
export async function sealedConfigCount(q: Queryable): Promise<number> {
  // webhook endpoint secrets are sealed with the same key
  const [row] = await q.query<{ count: number | string }>(
    'SELECT (SELECT count(*) FROM integrations) + (SELECT count(*) FROM webhook_endpoints) AS count',
  )
  return Number(row?.count ?? 0)
}

/** A plan shown for review: nothing more is scheduled until an admin confirms it. */
export async function reviewPlanned(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE integrations SET next_sync_at = NULL WHERE id = $1 AND in_review', [id])
}

/** The admin confirmed the first sync: from now on it syncs like any other. */
export async function endReview(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE integrations SET in_review = false WHERE id = $1', [id])
}

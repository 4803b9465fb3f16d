import { createHash, randomBytes } from 'node:crypto'
import type { Queryable } from './db.js'
import { iso, json, newId, toJson } from './rows.js'

/**
 * Who made a write: the admin key of the request, and the app user the app says acted (the
 * `Hrsync-Acting-User` header), when it says so. Stored with events, runs and decisions.
 */
export interface Actor {
  keyId: string
  userId: string | null
}

export type KeyKind = 'operator' | 'company'

/** An admin API key as listed: never the key itself, only its prefix. */
export interface ApiKey {
  id: string
  kind: KeyKind
  /** the one company a company key opens; null for an operator key */
  companyId: string | null
  name: string
  /** the key's first characters, to tell keys apart */
  prefix: string
  createdBy: Actor | null
  createdAt: string
  revokedAt: string | null
}

/** The id of the environment's admin token (HRSYNC_ADMIN_TOKEN), an operator key kept nowhere. */
export const ADMIN_TOKEN_KEY_ID = 'admin-token'

interface KeyRow {
  id: string
  kind: KeyKind
  company_id: string | null
  name: string
  prefix: string
  created_by: unknown
  created_at: unknown
  revoked_at: unknown
}

function fromRow(row: KeyRow): ApiKey {
  return {
    id: row.id,
    kind: row.kind,
    companyId: row.company_id,
    name: row.name,
    prefix: row.prefix,
    createdBy: row.created_by ? json<Actor>(row.created_by) : null,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
  }
}

/** Keys carry 256 random bits, so one SHA-256 (no salt, no stretching) is enough to keep only a fingerprint. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

const PREFIX_LENGTH = 16

/** Creates a key: the stored record, and the key itself, which is never kept or shown again. */
export async function createApiKey(
  q: Queryable,
  fields: { kind: KeyKind; companyId: string | null; name: string; createdBy: Actor | null },
): Promise<{ key: string; apiKey: ApiKey }> {
  const key = `hrsync_${fields.kind === 'operator' ? 'op' : 'co'}_${randomBytes(32).toString('base64url')}`
  const [row] = await q.query<KeyRow>(
    `INSERT INTO api_keys (id, kind, company_id, name, prefix, key_hash, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING *`,
    [
      newId('key'),
      fields.kind,
      fields.companyId,
      fields.name,
      key.slice(0, PREFIX_LENGTH),
      hashApiKey(key),
      toJson(fields.createdBy),
    ],
  )
  return { key, apiKey: fromRow(row!) }
}

/** The live (unrevoked) key with this fingerprint, or null. */
export async function apiKeyByHash(q: Queryable, hash: string): Promise<ApiKey | null> {
  const [row] = await q.query<KeyRow>('SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [
    hash,
  ])
  return row ? fromRow(row) : null
}

export async function getApiKey(q: Queryable, id: string): Promise<ApiKey | null> {
  const [row] = await q.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id])
  return row ? fromRow(row) : null
}

export async function listApiKeys(q: Queryable, filter: { companyId?: string } = {}): Promise<ApiKey[]> {
  const rows = await q.query<KeyRow>(
    'SELECT * FROM api_keys WHERE ($1::text IS NULL OR company_id = $1) ORDER BY created_at, id',
    [filter.companyId ?? null],
  )
  return rows.map(fromRow)
}

/** Revokes a key at once; a revoked key stays listed, with when. */
export async function revokeApiKey(q: Queryable, id: string, at: Date): Promise<ApiKey | null> {
  const [row] = await q.query<KeyRow>(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING *',
    [id, at],
  )
  return row ? fromRow(row) : null
}

/** The resources an admin route names by id, each of one company. */
export type OwnedKind = 'company' | 'integration' | 'run' | 'user' | 'team'

const OWNER_SQL: Record<OwnedKind, string> = {
  company: 'SELECT id AS company_id FROM companies WHERE id = $1',
  integration: 'SELECT company_id FROM integrations WHERE id = $1',
  run: 'SELECT company_id FROM sync_runs WHERE id = $1',
  user: 'SELECT company_id FROM users WHERE id = $1',
  team: 'SELECT company_id FROM teams WHERE id = $1',
}

/** The company a resource belongs to, or null when there is no such resource. */
export async function ownerCompany(q: Queryable, kind: OwnedKind, id: string): Promise<string | null> {
  const [row] = await q.query<{ company_id: string }>(OWNER_SQL[kind], [id])
  return row?.company_id ?? null
}

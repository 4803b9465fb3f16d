import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Queryable } from '../store/index.js'

/** A new SCIM bearer token: shown once, stored only as its SHA-256. */
export function newScimToken(): string {
  return `hrsync_scim_${randomBytes(24).toString('base64url')}`
}

export function hashScimToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

function sameHash(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'))
}

/**
 * The connected push integration a SCIM bearer token belongs to: the current token or the one it
 * replaced at the last rotation. The lookup is by hash; the match is confirmed in constant time.
 */
export async function integrationOfScimToken(
  q: Queryable,
  token: string,
): Promise<{ integrationId: string } | null> {
  if (token.length === 0 || token.length > 512) return null
  const hash = hashScimToken(token)
  const rows = await q.query<{
    id: string
    scim_token_hash: string | null
    scim_previous_token_hash: string | null
  }>(
    `SELECT id, scim_token_hash, scim_previous_token_hash FROM integrations
     WHERE status = 'connected' AND mode = 'push' AND (scim_token_hash = $1 OR scim_previous_token_hash = $1)`,
    [hash],
  )
  const found = rows.find(
    (row) => sameHash(row.scim_token_hash, hash) || sameHash(row.scim_previous_token_hash, hash),
  )
  return found ? { integrationId: found.id } : null
}

/** Makes `hash` the current token; the current one stays valid as the previous until the next rotation. */
export async function rotateScimTokenHash(
  q: Queryable,
  integrationId: string,
  hash: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE integrations SET scim_previous_token_hash = scim_token_hash, scim_token_hash = $2
     WHERE id = $1 AND status = 'connected' AND mode = 'push' RETURNING id`,
    [integrationId, hash],
  )
  return rows.length > 0
}

/** Revokes the previous token at once; true when there was one. */
export async function revokePreviousScimTokenHash(q: Queryable, integrationId: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE integrations SET scim_previous_token_hash = NULL
     WHERE id = $1 AND scim_previous_token_hash IS NOT NULL RETURNING id`,
    [integrationId],
  )
  return rows.length > 0
}

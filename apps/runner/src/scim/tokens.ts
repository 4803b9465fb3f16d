import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Queryable } from '../store/index.js'
import { setBounded } from './bounded.js'

/** A new SCIM bearer token: shown once, stored only as its SHA-256. */
export function newScimToken(): string {
  return `hrsync_scim_${randomBytes(24).toString('base64url')}`
}

export function hashScimToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Longer or empty tokens are never ours: refused without a query. */
const plausibleToken = (token: string) => token.length > 0 && token.length <= 512

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
  if (!plausibleToken(token)) return null
  return integrationOfScimTokenHash(q, hashScimToken(token))
}

async function integrationOfScimTokenHash(
  q: Queryable,
  hash: string,
): Promise<{ integrationId: string } | null> {
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

export interface ScimTokenCacheOptions {
  /** how long a found token is taken as valid without asking the database again (default 1,000 ms) */
  ttlMs?: number
  /** tokens remembered at most (default 1,000) */
  maxEntries?: number
  now?: () => number
}

/**
 * SCIM token lookups, remembered for a moment: an identity provider sends its changes in bursts,
 * every request with the same token, and each would otherwise cost a query. Only tokens found are
 * remembered, by hash, for `ttlMs`. Rotating or revoking a token, or disconnecting, forgets the
 * integration's tokens at once on the replica that did it; other replicas notice within `ttlMs`.
 */
export class ScimTokenCache {
  private readonly found = new Map<string, { integrationId: string; until: number }>()
  private readonly ttlMs: number
  private readonly maxEntries: number
  private readonly now: () => number

  constructor(
    private readonly q: Queryable,
    options: ScimTokenCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 1000
    this.maxEntries = options.maxEntries ?? 1000
    this.now = options.now ?? Date.now
  }

  async lookup(token: string): Promise<{ integrationId: string } | null> {
    if (!plausibleToken(token)) return null
    const hash = hashScimToken(token)
    const known = this.found.get(hash)
    if (known !== undefined && known.until > this.now()) return { integrationId: known.integrationId }
    this.found.delete(hash)
    const found = await integrationOfScimTokenHash(this.q, hash)
    if (found !== null) {
      const until = this.now() + this.ttlMs
      setBounded(this.found, hash, { integrationId: found.integrationId, until }, this.maxEntries)
    }
    return found
  }

  /** Forgets every token of `integrationId`: after a rotation, a revocation or a disconnection. */
  forget(integrationId: string): void {
    for (const [hash, known] of this.found) if (known.integrationId === integrationId) this.found.delete(hash)
  }
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

import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  type ApiKey,
  createApiKey,
  getApiKey,
  getCompany,
  listApiKeys,
  revokeApiKey,
} from '../store/index.js'

/**
 * Creates an admin key: an operator key (every company) or, given a company, a company key. The key
 * is in this answer only; hrsync keeps its SHA-256.
 */
export async function createKey(
  ctx: RunnerContext,
  body: { name: string; companyId?: string | null },
  actor: Actor,
): Promise<{ key: string; apiKey: ApiKey }> {
  const companyId = body.companyId ?? null
  if (companyId !== null && !(await getCompany(ctx.db, companyId))) {
    throw new RunnerError('company_not_found', `No company with id ${companyId}`, 404)
  }
  const created = await ctx.db.transaction(async (tx) => {
    const created = await createApiKey(tx, {
      kind: companyId === null ? 'operator' : 'company',
      companyId,
      name: body.name,
      createdBy: actor,
    })
    if (companyId !== null) {
      await ctx.events.append(tx, [
        {
          companyId,
          integrationId: null,
          type: 'api_key.created',
          payload: { keyId: created.apiKey.id, name: body.name, prefix: created.apiKey.prefix },
          actor,
        },
      ])
    }
    return created
  })
  ctx.events.committed()
  return created
}

export function listKeys(ctx: RunnerContext, filter: { companyId?: string }): Promise<ApiKey[]> {
  return listApiKeys(ctx.db, filter)
}

/** Revokes a key at once: its next request answers 401. Revoking twice changes nothing. */
export async function revokeKey(ctx: RunnerContext, keyId: string, actor: Actor): Promise<ApiKey> {
  if (keyId === actor.keyId) {
    throw new RunnerError('own_key', 'A key cannot revoke itself: revoke it with another operator key', 409)
  }
  const revoked = await ctx.db.transaction(async (tx) => {
    const before = await getApiKey(tx, keyId)
    if (!before) throw notFound('key', keyId)
    const revoked = (await revokeApiKey(tx, keyId, ctx.now()))!
    if (before.revokedAt === null && revoked.companyId !== null) {
      await ctx.events.append(tx, [
        {
          companyId: revoked.companyId,
          integrationId: null,
          type: 'api_key.revoked',
          payload: { keyId, name: revoked.name, prefix: revoked.prefix },
          actor,
        },
      ])
    }
    return revoked
  })
  ctx.events.committed()
  return revoked
}

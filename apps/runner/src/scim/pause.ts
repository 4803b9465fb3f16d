import { ScimError, type ScimRoutesOptions } from '@hrsync/scim'
import type { FastifyRequest } from 'fastify'
import { companyPaused } from '../errors.js'
import { companyOfIntegration, pausedBy, type Queryable } from '../store/index.js'

const READS = new Set(['GET', 'HEAD'])

/**
 * A preHandler for the SCIM routes: while a company is paused by its plan, its identity provider's
 * writes are refused with 403 and the reason (reads go on). It runs after SCIM's own token check,
 * and is answered through SCIM's error handler, in SCIM's error format.
 */
export function refuseWritesWhilePaused(q: Queryable, authenticate: ScimRoutesOptions['authenticate']) {
  return async (request: FastifyRequest) => {
    if (READS.has(request.method)) return
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1]
    const found = token ? await authenticate(token) : null
    if (!found) return
    const company = await companyOfIntegration(q, found.integrationId)
    if (company && pausedBy(company) !== null) throw new ScimError(403, null, companyPaused(company).message)
  }
}

import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRouteHookHandler } from 'fastify'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  ADMIN_TOKEN_KEY_ID,
  type ApiKey,
  apiKeyByHash,
  type Database,
  hashApiKey,
  type OwnedKind,
  ownerCompany,
} from '../store/index.js'

/** Who may call a route: anyone, an admin key's holder, or an identity provider with its SCIM token. */
export type Access = 'public' | 'admin' | 'scim'

/**
 * What a company key may do on an admin route. `scoped` (the default): reach the resources of its
 * company that the route's params name; a route whose params name none refuses company keys.
 * `own`: the route limits its answer to the key's company itself (lists, /api/me). `refused`:
 * operator keys only (creating companies, keys, changing a plan).
 */
export type CompanyKeys = 'scoped' | 'own' | 'refused'

/** The key a request came with, and who acted. */
export interface Caller {
  key: Pick<ApiKey, 'id' | 'kind' | 'companyId' | 'name' | 'prefix'>
  actor: Actor
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** declared by every route, or by the scope it is registered in (see `declareAccess`) */
    access?: Access
    companyKeys?: CompanyKeys
  }
  interface FastifyRequest {
    /** set on every admin route once its key is checked (null on public and SCIM routes) */
    caller: Caller | null
  }
}

/** The caller of an admin route (its hook ran, so there is one). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('callerOf: not an admin route')
  return request.caller
}

/** The actor of an admin route's request, for the services that record it. */
export const actorOf = (request: FastifyRequest): Actor => callerOf(request).actor

/** A route as the server registered it, with the access it declared. */
export interface ApiRoute {
  method: string
  url: string
  access: Access | undefined
  /** the route's schema (params, querystring, body), for tests that walk the routes */
  schema: Record<string, unknown> | undefined
}

const tables = new WeakMap<FastifyInstance, ApiRoute[]>()

/**
 * Records every route registered from here on, and refuses to start when one declares no access:
 * a route is never public or admin-only by accident of where its URL points.
 */
export function recordRoutes(app: FastifyInstance): void {
  const options: Parameters<onRouteHookHandler>[0][] = []
  app.addHook('onRoute', (route) => {
    options.push(route)
  })
  app.addHook('onReady', async () => {
    // read once every scope's onRoute hook has run: a scope declares the access of its routes
    const table = options.flatMap((route) =>
      [route.method].flat().map((method) => ({
        method,
        url: route.url,
        access: route.config?.access,
        schema: route.schema as ApiRoute['schema'],
      })),
    )
    const undeclared = table.find((route) => !['public', 'admin', 'scim'].includes(route.access ?? ''))
    if (undeclared)
      throw new Error(`${undeclared.method} ${undeclared.url} declares no access (config.access)`)
    tables.set(app, table)
  })
}

/** The routes of a ready server with their declared access. */
export function routeTable(app: FastifyInstance): readonly ApiRoute[] {
  const table = tables.get(app)
  if (!table) throw new Error('routeTable: the server is not ready')
  return table
}

/** An onRoute hook giving every route of a scope that declared none the scope's access. */
export function declareAccess(access: Access): onRouteHookHandler {
  return (route) => {
    route.config = { ...route.config, access: route.config?.access ?? access }
  }
}

/** The bearer token of a request, or '' */
function bearer(header: string | undefined): string {
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : ''
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(bearer(header))
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The header an app names its own acting user with; optional, recorded with the key. */
export const ACTING_USER_HEADER = 'hrsync-acting-user'
const ACTING_USER = /^[\x21-\x7e]{1,200}$/

export interface ThrottleOptions {
  /** failed authentications one client address may make per window */
  limit: number
  windowMs: number
  now: () => Date
}

export const FAILED_AUTH_THROTTLE = { limit: 20, windowMs: 60_000 }

/** Failed authentications per client address in fixed windows; past the limit the address waits. */
export class FailedAuthThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>()

  constructor(private readonly options: ThrottleOptions) {}

  /** Seconds the address must wait before trying again, or 0. */
  waitSeconds(address: string): number {
    const entry = this.current(address)
    if (!entry || entry.count < this.options.limit) return 0
    return Math.max(1, Math.ceil((entry.since + this.options.windowMs - this.options.now().getTime()) / 1000))
  }

  failed(address: string): void {
    const entry = this.current(address)
    if (entry) entry.count += 1
    else {
      if (this.failures.size >= 10_000) this.forgetExpired()
      this.failures.set(address, { count: 1, since: this.options.now().getTime() })
    }
  }

  private current(address: string): { count: number; since: number } | undefined {
    const entry = this.failures.get(address)
    if (entry && entry.since + this.options.windowMs <= this.options.now().getTime()) {
      this.failures.delete(address)
      return undefined
    }
    return entry
  }

  private forgetExpired(): void {
    for (const address of [...this.failures.keys()]) this.current(address)
  }
}

export interface AdminAuthOptions {
  /** the environment's admin token (HRSYNC_ADMIN_TOKEN): an operator key */
  token: string
  db: Database
  throttle: FailedAuthThrottle
}

/** The key a bearer token is: the environment's admin token, a live key, or null. */
async function keyOf(header: string | undefined, options: AdminAuthOptions): Promise<Caller['key'] | null> {
  if (tokenMatches(header, options.token)) {
    return {
      id: ADMIN_TOKEN_KEY_ID,
      kind: 'operator',
      companyId: null,
      name: 'HRSYNC_ADMIN_TOKEN',
      prefix: '',
    }
  }
  const token = bearer(header)
  if (!token.startsWith('hrsync_')) return null
  return apiKeyByHash(options.db, hashApiKey(token))
}

/**
 * The admin scope's onRequest hook: the route that matched decides, never the URL text. Public
 * routes pass; an address past its failed attempts waits (429) before its key is even looked up.
 * An operator key opens every route; a company key is refused where the route says so (403).
 */
export function adminAuth(options: AdminAuthOptions) {
  const { throttle } = options
  return async (request: FastifyRequest, reply: FastifyReply) => {
    request.caller = null
    const config = request.routeOptions.config
    if (config.access === 'public') return
    const wait = throttle.waitSeconds(request.ip)
    if (wait > 0) {
      return reply
        .status(429)
        .header('retry-after', String(wait))
        .send({
          error: {
            code: 'too_many_failed_attempts',
            message: `Too many requests with a wrong admin key from this address: retry in ${wait} s`,
          },
        })
    }
    const key = await keyOf(request.headers.authorization, options)
    if (!key) {
      throttle.failed(request.ip)
      return reply.status(401).send({
        error: {
          code: 'unauthorized',
          message: 'Send an admin key (or the admin token) as "Authorization: Bearer <key>"',
        },
      })
    }
    const acting = request.headers[ACTING_USER_HEADER]
    if (acting !== undefined && (typeof acting !== 'string' || !ACTING_USER.test(acting))) {
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: `The ${ACTING_USER_HEADER} header names the acting user: 1 to 200 visible ASCII characters`,
        },
      })
    }
    if (key.kind === 'company' && config.companyKeys === 'refused') {
      return reply.status(403).send({
        error: { code: 'operator_key_required', message: 'Only an operator key may do this' },
      })
    }
    request.caller = { key, actor: { keyId: key.id, userId: acting ?? null } }
  }
}

/** Route params that name a resource of one company, and what each names. */
const OWNED_PARAMS: Record<string, OwnedKind> = {
  companyId: 'company',
  id: 'integration',
  runId: 'run',
  userId: 'user',
  teamId: 'team',
}

/**
 * The admin scope's preHandler (params are valid by then): a company key reaches only its company.
 * Another company's resource answers exactly like a missing one (404), so ids leak nothing.
 */
export function companyScope(db: Database) {
  return async (request: FastifyRequest) => {
    const caller = request.caller
    const mode = request.routeOptions.config.companyKeys ?? 'scoped'
    if (!caller || caller.key.kind !== 'company' || mode === 'own') return
    const params = Object.entries((request.params ?? {}) as Record<string, string>).filter(
      ([name]) => name in OWNED_PARAMS,
    )
    if (params.length === 0) {
      throw new RunnerError('operator_key_required', 'Only an operator key may do this', 403)
    }
    for (const [name, value] of params) {
      const kind = OWNED_PARAMS[name]!
      if ((await ownerCompany(db, kind, value)) !== caller.key.companyId) throw notFound(kind, value)
    }
  }
}

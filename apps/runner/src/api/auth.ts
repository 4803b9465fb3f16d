import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRouteHookHandler } from 'fastify'

/** Who may call a route: anyone, the admin token's holder, or an identity provider with its SCIM token. */
export type Access = 'public' | 'admin' | 'scim'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** declared by every route, or by the scope it is registered in (see `declareAccess`) */
    access?: Access
  }
}

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

export function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

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

/**
 * The admin scope's onRequest hook: the route that matched decides, never the URL text. Public
 * routes pass; an address past its failed attempts waits (429) before its token is even compared.
 */
export function adminAuth(token: string, throttle: FailedAuthThrottle) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.access === 'public') return
    const wait = throttle.waitSeconds(request.ip)
    if (wait > 0) {
      return reply
        .status(429)
        .header('retry-after', String(wait))
        .send({
          error: {
            code: 'too_many_failed_attempts',
            message: `Too many requests with a wrong admin token from this address: retry in ${wait} s`,
          },
        })
    }
    if (!tokenMatches(request.headers.authorization, token)) {
      throttle.failed(request.ip)
      return reply.status(401).send({
        error: { code: 'unauthorized', message: 'Send the admin token as "Authorization: Bearer <token>"' },
      })
    }
  }
}

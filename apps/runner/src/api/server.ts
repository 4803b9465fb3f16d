import { timingSafeEqual } from 'node:crypto'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { type ScimRoutesOptions, scimRoutes } from '@hrsync/scim'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { RunnerContext } from '../context.js'
import { nulAt } from '../store/rows.js'
import { registerErrorHandling } from './errors.js'
import { companyRoutes } from './routes/companies.js'
import { healthRoutes } from './routes/health.js'
import { integrationRoutes } from './routes/integrations.js'
import { peopleRoutes } from './routes/people.js'
import { ErrorBody } from './schemas.js'

export interface ApiOptions {
  adminToken: string
  /** fastify's logger: a pino instance or options; false for none */
  logger?: FastifyServerOptions['loggerInstance'] | false
  /** the SCIM 2.0 server for push integrations, mounted at /scim/v2 (its own bearer tokens) */
  scim?: ScimRoutesOptions
}

/** Routes that do not take the admin token: health, the docs, and accepting an invitation. */
function isPublic(url: string): boolean {
  const path = url.split('?')[0] ?? ''
  return (
    path === '/health' ||
    path === '/docs' ||
    path.startsWith('/docs/') ||
    /^\/api\/invitations\/[^/]+\/accept$/.test(path)
  )
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The admin API: one fastify plugin per area, registered here. */
export async function buildApi(ctx: RunnerContext, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  registerErrorHandling(app)
  app.addSchema(ErrorBody)

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'hrsync admin API',
        version: '1',
        description: 'Connect an HR system, see and invite its people, set up team sync, review sync runs.',
      },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ adminToken: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  app.addHook('onRequest', async (request, reply) => {
    if (isPublic(request.url) || !request.url.startsWith('/api/')) return
    if (!tokenMatches(request.headers.authorization, options.adminToken)) {
      return reply.status(401).send({
        error: { code: 'unauthorized', message: 'Send the admin token as "Authorization: Bearer <token>"' },
      })
    }
  })

  // NUL cannot be stored: refused with the field it is in, before any route runs
  app.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return
    const at = nulAt(request.params, 'params') ?? nulAt(request.query, 'query') ?? nulAt(request.body, 'body')
    if (at !== null) {
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: `${at} holds the NUL character (\\u0000), which cannot be stored`,
        },
      })
    }
  })
  await app.register(healthRoutes(ctx))
  await app.register(companyRoutes(ctx))
  await app.register(integrationRoutes(ctx))
  await app.register(peopleRoutes(ctx))
  if (options.scim) await app.register(scimRoutes, { ...options.scim, prefix: '/scim/v2' })
  await (await import('./console.js')).registerConsole(app) // the admin console at /
  return app
}

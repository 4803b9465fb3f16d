import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { type ScimRoutesOptions, scimRoutes } from '@hrsync/scim'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { RunnerContext } from '../context.js'
import { unstorable } from '../store/rows.js'
import { adminAuth, declareAccess, FAILED_AUTH_THROTTLE, FailedAuthThrottle, recordRoutes } from './auth.js'
import { registerErrorHandling } from './errors.js'
import { companyRoutes } from './routes/companies.js'
import { healthRoutes } from './routes/health.js'
import { integrationRoutes } from './routes/integrations.js'
import { peopleRoutes } from './routes/people.js'
import { ErrorBody } from './schemas.js'
import { requestValidators } from './validation.js'

export interface ApiOptions {
  adminToken: string
  /** fastify's logger: a pino instance or options; false for none */
  logger?: FastifyServerOptions['loggerInstance'] | false
  /** the SCIM 2.0 server for push integrations, mounted at /scim/v2 (its own bearer tokens) */
  scim?: ScimRoutesOptions
}

/**
 * The HTTP server. Every route declares who may call it (`config.access`, see auth.ts): the admin
 * API's routes are registered in one scope whose hook checks the admin token for each route that
 * matched and is not declared public; SCIM checks its own tokens; the docs and console are public.
 */
export async function buildApi(ctx: RunnerContext, options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
  }).withTypeProvider<TypeBoxTypeProvider>()
  recordRoutes(app)
  app.setValidatorCompiler(requestValidators())

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

  const throttle = new FailedAuthThrottle({ ...FAILED_AUTH_THROTTLE, now: ctx.now })
  await app.register(async (admin) => {
    admin.addHook('onRoute', declareAccess('admin'))
    admin.addHook('onRequest', adminAuth(options.adminToken, throttle))
    // NUL, lone surrogates and deep nesting cannot be stored: refused, naming where, before any route runs
    admin.addHook('preValidation', async (request, reply) => {
      const problem =
        unstorable(request.params, 'params') ??
        unstorable(request.query, 'query') ??
        unstorable(request.body, 'body')
      if (problem !== null) {
        return reply.status(400).send({ error: { code: 'invalid_request', message: problem } })
      }
    })
    await admin.register(healthRoutes(ctx))
    await admin.register(companyRoutes(ctx))
    await admin.register(integrationRoutes(ctx))
    await admin.register(peopleRoutes(ctx))
  })

  if (options.scim) {
    const scim = options.scim
    await app.register(async (scope) => {
      scope.addHook('onRoute', declareAccess('scim'))
      await scope.register(scimRoutes, { ...scim, prefix: '/scim/v2' })
    })
  }
  await app.register(async (scope) => {
    scope.addHook('onRoute', declareAccess('public'))
    await scope.register(swaggerUi, { routePrefix: '/docs' })
    await (await import('./console.js')).registerConsole(scope) // the admin console at /
  })
  await app.ready() // every route has declared its access, or the server does not start
  return app
}

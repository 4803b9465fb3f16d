import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { type ScimRoutesOptions, scimRoutes } from '@hrsync/scim'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { RunnerContext } from '../context.js'
import { refuseWritesWhilePaused } from '../scim/pause.js'
import { unstorable } from '../store/rows.js'
import {
  adminAuth,
  companyScope,
  declareAccess,
  FAILED_AUTH_THROTTLE,
  FailedAuthThrottle,
  recordRoutes,
} from './auth.js'
import { registerErrorHandling } from './errors.js'
import { companyRoutes } from './routes/companies.js'
import { healthRoutes } from './routes/health.js'
import { integrationRoutes } from './routes/integrations.js'
import { keyRoutes } from './routes/keys.js'
import { overrideRoutes } from './routes/overrides.js'
import { peopleRoutes } from './routes/people.js'
import { pluginRoutes } from './routes/plugins.js'
import { reviewRoutes } from './routes/review.js'
import { webhookRoutes } from './routes/webhooks.js'
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
  app.decorateRequest('caller', null)
  app.setValidatorCompiler(requestValidators())

  registerErrorHandling(app)
  app.addSchema(ErrorBody)

  await app.register(swagger, {
    // shared schemas keep their $id as their name (components/schemas/Error), for generated clients
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    openapi: {
      info: {
        title: 'hrsync admin API',
        version: '1',
        description: 'Connect an HR system, see and invite its people, set up team sync, review sync runs.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      // the runner serves its own document: a client's base URL is wherever it fetched it from
      servers: [{ url: '/', description: 'the runner serving this document' }],
      components: {
        securitySchemes: {
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An operator key, a company key (one company) or the environment admin token; optionally the acting app user in the Hrsync-Acting-User header',
          },
        },
      },
      security: [{ adminToken: [] }],
    },
  })

  const throttle = new FailedAuthThrottle({ ...FAILED_AUTH_THROTTLE, now: ctx.now })
  await app.register(async (admin) => {
    admin.addHook('onRoute', declareAccess('admin'))
    admin.addHook('onRequest', adminAuth({ token: options.adminToken, db: ctx.db, throttle }))
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
    // a company key reaches only its company: checked once the params are valid
    admin.addHook('preHandler', companyScope(ctx.db))
    await admin.register(healthRoutes(ctx))
    await admin.register(companyRoutes(ctx))
    await admin.register(integrationRoutes(ctx))
    await admin.register(reviewRoutes(ctx))
    await admin.register(peopleRoutes(ctx))
    await admin.register(keyRoutes(ctx))
    await admin.register(overrideRoutes(ctx))
    await admin.register(pluginRoutes(ctx))
    await admin.register(webhookRoutes(ctx))
  })

  if (options.scim) {
    const scim = options.scim
    await app.register(async (scope) => {
      scope.addHook('onRoute', declareAccess('scim'))
      scope.addHook('preHandler', refuseWritesWhilePaused(ctx.db, scim.authenticate))
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

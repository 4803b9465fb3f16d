import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SECRET_KEYWORD, secretKeys } from '@hrsync/core'
import type { RunnerContext } from '../../context.js'
import { ConnectorListBody, errors, HealthBody, LivenessBody } from '../schemas.js'

/** A connector's config schema as JSON Schema: secret fields marked writeOnly and with the hrsync keyword. */
export function configJsonSchema(config: object): Record<string, unknown> {
  const schema = JSON.parse(JSON.stringify(config)) as {
    properties?: Record<string, Record<string, unknown>>
  }
  for (const property of Object.values(schema.properties ?? {})) {
    if (property[SECRET_KEYWORD] === true) {
      property.writeOnly = true
      property.format ??= 'password'
    }
  }
  return schema
}

/** GET /health (no token: up or down), GET /api/health (its details) and GET /api/connectors. */
export function healthRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  const databaseAnswers = async (): Promise<boolean> =>
    ctx.db.query('SELECT 1').then(
      () => true,
      () => false,
    )
  return async (app) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          tags: ['runner'],
          operationId: 'liveness',
          summary: 'Up or down (the details are at /api/health)',
          security: [],
          response: { 200: LivenessBody, 503: LivenessBody },
        },
      },
      async (_request, reply) =>
        (await databaseAnswers())
          ? { status: 'up' as const }
          : reply.status(503).send({ status: 'down' as const }),
    )

    app.get(
      '/api/health',
      {
        schema: {
          tags: ['runner'],
          operationId: 'getHealth',
          summary: 'Status, database and loaded plugins',
          response: { 200: HealthBody, ...errors(401) },
        },
      },
      async () => {
        const database = (await databaseAnswers()) ? ('ok' as const) : ('unreachable' as const)
        return {
          status:
            database === 'ok'
              ? ctx.registry.failures.length > 0
                ? ('degraded' as const)
                : ('ok' as const)
              : ('error' as const),
          database: { kind: ctx.db.kind, status: database },
          core: { version: ctx.registry.coreVersion },
          plugins: {
            loaded: ctx.registry.list().map((loaded) => ({
              id: loaded.connector.id,
              name: loaded.connector.name,
              package: loaded.packageName,
              version: loaded.version,
              source: loaded.source,
            })),
            failed: ctx.registry.failures,
          },
        }
      },
    )

    app.get(
      '/api/connectors',
      {
        // the same list for every caller: a company key connects its company's HR system from it
        config: { companyKeys: 'own' },
        schema: {
          tags: ['connectors'],
          operationId: 'listConnectors',
          summary: 'Available connectors',
          response: { 200: ConnectorListBody, ...errors(401) },
        },
      },
      async () => ({
        connectors: ctx.registry.list().map(({ connector, packageName, version, source }) => ({
          id: connector.id,
          name: connector.name,
          mode: connector.mode,
          docsUrl: connector.docsUrl ?? null,
          package: packageName,
          version,
          source,
          secretKeys: secretKeys(connector.config),
          configSchema: configJsonSchema(connector.config),
        })),
      }),
    )
  }
}

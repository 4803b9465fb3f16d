import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { connectorList, databaseAnswers, runnerHealth } from '../../services/health.js'
import { ConnectorListBody, errors, HealthBody, LivenessBody } from '../schemas.js'

/** GET /health (no token: up or down), GET /api/health (its details) and GET /api/connectors. */
export function healthRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
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
        (await databaseAnswers(ctx))
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
      async () => runnerHealth(ctx),
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
      async () => connectorList(ctx),
    )
  }
}

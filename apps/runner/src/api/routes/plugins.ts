import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { addPlugin, listPlugins, removePlugin } from '../../services/plugins.js'
import { actorOf } from '../auth.js'
import {
  AddPluginBody,
  PluginBody,
  PluginListBody,
  RemovedPluginBody,
  RemovePluginQuery,
} from '../plugin-schemas.js'
import { errors } from '../schemas.js'

/** Connector plugins, for operators who manage the runner remotely: operator keys only. */
export function pluginRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/plugins',
      {
        config: { access: 'admin', companyKeys: 'refused' },
        schema: {
          tags: ['runner'],
          summary: 'The connector plugins: loaded, failed, and installs that did not finish',
          operationId: 'listPlugins',
          response: { 200: PluginListBody, ...errors(401, 403) },
        },
      },
      async () => ({ plugins: listPlugins(ctx) }),
    )

    app.post(
      '/api/plugins',
      {
        config: { access: 'admin', companyKeys: 'refused' },
        schema: {
          tags: ['runner'],
          summary: 'Install a connector plugin into the data folder; usable at once, no restart',
          operationId: 'addPlugin',
          body: AddPluginBody,
          response: { 201: PluginBody, ...errors(400, 401, 403, 422) },
        },
      },
      async (request, reply) => reply.status(201).send(await addPlugin(ctx, request.body.spec)),
    )

    app.delete(
      '/api/plugins',
      {
        config: { access: 'admin', companyKeys: 'refused' },
        schema: {
          tags: ['runner'],
          summary: 'Remove an installed plugin; refused while integrations use it, unless disconnect=true',
          operationId: 'removePlugin',
          querystring: RemovePluginQuery,
          response: { 200: RemovedPluginBody, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        removePlugin(
          ctx,
          request.query.package,
          { disconnect: request.query.disconnect ?? false },
          actorOf(request),
        ),
    )
  }
}

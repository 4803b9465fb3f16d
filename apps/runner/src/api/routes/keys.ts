import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { createKey, listKeys, revokeKey } from '../../services/keys.js'
import {
  CreatedKeyBody,
  CreateKeyBody,
  KeyBody,
  KeyListBody,
  KeyParams,
  KeysQuery,
  MeBody,
} from '../access-schemas.js'
import { actorOf, callerOf } from '../auth.js'
import { errors } from '../schemas.js'

export function keyRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/me',
      {
        config: { companyKeys: 'own' },
        schema: {
          tags: ['keys'],
          summary: 'The key of this request: its kind and the company it opens',
          operationId: 'getMe',
          response: { 200: MeBody, ...errors(400, 401) },
        },
      },
      async (request) => {
        const { key, actor } = callerOf(request)
        return { key, companyId: key.companyId, actor }
      },
    )

    app.post(
      '/api/keys',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['keys'],
          summary: 'Create an operator key, or a company key with companyId; the key is shown once',
          operationId: 'createKey',
          body: CreateKeyBody,
          response: { 201: CreatedKeyBody, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => reply.status(201).send(await createKey(ctx, request.body, actorOf(request))),
    )

    app.get(
      '/api/keys',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['keys'],
          summary: 'List the admin keys (prefixes only), revoked ones included',
          operationId: 'listKeys',
          querystring: KeysQuery,
          response: { 200: KeyListBody, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({ keys: await listKeys(ctx, request.query) }),
    )

    app.delete(
      '/api/keys/:keyId',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['keys'],
          summary: 'Revoke a key at once',
          operationId: 'revokeKey',
          params: KeyParams,
          response: { 200: KeyBody, ...errors(401, 403, 404, 409) },
        },
      },
      async (request) => revokeKey(ctx, request.params.keyId, actorOf(request)),
    )
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { overrideUser } from '../../services/overrides.js'
import { PatchUserBody } from '../access-schemas.js'
import { actorOf } from '../auth.js'
import { errors, UserParams, UserViewBody } from '../schemas.js'

export function overrideRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.patch(
      '/api/users/:userId',
      {
        schema: {
          tags: ['people'],
          summary:
            'Admin overrides: deactivate ahead of HR, change the role, keep a leaver’s access until a date',
          description:
            'status "deactivated": the user loses access now and stays deactivated whatever HR reports next, until an admin invites them again. role: within R17 (the last active admin stays admin). keepAccessUntil: a leaver keeps access through the date, then the sync removes them; null ends the grace period. Refusals answer 409 (400 for a past date) with the reason.',
          operationId: 'updateUser',
          params: UserParams,
          body: PatchUserBody,
          response: { 200: UserViewBody, ...errors(400, 401, 404, 409) },
        },
      },
      async (request) => overrideUser(ctx, request.params.userId, request.body, actorOf(request)),
    )
  }
}

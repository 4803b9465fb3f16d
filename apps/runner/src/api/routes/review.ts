import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { confirmReview, firstSyncReview, planReviewAgain } from '../../services/review.js'
import { actorOf } from '../auth.js'
import { FirstSyncReviewBody } from '../review-schemas.js'
import { errors, IntegrationParams, SyncBody } from '../schemas.js'

/** First-sync review: the plan of a new integration's first sync, planned again, confirmed. */
export function reviewRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/integrations/:id/review',
      {
        schema: {
          tags: ['sync'],
          summary: 'The first sync planned for review: every change, with counts',
          operationId: 'getFirstSyncReview',
          params: IntegrationParams,
          response: { 200: FirstSyncReviewBody, ...errors(404) },
        },
      },
      async (request) => firstSyncReview(ctx, request.params.id),
    )

    app.post(
      '/api/integrations/:id/review',
      {
        schema: {
          tags: ['sync'],
          summary: 'Plan the first sync again (after a settings change); nothing is applied',
          operationId: 'planFirstSyncAgain',
          params: IntegrationParams,
          response: { 200: SyncBody, ...errors(404, 409) },
        },
      },
      async (request) => planReviewAgain(ctx, request.params.id, actorOf(request)),
    )

    app.post(
      '/api/integrations/:id/review/confirm',
      {
        schema: {
          tags: ['sync'],
          summary: 'Confirm the first sync: planned again against the present and applied',
          description:
            'The integration leaves review and syncs on its schedule from now on; the run records who confirmed. A failed pull applies nothing and leaves it in review.',
          operationId: 'confirmFirstSync',
          params: IntegrationParams,
          response: { 200: SyncBody, ...errors(404, 409) },
        },
      },
      async (request) => confirmReview(ctx, request.params.id, actorOf(request)),
    )
  }
}

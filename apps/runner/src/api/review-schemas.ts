import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { RunDetailBody } from './schemas.js'

/** Which held removals of a run an admin decides: some people, or every undecided one when absent. */
export const HeldDecisionBody = Type.Object(
  {
    userIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        maxItems: 500,
        uniqueItems: true,
        description: 'decide only these people’s held removals; omit the body to decide all of them',
      }),
    ),
  },
  { additionalProperties: false },
)

/** A route whose body is optional sees a request without one as `{}` (fastify validates the body it gets). */
export async function bodyOrEmpty(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {}
}

export const FirstSyncReviewBody = Type.Object(
  {
    integrationId: Type.String(),
    inReview: Type.Boolean({
      description: 'false once an admin confirmed the first sync (or it was autoApply)',
    }),
    run: Type.Union([RunDetailBody, Type.Null()], {
      description: 'the latest plan: changes (the full list) and counts by kind; null until one is planned',
    }),
    planOutdated: Type.Boolean({
      description:
        'true when the connection settings were changed (PATCH /api/integrations/{id}) after this plan was made: plan again (POST) to see the plan with the new settings; the scheduler plans again too. A confirmation always plans again.',
    }),
  },
  { description: "a new integration's first sync, planned and waiting for an admin to confirm it" },
)

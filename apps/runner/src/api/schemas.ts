import { type TSchema, Type } from '@sinclair/typebox'

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'Error', description: 'Every error: a stable snake_case code and a sentence for a human' },
)

export const Id = (description: string) => Type.String({ minLength: 1, description })

export const CompanyParams = Type.Object({ companyId: Id('company id') })
export const IntegrationParams = Type.Object({ id: Id('integration id') })
export const RunParams = Type.Object({ runId: Id('sync run id') })
export const UserParams = Type.Object({ userId: Id('user id') })
export const TeamParams = Type.Object({ teamId: Id('team id') })

export const Plan = Type.Union([
  Type.Literal('starter'),
  Type.Literal('essential'),
  Type.Literal('advanced'),
  Type.Literal('beyond'),
])

export const CreateCompanyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    plan: Plan,
    timeZone: Type.String({
      minLength: 1,
      description: 'IANA time zone, e.g. Europe/Berlin',
      default: 'UTC',
    }),
  },
  { additionalProperties: false },
)

export const ConnectBody = Type.Object(
  {
    connector: Type.String({ minLength: 1, description: 'connector id, from GET /api/connectors' }),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: 'connection settings, as the connector schema says',
    }),
  },
  { additionalProperties: false },
)

export const SyncQuery = Type.Object({
  dryRun: Type.Optional(Type.Boolean({ description: 'return the plan and apply nothing', default: false })),
})

export const FinishTeamSyncBody = Type.Object(
  {
    unassignedReviewerUserId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    placements: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'app-only user id -> team key it goes to' }),
    ),
  },
  { additionalProperties: false },
)

export const UserStatus = Type.Union([
  Type.Literal('uninvited'),
  Type.Literal('invited'),
  Type.Literal('active'),
  Type.Literal('deactivated'),
])

export const UsersQuery = Type.Object({ status: Type.Optional(UserStatus) })

export const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    firstName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    lastName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('member')])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('invited')])),
  },
  { additionalProperties: false },
)

export const InviteBody = Type.Object(
  { userIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
)

export const InvitationParams = Type.Object({ token: Type.String({ minLength: 1 }) })

const TeamFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  reviewerUserId: Type.Union([Type.String(), Type.Null()]),
  memberUserIds: Type.Array(Type.String()),
}
export const CreateTeamBody = Type.Object(
  {
    name: TeamFields.name,
    reviewerUserId: Type.Optional(TeamFields.reviewerUserId),
    memberUserIds: Type.Optional(TeamFields.memberUserIds),
  },
  { additionalProperties: false },
)
export const PatchTeamBody = Type.Partial(Type.Object(TeamFields), {
  additionalProperties: false,
  minProperties: 1,
})

export const EventsQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'only events with a greater id' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  type: Type.Optional(Type.String()),
})

export const RunsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
})

/** The documented error answers of a route, for OpenAPI. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, Type.Ref('Error')]))
}

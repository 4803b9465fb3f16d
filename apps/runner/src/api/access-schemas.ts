import { Type } from '@sinclair/typebox'
import { CompanyBody, Plan } from './schemas.js'

// Schemas of keys, actors, the company lifecycle and admin overrides (issue 20 §1, §4, §5).

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

export const ActorBody = Type.Object(
  {
    keyId: Type.String({
      description: 'the admin key of the request ("admin-token" for HRSYNC_ADMIN_TOKEN)',
    }),
    userId: Nullable(Type.String({ description: 'the app user the Hrsync-Acting-User header named' })),
  },
  { description: 'who made a change through the admin API' },
)

export const KeyParams = Type.Object({ keyId: Type.String({ minLength: 1, description: 'key id' }) })

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'what the key is for, e.g. "spend app, production"',
    }),
    companyId: Type.Optional(
      Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
        description: 'a company key for this company; absent or null: an operator key (every company)',
      }),
    ),
  },
  { additionalProperties: false },
)

export const KeysQuery = Type.Object({
  companyId: Type.Optional(Type.String({ minLength: 1, description: "only this company's keys" })),
})

export const KeyBody = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('operator'), Type.Literal('company')]),
  companyId: Nullable(Type.String()),
  name: Type.String(),
  prefix: Type.String({ description: "the key's first characters, to tell keys apart" }),
  createdBy: Type.Union([ActorBody, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
})

export const CreatedKeyBody = Type.Object({
  key: Type.String({ description: 'the key itself: shown in this answer only, hrsync keeps its SHA-256' }),
  apiKey: KeyBody,
})

export const KeyListBody = Type.Object({ keys: Type.Array(KeyBody) })

export const MeBody = Type.Object({
  key: Type.Object({
    id: Type.String(),
    kind: Type.Union([Type.Literal('operator'), Type.Literal('company')]),
    name: Type.String(),
    prefix: Type.String(),
  }),
  companyId: Nullable(
    Type.String({ description: 'the one company a company key opens; null: every company' }),
  ),
  actor: ActorBody,
})

export const PausedField = Type.Union([Type.Literal('plan'), Type.Null()], {
  description: "plan: the company's plan has no HR integration, so its syncs and SCIM writes wait",
})

export const CompanyViewBody = Type.Composite([CompanyBody, Type.Object({ paused: PausedField })])

export const PatchCompanyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    plan: Type.Optional(Plan),
    timeZone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone, e.g. Europe/Berlin' })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const DeleteCompanyBody = Type.Object(
  {
    confirm: Type.String({
      minLength: 1,
      description: "the company's id or exact name: deleting erases everything hrsync keeps about it",
    }),
  },
  { additionalProperties: false },
)

export const DeletedCompanyBody = Type.Object({
  deleted: Type.Boolean(),
  disconnected: Type.Integer({ description: 'integrations disconnected first (R7)' }),
})

export const PatchUserBody = Type.Object(
  {
    status: Type.Optional(
      Type.Literal('deactivated', {
        description:
          'deactivate ahead of HR: the user stays deactivated whatever HR says until an admin invites them again',
      }),
    ),
    role: Type.Optional(
      Type.Union([Type.Literal('admin'), Type.Literal('member')], { description: 'within R17' }),
    ),
    keepAccessUntil: Type.Optional(
      Type.Union([Type.String({ format: 'date' }), Type.Null()], {
        description:
          "a leaver keeps access through this date (the company's time zone), then the sync removes them; null ends the grace period",
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

import { Type } from '@sinclair/typebox'
import { Id } from './schemas.js'

// Schemas of a company's webhook endpoints and their delivery log (issue 20 §3).

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()])

export const EndpointParams = Type.Object({
  companyId: Id('company id'),
  endpointId: Id('webhook endpoint id'),
})

export const DeliveryParams = Type.Object({
  companyId: Id('company id'),
  endpointId: Id('webhook endpoint id'),
  deliveryId: Id('delivery id'),
})

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'https URL the events are POSTed to; loopback, private and link-local addresses are refused',
})

const EventTypes = Type.Union(
  [
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
      minItems: 1,
      maxItems: 100,
      uniqueItems: true,
    }),
    Type.Null(),
  ],
  {
    description: 'only these event types, e.g. ["user.created", "user.removed"]; null or absent: every type',
  },
)

export const CreateEndpointBody = Type.Object(
  { url: Url, eventTypes: Type.Optional(EventTypes) },
  { additionalProperties: false },
)

export const PatchEndpointBody = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    enabled: Type.Optional(
      Type.Boolean({ description: 'false: no deliveries are made or queued until it is enabled again' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const EndpointBody = Type.Object({
  id: Type.String(),
  companyId: Type.String(),
  url: Type.String(),
  eventTypes: Type.Union([Type.Array(Type.String()), Type.Null()]),
  enabled: Type.Boolean(),
  previousSecretUntil: Nullable(
    Type.String({
      format: 'date-time',
      description: 'after a rotation, the previous secret also signs until then',
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})

export const EndpointWithSecretBody = Type.Object({
  endpoint: EndpointBody,
  secret: Type.String({
    description: 'the signing secret: shown in this answer only, never again',
  }),
})

export const EndpointListBody = Type.Object({ endpoints: Type.Array(EndpointBody) })

export const DeletedEndpointBody = Type.Object({ deleted: Type.Boolean() })

export const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(
    Type.String({ minLength: 1, description: 'the nextCursor of the previous page (newest first)' }),
  ),
})

const Attempt = Type.Object({
  at: Type.String({ format: 'date-time' }),
  status: Type.Union([Type.Integer(), Type.Null()], {
    description: "the receiver's HTTP status; null when it gave none",
  }),
  durationMs: Type.Integer(),
  error: Nullable(Type.String()),
})

export const DeliveryBody = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.Integer(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')], {
    description: 'failed: every attempt failed; redeliver to try again',
  }),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  attemptLog: Type.Array(Attempt),
})

export const DeliveryListBody = Type.Object({
  deliveries: Type.Array(DeliveryBody),
  nextCursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page; null on the last' })),
})

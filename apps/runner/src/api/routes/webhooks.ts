import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import {
  createEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  removeEndpoint,
  rotateEndpointSecret,
  updateEndpoint,
} from '../../services/webhooks.js'
import { CompanyParams, errors } from '../schemas.js'
import {
  CreateEndpointBody,
  DeletedEndpointBody,
  DeliveriesQuery,
  DeliveryBody,
  DeliveryListBody,
  DeliveryParams,
  EndpointBody,
  EndpointListBody,
  EndpointParams,
  EndpointWithSecretBody,
  PatchEndpointBody,
} from '../webhook-schemas.js'

const base = '/api/companies/:companyId/webhooks'
const tags = ['webhooks']

/** A company's webhook endpoints; a company key reaches its own company's only (404 otherwise). */
export function webhookRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Create a webhook endpoint; its signing secret is shown in this answer only',
          description:
            'Events of the company appended from now on are POSTed to the URL, signed in the X-Hrsync-Signature header. The URL must be https and must not reach a loopback, private or link-local address.',
          operationId: 'createWebhookEndpoint',
          params: CompanyParams,
          body: CreateEndpointBody,
          response: { 201: EndpointWithSecretBody, ...errors(400, 401, 404) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createEndpoint(ctx, request.params.companyId, request.body)),
    )

    app.get(
      base,
      {
        schema: {
          tags,
          summary: "List the company's webhook endpoints (never their secrets)",
          operationId: 'listWebhookEndpoints',
          params: CompanyParams,
          response: { 200: EndpointListBody, ...errors(400, 401, 404) },
        },
      },
      async (request) => ({ endpoints: await listEndpoints(ctx, request.params.companyId) }),
    )

    app.get(
      `${base}/:endpointId`,
      {
        schema: {
          tags,
          summary: 'Get a webhook endpoint',
          operationId: 'getWebhookEndpoint',
          params: EndpointParams,
          response: { 200: EndpointBody, ...errors(400, 401, 404) },
        },
      },
      async (request) => getEndpoint(ctx, request.params.companyId, request.params.endpointId),
    )

    app.patch(
      `${base}/:endpointId`,
      {
        schema: {
          tags,
          summary: "Change a webhook endpoint's URL or event types, or disable and enable it",
          operationId: 'updateWebhookEndpoint',
          params: EndpointParams,
          body: PatchEndpointBody,
          response: { 200: EndpointBody, ...errors(400, 401, 404) },
        },
      },
      async (request) =>
        updateEndpoint(ctx, request.params.companyId, request.params.endpointId, request.body),
    )

    app.delete(
      `${base}/:endpointId`,
      {
        schema: {
          tags,
          summary: 'Delete a webhook endpoint and its delivery log',
          operationId: 'deleteWebhookEndpoint',
          params: EndpointParams,
          response: { 200: DeletedEndpointBody, ...errors(400, 401, 404) },
        },
      },
      async (request) => {
        await removeEndpoint(ctx, request.params.companyId, request.params.endpointId)
        return { deleted: true }
      },
    )

    app.post(
      `${base}/:endpointId/rotate-secret`,
      {
        schema: {
          tags,
          summary: 'Rotate the signing secret; the new one is shown in this answer only',
          description:
            'For 24 hours the previous secret signs too: the signature header then carries two v1 values, the new secret first. A receiver accepts a delivery when any v1 matches a secret it holds.',
          operationId: 'rotateWebhookSecret',
          params: EndpointParams,
          response: { 200: EndpointWithSecretBody, ...errors(400, 401, 404) },
        },
      },
      async (request) => rotateEndpointSecret(ctx, request.params.companyId, request.params.endpointId),
    )

    app.get(
      `${base}/:endpointId/deliveries`,
      {
        schema: {
          tags,
          summary: "The endpoint's delivery log, newest first, each with its attempts",
          operationId: 'listWebhookDeliveries',
          params: EndpointParams,
          querystring: DeliveriesQuery,
          response: { 200: DeliveryListBody, ...errors(400, 401, 404) },
        },
      },
      async (request) =>
        listDeliveries(ctx, request.params.companyId, request.params.endpointId, request.query),
    )

    app.post(
      `${base}/:endpointId/deliveries/:deliveryId/redeliver`,
      {
        schema: {
          tags,
          summary: "Send a delivery's event again, as a new delivery",
          operationId: 'redeliverWebhook',
          params: DeliveryParams,
          response: { 202: DeliveryBody, ...errors(400, 401, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await redeliver(
              ctx,
              request.params.companyId,
              request.params.endpointId,
              request.params.deliveryId,
            ),
          ),
    )
  }
}

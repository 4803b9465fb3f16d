import { randomBytes } from 'node:crypto'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import { webhookUrlProblem } from '../events/address.js'
import {
  deleteWebhookEndpoint,
  type EndpointDelivery,
  getCompany,
  getEndpointDelivery,
  getWebhookEndpoint,
  insertRedelivery,
  insertWebhookEndpoint,
  listEndpointDeliveries,
  listWebhookEndpoints,
  publicEndpoint,
  rotateWebhookSecret,
  type SealedEndpoint,
  updateWebhookEndpoint,
  type WebhookEndpoint,
} from '../store/index.js'

/** How long the previous secret keeps signing after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`

function checkUrl(ctx: RunnerContext, url: string): void {
  const problem = webhookUrlProblem(url, ctx.webhookAllowPrivate)
  if (problem) throw new RunnerError('invalid_webhook_url', `The webhook URL ${problem}`, 400)
}

async function endpointOf(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
): Promise<SealedEndpoint> {
  const endpoint = await getWebhookEndpoint(ctx.db, companyId, endpointId)
  if (!endpoint) throw notFound('webhook endpoint', endpointId)
  return endpoint
}

/** A new endpoint for the company's events after now; its secret is in this answer only. */
export async function createEndpoint(
  ctx: RunnerContext,
  companyId: string,
  body: { url: string; eventTypes?: string[] | null },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  checkUrl(ctx, body.url)
  const secret = newSecret()
  const endpoint = await insertWebhookEndpoint(ctx.db, {
    companyId,
    url: body.url,
    eventTypes: body.eventTypes ?? null,
    secretSealed: ctx.box.seal(secret),
  })
  return { endpoint: publicEndpoint(endpoint), secret }
}

export async function listEndpoints(ctx: RunnerContext, companyId: string): Promise<WebhookEndpoint[]> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  return (await listWebhookEndpoints(ctx.db, companyId)).map(publicEndpoint)
}

export async function getEndpoint(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
): Promise<WebhookEndpoint> {
  return publicEndpoint(await endpointOf(ctx, companyId, endpointId))
}

export async function updateEndpoint(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
  patch: { url?: string; eventTypes?: string[] | null; enabled?: boolean },
): Promise<WebhookEndpoint> {
  await endpointOf(ctx, companyId, endpointId)
  if (patch.url !== undefined) checkUrl(ctx, patch.url)
  const updated = publicEndpoint(await updateWebhookEndpoint(ctx.db, endpointId, patch))
  // deliveries waiting while it was disabled go now
  if (patch.enabled) ctx.events.committed()
  return updated
}

export async function removeEndpoint(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
): Promise<void> {
  await endpointOf(ctx, companyId, endpointId)
  await deleteWebhookEndpoint(ctx.db, endpointId)
}

/** A new secret, in this answer only; the one it replaces keeps signing for ROTATION_OVERLAP_MS. */
export async function rotateEndpointSecret(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await endpointOf(ctx, companyId, endpointId)
  const secret = newSecret()
  const endpoint = await rotateWebhookSecret(ctx.db, endpointId, {
    secretSealed: ctx.box.seal(secret),
    previousUntil: new Date(ctx.now().getTime() + ROTATION_OVERLAP_MS),
  })
  return { endpoint: publicEndpoint(endpoint), secret }
}

/** The endpoint's delivery log, newest first; the cursor is the last delivery id of the page. */
export async function listDeliveries(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
  query: { limit?: number; cursor?: string },
): Promise<{ deliveries: EndpointDelivery[]; nextCursor: string | null }> {
  await endpointOf(ctx, companyId, endpointId)
  if (query.cursor !== undefined && !/^\d{1,18}$/.test(query.cursor))
    throw new RunnerError('invalid_cursor', 'The cursor is not one this list gave', 400)
  const limit = query.limit ?? 20
  const page = await listEndpointDeliveries(ctx.db, endpointId, {
    before: query.cursor === undefined ? null : Number(query.cursor),
    limit: limit + 1,
  })
  const deliveries = page.slice(0, limit)
  return { deliveries, nextCursor: page.length > limit ? deliveries.at(-1)!.id : null }
}

/** Sends a delivery's event again, as a new delivery with attempts of its own. */
export async function redeliver(
  ctx: RunnerContext,
  companyId: string,
  endpointId: string,
  deliveryId: string,
): Promise<EndpointDelivery> {
  const endpoint = await endpointOf(ctx, companyId, endpointId)
  const delivery = await getEndpointDelivery(ctx.db, endpointId, deliveryId)
  if (!delivery) throw notFound('delivery', deliveryId)
  if (!endpoint.enabled)
    throw new RunnerError('webhook_endpoint_disabled', 'Enable the endpoint before redelivering to it', 409)
  const id = await insertRedelivery(ctx.db, endpointId, delivery.eventId)
  ctx.events.committed()
  return (await getEndpointDelivery(ctx.db, endpointId, id))!
}

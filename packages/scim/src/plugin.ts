import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from './discovery.js'
import { errorBody, isScimError, isUserNameTaken, ScimError, type ScimType } from './errors.js'
import { parseFilter } from './filter.js'
import { applyPatch, normalisePatch } from './patch.js'
import { listResponse, parseUser, renderUser } from './resource.js'
import type { ScimStore } from './store.js'
import { SCIM_CONTENT_TYPE } from './urns.js'

export type ScimChangeKind = 'created' | 'updated' | 'deleted'

export interface ScimRoutesOptions {
  store: ScimStore
  /** the integration a bearer token belongs to (hash lookup, constant-time compare), or null → 401 */
  authenticate(token: string): Promise<{ integrationId: string } | null>
  /** called after every successful write, e.g. to rebuild the integration's snapshot and plan */
  onChange?(integrationId: string, kind: ScimChangeKind, userId: string): void
  /** the public URL of this plugin's prefix, e.g. `https://app.example/scim/v2`; for meta.location */
  baseUrl: string
}

type IdParams = { Params: { id: string } }

const JSON_TYPES = ['application/json', 'application/scim+json']

/**
 * What the OpenAPI document says of a route: answers are sent as strings (application/scim+json),
 * so these schemas document and never serialise.
 */
function doc(operationId: string, summary: string, success: 200 | 201 | 204, ...errors: number[]) {
  const resource = {
    type: 'object',
    additionalProperties: true,
    description: 'SCIM resource or list response',
  }
  const error = { type: 'object', additionalProperties: true, description: 'SCIM error (RFC 7644 §3.12)' }
  return {
    schema: {
      tags: ['scim'],
      operationId,
      summary,
      response: {
        [success]: success === 204 ? { type: 'null', description: 'deleted' } : resource,
        ...Object.fromEntries([401, ...errors].map((status) => [status, error])),
      },
    },
  }
}

/**
 * The SCIM 2.0 service provider for Okta and Entra ID, to register under a prefix:
 * `app.register(scimRoutes, { prefix: '/scim/v2', store, authenticate, onChange, baseUrl })`.
 * Encapsulated: its body parser, auth hook, error and not-found handlers apply only to its routes.
 */
export const scimRoutes: FastifyPluginAsync<ScimRoutesOptions> = async (fastify, options) => {
  const { store } = options
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const integrations = new WeakMap<FastifyRequest, string>()
  const integrationOf = (request: FastifyRequest): string => integrations.get(request)!
  const changed = (request: FastifyRequest, kind: ScimChangeKind, userId: string): void => {
    try {
      options.onChange?.(integrationOf(request), kind, userId)
    } catch (error) {
      // the write is stored; the IdP must not retry it because a listener failed
      request.log.error({ err: error, kind, userId }, 'SCIM change listener failed')
    }
  }

  // Okta's own test posts application/json, Entra sends application/scim+json; some clients send a
  // Content-Type with an empty body (DELETE): that is no body, not an error
  const parseJson = fastify.getDefaultJsonParser('error', 'error')
  for (const type of JSON_TYPES) {
    if (fastify.hasContentTypeParser(type)) fastify.removeContentTypeParser(type)
  }
  fastify.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    parseJson(request, text, done)
  })

  fastify.addHook('onRequest', async (request, reply) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
    const found = match?.[1] ? await options.authenticate(match[1]) : null
    if (!found) {
      reply.header('WWW-Authenticate', 'Bearer')
      return send(
        reply,
        401,
        errorBody(401, null, 'The bearer token is missing or not valid for this SCIM endpoint'),
      )
    }
    integrations.set(request, found.integrationId)
  })

  fastify.setErrorHandler((error, request, reply) => {
    if (isScimError(error))
      return send(reply, error.status, errorBody(error.status, error.scimType, error.message))
    if (isUserNameTaken(error)) return send(reply, 409, errorBody(409, 'uniqueness', error.message))
    const status = (error as { statusCode?: number }).statusCode
    if (status !== undefined && status >= 400 && status < 500) {
      const scimType: ScimType | null = status === 400 ? 'invalidSyntax' : null
      return send(reply, status, errorBody(status, scimType, (error as Error).message))
    }
    request.log.error({ err: error }, 'SCIM request failed')
    return send(reply, 500, errorBody(500, null, 'The request could not be completed; please retry'))
  })

  fastify.setNotFoundHandler((request, reply) =>
    send(reply, 404, errorBody(404, null, `${request.method} ${request.url} is not a SCIM endpoint here`)),
  )

  fastify.get('/Users', doc('scimListUsers', 'List or filter users', 200, 400), async (request, reply) => {
    const query = lowerKeys(request.query)
    const filter = query.filter ? parseFilter(query.filter) : null
    // RFC 7644 §3.4.2.4: below 1 is 1; one past every user is an empty page, however far past
    const startIndex = Math.min(
      Number.MAX_SAFE_INTEGER,
      Math.max(1, integer(query.startindex, 1, 'startIndex')),
    )
    const count = Math.min(MAX_RESULTS, Math.max(0, integer(query.count, MAX_RESULTS, 'count')))
    const page = await store.list(integrationOf(request), { filter, startIndex, count })
    const resources = page.records.map((r) => renderUser(r, baseUrl))
    return send(reply, 200, listResponse(resources, page.totalResults, startIndex))
  })

  fastify.post('/Users', doc('scimCreateUser', 'Create a user', 201, 400, 409), async (request, reply) => {
    const record = await store.create(integrationOf(request), parseUser(request.body))
    changed(request, 'created', record.id)
    const resource = renderUser(record, baseUrl)
    reply.header('Location', (resource.meta as { location: string }).location)
    return send(reply, 201, resource)
  })

  fastify.get<IdParams>('/Users/:id', doc('scimGetUser', 'Get a user', 200, 404), async (request, reply) => {
    const record = await store.get(integrationOf(request), request.params.id)
    if (!record) throw notFound(request.params.id)
    return send(reply, 200, renderUser(record, baseUrl))
  })

  fastify.put<IdParams>(
    '/Users/:id',
    doc('scimReplaceUser', 'Replace a user', 200, 400, 404, 409),
    async (request, reply) => {
      const { id } = request.params
      const current = await store.get(integrationOf(request), id)
      if (!current) throw notFound(id)
      const record = await store.replace(integrationOf(request), id, parseUser(request.body, current.user))
      if (!record) throw notFound(id)
      changed(request, 'updated', id)
      return send(reply, 200, renderUser(record, baseUrl))
    },
  )

  fastify.patch<IdParams>(
    '/Users/:id',
    doc('scimPatchUser', 'Patch a user', 200, 400, 404, 409),
    async (request, reply) => {
      const { id } = request.params
      const ops = normalisePatch(request.body)
      const record = await store.patch(integrationOf(request), id, (current) => applyPatch(current, ops))
      if (!record) throw notFound(id)
      changed(request, 'updated', id)
      return send(reply, 200, renderUser(record, baseUrl))
    },
  )

  fastify.delete<IdParams>(
    '/Users/:id',
    doc('scimDeleteUser', 'Delete a user', 204, 404),
    async (request, reply) => {
      const { id } = request.params
      if (!(await store.tombstone(integrationOf(request), id))) throw notFound(id)
      changed(request, 'deleted', id)
      return reply.code(204).send()
    },
  )

  fastify.get(
    '/ServiceProviderConfig',
    doc('scimServiceProviderConfig', 'What this SCIM server supports', 200),
    async (_request, reply) => send(reply, 200, serviceProviderConfig(baseUrl)),
  )

  fastify.get('/Schemas', doc('scimListSchemas', 'List schemas', 200), async (_request, reply) => {
    const all = schemas(baseUrl)
    return send(reply, 200, listResponse(all, all.length))
  })

  fastify.get<IdParams>(
    '/Schemas/:id',
    doc('scimGetSchema', 'Get a schema', 200, 404),
    async (request, reply) => {
      const schema = schemas(baseUrl).find(
        (s) => String(s.id).toLowerCase() === request.params.id.toLowerCase(),
      )
      if (!schema) throw new ScimError(404, null, `No schema ${request.params.id}`)
      return send(reply, 200, schema)
    },
  )

  fastify.get(
    '/ResourceTypes',
    doc('scimListResourceTypes', 'List resource types', 200),
    async (_request, reply) => {
      const all = resourceTypes(baseUrl)
      return send(reply, 200, listResponse(all, all.length))
    },
  )

  fastify.get<IdParams>(
    '/ResourceTypes/:id',
    doc('scimGetResourceType', 'Get a resource type', 200, 404),
    async (request, reply) => {
      const type = resourceTypes(baseUrl).find(
        (t) => String(t.id).toLowerCase() === request.params.id.toLowerCase(),
      )
      if (!type) throw new ScimError(404, null, `No resource type ${request.params.id}`)
      return send(reply, 200, type)
    },
  )

  // teams come from the manager chain, not from groups; Okta's and Entra's probes get an empty list
  fastify.get(
    '/Groups',
    doc('scimListGroups', 'List groups (always empty: teams come from managers)', 200),
    async (_request, reply) => send(reply, 200, listResponse([], 0)),
  )
  fastify.get<IdParams>(
    '/Groups/:id',
    doc('scimGetGroup', 'Get a group (none exist)', 200, 404),
    async (request) => {
      throw new ScimError(404, null, `Group ${request.params.id} not found`)
    },
  )
}

function send(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body))
}

function notFound(id: string): ScimError {
  return new ScimError(404, null, `User ${id} not found`)
}

function lowerKeys(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  if (typeof query !== 'object' || query === null) return out
  for (const [key, value] of Object.entries(query)) {
    out[key.toLowerCase()] = Array.isArray(value) ? String(value[0]) : String(value)
  }
  return out
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback
  if (!/^\s*-?\d+\s*$/.test(value)) throw new ScimError(400, 'invalidValue', `${name} must be an integer`)
  return Number.parseInt(value, 10)
}

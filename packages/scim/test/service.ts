import Fastify, { type InjectOptions } from 'fastify'
import { MemoryScimStore, type ScimChangeKind, scimRoutes } from '../src/index.js'
import { BASE } from './requests.js'

export const OKTA_TOKEN = 'okta-token-of-nordvik'
export const ENTRA_TOKEN = 'entra-token-of-contoso'
const INTEGRATIONS: Record<string, string> = { [OKTA_TOKEN]: 'int-nordvik', [ENTRA_TOKEN]: 'int-contoso' }

/** The plugin mounted as the runner will mount it, on a memory store with a ticking clock. */
export async function scimService() {
  let tick = 0
  let ids = 0
  const store = new MemoryScimStore({
    now: () => new Date(Date.UTC(2025, 2, 1, 9, 0, tick++)),
    newId: () => `u${String(++ids).padStart(3, '0')}`,
  })
  const changes: [string, ScimChangeKind, string][] = []
  const app = Fastify()
  await app.register(scimRoutes, {
    prefix: '/scim/v2',
    store,
    baseUrl: BASE,
    authenticate: async (token) => (INTEGRATIONS[token] ? { integrationId: INTEGRATIONS[token] } : null),
    onChange: (integrationId, kind, userId) => changes.push([integrationId, kind, userId]),
  })
  await app.ready()

  const call = async (
    method: InjectOptions['method'],
    url: string,
    options: { body?: unknown; token?: string | null; contentType?: string; authorization?: string } = {},
  ) => {
    const headers: Record<string, string> = {}
    const token = options.token === undefined ? OKTA_TOKEN : options.token
    if (options.authorization !== undefined) headers.authorization = options.authorization
    else if (token !== null) headers.authorization = `Bearer ${token}`
    if (options.body !== undefined)
      headers['content-type'] = options.contentType ?? 'application/scim+json; charset=utf-8'
    const response = await app.inject({
      method,
      url: `/scim/v2${url}`,
      headers,
      ...(options.body !== undefined
        ? { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
        : {}),
    })
    // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary SCIM JSON
    const json: any = response.body ? JSON.parse(response.body) : undefined
    return { status: response.statusCode, headers: response.headers, json }
  }
  return { app, store, changes, call }
}

export const q = (filter: string) => encodeURIComponent(filter)

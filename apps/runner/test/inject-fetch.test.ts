import { createHrsyncClient } from '@hrsync/client'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { injectFetch } from '../src/inject-fetch.js'

// The CLI's typed client reaches a runner started in its own process through this adapter:
// a fetch whose requests go to fastify's inject instead of the network.
let app: FastifyInstance
let fetchHere: typeof fetch

beforeAll(async () => {
  app = Fastify()
  // every path not routed below echoes what arrived
  app.all('/*', async (request) => ({
    method: request.method,
    url: request.url,
    authorization: request.headers.authorization ?? null,
    contentType: request.headers['content-type'] ?? null,
    body: request.body ?? null,
  }))
  app.get('/created', async (_request, reply) =>
    reply.status(201).header('x-request-id', 'req_1').header('set-cookie', ['a=1', 'b=2']).send({ ok: true }),
  )
  app.delete('/gone', async (_request, reply) => reply.status(204).send())
  app.get('/page', async (_request, reply) =>
    reply.status(502).type('text/html').send('<h1>Bad gateway</h1>'),
  )
  app.get('/api/plugins', async (_request, reply) =>
    reply.status(409).send({ error: { code: 'in_progress', message: 'A sync is running' } }),
  )
  await app.ready()
  fetchHere = injectFetch(app)
})

afterAll(async () => {
  await app.close()
})

describe('injectFetch: fetch over app.inject', () => {
  it('hands over the method, the path with its query, the headers and a JSON body', async () => {
    const response = await fetchHere('http://never.contacted/echo/one?dryRun=true&x=%C3%A9', {
      method: 'POST',
      headers: { authorization: 'Bearer admin-1', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ops laptop', companyId: null }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/echo/one?dryRun=true&x=%C3%A9',
      authorization: 'Bearer admin-1',
      contentType: 'application/json',
      body: { name: 'ops laptop', companyId: null },
    })
  })

  it('takes a Request as fetch does, and sends no body when it has none', async () => {
    const response = await fetchHere(new Request('http://never.contacted/echo/two', { method: 'DELETE' }))
    expect(await response.json()).toMatchObject({ method: 'DELETE', url: '/echo/two', body: null })
  })

  it('answers with the status, the status text and every header, repeated ones included', async () => {
    const response = await fetchHere('http://never.contacted/created')
    expect(response.status).toBe(201)
    expect(response.ok).toBe(true)
    expect(response.statusText).toBe('Created')
    expect(response.headers.get('x-request-id')).toBe('req_1')
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await response.json()).toEqual({ ok: true })
  })

  it('answers 204 without a body, and a body that is not JSON as the text it is', async () => {
    const gone = await fetchHere('http://never.contacted/gone', { method: 'DELETE' })
    expect(gone.status).toBe(204)
    expect(gone.body).toBeNull()
    const page = await fetchHere('http://never.contacted/page')
    expect(page.status).toBe(502)
    expect(page.ok).toBe(false)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toBe('<h1>Bad gateway</h1>')
  })

  it('serves the typed client: its token, path parameters, query and body, and the API error', async () => {
    const client = createHrsyncClient({
      baseUrl: 'http://hrsync.in-process',
      token: 'admin-2',
      fetch: fetchHere,
    })
    const synced = await client.POST('/api/integrations/{id}/sync', {
      params: { path: { id: 'int 1' }, query: { dryRun: true } },
    })
    expect(synced.response.status).toBe(200)
    expect(synced.data).toMatchObject({
      method: 'POST',
      url: '/api/integrations/int%201/sync?dryRun=true',
      authorization: 'Bearer admin-2',
    })
    const created = await client.POST('/api/keys', {
      body: { name: 'spend app', companyId: 'cmp_1' },
    })
    expect(created.data).toMatchObject({
      contentType: 'application/json',
      body: { name: 'spend app', companyId: 'cmp_1' },
    })
    const refused = await client.GET('/api/plugins')
    expect(refused.response.status).toBe(409)
    expect(refused.error).toEqual({ error: { code: 'in_progress', message: 'A sync is running' } })
  })
})

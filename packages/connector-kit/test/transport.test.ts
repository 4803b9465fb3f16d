import { getEventListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { defineConnector } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContext } from '../src/index.js'
import { ACCEPT_ENCODING, send, TimeoutError, UnreadableBodyError } from '../src/transport.js'
import { failure } from './helpers.js'

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void
const routes = new Map<string, Handler>()
const seen: Array<{ path: string; headers: IncomingMessage['headers']; rawHeaders: string[]; body: string }> =
  []
let server: Server
let base: string

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = new URL(req.url ?? '/', 'http://x').pathname
      seen.push({ path, headers: req.headers, rawHeaders: req.rawHeaders, body })
      const route = routes.get(path)
      if (route) route(req, body, res)
      else res.writeHead(404).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const people = { data: [{ id: 1, email: 'ada@acme.test' }], total: 1 }

/** One GET of `path` on the local server straight through the transport. */
const get = (path: string, timeoutMs = 5000, signal = new AbortController().signal) =>
  send(new URL(`${base}${path}`), { method: 'GET', headers: {}, timeoutMs, signal })
/** What `promise` rejected with. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

function kit(timeoutMs = 30_000, options: { signal?: AbortSignal } = {}) {
  const connector = defineConnector({
    id: 'local',
    name: 'Local HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({}),
    allowedHosts: ['127.0.0.1'],
    capabilities: {
      listEmployees: { includesTerminated: 'always', managerRef: 'none', statuses: [], incremental: false },
    },
    http: { timeoutMs, retryMethods: ['GET', 'POST'] },
    baseUrl: () => base,
    checkConnection: async () => {},
    async *listEmployees() {},
  })
  return createContext(connector, {}, { fetchRetryLimit: 1, backoffBaseMs: 1, ...options })
}

describe('transport', () => {
  it('asks for compressed answers and undoes gzip, deflate and br', async () => {
    const json = JSON.stringify(people)
    const codings = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const
    for (const [coding, compress] of Object.entries(codings)) {
      routes.set(`/${coding}`, (_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding })
        res.end(compress(json))
      })
      const answer = await get(`/${coding}`)
      expect([coding, answer.statusCode, JSON.parse(answer.body)]).toEqual([coding, 200, people])
      expect(seen.at(-1)?.headers['accept-encoding']).toBe(ACCEPT_ENCODING)
    }
    const response = await kit().http.request({ url: '/gzip' })
    expect(response.body).toEqual(people)
  })

  it('reads an answer that arrives in many chunks, multi-byte characters split across them', async () => {
    const text = JSON.stringify({ names: Array.from({ length: 5000 }, (_, i) => `Zoë Ørsted ${i} 名前`) })
    routes.set('/chunked', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const bytes = Buffer.from(text)
      for (let at = 0; at < bytes.length; at += 1001) res.write(bytes.subarray(at, at + 1001))
      res.end()
    })
    const answer = await get('/chunked')
    expect(answer.body).toBe(text)
  })

  it('sends JSON and form bodies with their type and length; a type the connector names wins', async () => {
    routes.set('/echo', (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    )
    const ctx = kit()
    await ctx.http.request({ method: 'POST', url: '/echo', json: { name: 'Zoë', ids: [1, 2] } })
    let request = seen.at(-1)
    expect(request?.body).toBe('{"name":"Zoë","ids":[1,2]}')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength('{"name":"Zoë","ids":[1,2]}')))
    await ctx.http.request({
      method: 'POST',
      url: '/echo',
      form: { grant_type: 'client_credentials', scope: 'a b' },
    })
    request = seen.at(-1)
    expect(request?.body).toBe('grant_type=client_credentials&scope=a+b')
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    await ctx.http.request({
      method: 'POST',
      url: '/echo',
      json: { q: 1 },
      headers: { 'Content-Type': 'application/vnd.acme+json', Accept: 'application/vnd.acme+json' },
    })
    request = seen.at(-1)
    expect(request?.headers['content-type']).toBe('application/vnd.acme+json')
    // one accept header, the connector's, not the kit's default beside it
    const accepts = (request?.rawHeaders ?? []).filter(
      (_, i, all) => i % 2 === 0 && all[i]?.toLowerCase() === 'accept',
    )
    expect([accepts.length, request?.headers.accept]).toEqual([1, 'application/vnd.acme+json'])
  })

  it('fails a request with no complete answer in time, and the kit names it unreachable after its retry', async () => {
    routes.set('/slow', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"data":')
      // never ends
    })
    const error = await rejection(get('/slow', 100))
    expect(error).toBeInstanceOf(TimeoutError)
    const before = seen.filter((r) => r.path === '/slow').length
    const failed = await failure(kit(100).http.request({ url: '/slow' }))
    expect([failed.code, failed.message]).toEqual([
      'unreachable',
      'Could not reach Local HR at 127.0.0.1: no answer within 100 ms',
    ])
    expect(seen.filter((r) => r.path === '/slow').length - before).toBe(2)
  })

  it('fails an answer cut off mid-body with the socket error, and the kit retries it', async () => {
    let calls = 0
    routes.set('/cut', (_req, _body, res) => {
      calls++
      if (calls === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
        res.write('{"data":[')
        setTimeout(() => res.socket?.destroy(), 10)
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(people))
    })
    const response = await kit().http.request({ url: '/cut' })
    expect([calls, response.body]).toEqual([2, people])
    calls = 0
    const error = (await rejection(get('/cut'))) as { code?: string }
    expect(error.code).toBe('ECONNRESET')
  })

  it('a body that is not in the coding its headers name is malformed_response, not retried', async () => {
    let calls = 0
    routes.set('/bad-gzip', (_req, _body, res) => {
      calls++
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end('{"not":"gzip"}')
    })
    const error = await rejection(get('/bad-gzip'))
    expect(error).toBeInstanceOf(UnreadableBodyError)
    calls = 0
    const failed = await failure(kit().http.request({ url: '/bad-gzip' }))
    expect([failed.code, calls]).toEqual(['malformed_response', 1])
    expect(failed.message).toBe('Local HR sent a body that is not valid gzip (GET /bad-gzip)')
  })

  it('refuses a body past the limit, as sent or once decompressed', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, ' ')
    routes.set('/big', (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(big),
    )
    routes.set('/bomb', (_req, _body, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(big)),
    )
    const limit = 1024 * 1024
    for (const path of ['/big', '/bomb']) {
      const error = await rejection(
        send(new URL(`${base}${path}`), {
          method: 'GET',
          headers: {},
          timeoutMs: 5000,
          signal: new AbortController().signal,
          maxBodyBytes: limit,
        }),
      )
      expect([path, error instanceof UnreadableBodyError, (error as Error).message]).toEqual([
        path,
        true,
        'a body larger than 1 MB',
      ])
    }
    // under the limit both read in full
    const answer = await send(new URL(`${base}/bomb`), {
      method: 'GET',
      headers: {},
      timeoutMs: 5000,
      signal: new AbortController().signal,
      maxBodyBytes: 4 * limit,
    })
    expect(answer.body.length).toBe(big.length)
  })

  it('leaves nothing on a signal shared by many requests, and aborts the one in flight', async () => {
    routes.set('/people', (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(people)),
    )
    const controller = new AbortController()
    const ctx = kit(30_000, { signal: controller.signal })
    for (let i = 0; i < 50; i++) await ctx.http.request({ url: '/people' })
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    routes.set('/hang', () => {})
    const pending = failure(ctx.http.request({ url: '/hang' }))
    setTimeout(() => controller.abort(), 30)
    expect((await pending).code).toBe('aborted')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    await expect(get('/people', 5000, controller.signal)).rejects.toBe(controller.signal.reason)
  })
})

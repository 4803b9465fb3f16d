import { getEventListeners } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { defineConnector } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KitHttpClient } from '../src/http.js'
import { createContext, Redactor } from '../src/index.js'
import { silentLogger } from '../src/redact.js'
import { sleep } from '../src/sleep.js'
import { failure, unhandledDuring } from './failure.js'

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

/** The kit's client on its own, with a body limit a test can reach. */
function client(maxBodyBytes: number) {
  return new KitHttpClient({
    vendor: 'Local HR',
    baseUrl: base,
    allowedHosts: ['127.0.0.1'],
    redactor: new Redactor(),
    log: silentLogger,
    signal: new AbortController().signal,
    sleep,
    retryLimit: 1,
    backoffBaseMs: 1,
    maxRetryAfterMs: 1000,
    timeoutMs: 5000,
    retryMethods: ['GET'],
    maxBodyBytes,
  })
}

describe('the HTTP engine (got)', () => {
  it('asks for compressed answers and undoes gzip, deflate and br', async () => {
    const json = JSON.stringify(people)
    const codings = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const
    for (const [coding, compress] of Object.entries(codings)) {
      routes.set(`/${coding}`, (_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding })
        res.end(compress(json))
      })
      const answer = await kit().http.request({ url: `/${coding}` })
      expect([coding, answer.status, answer.body]).toEqual([coding, 200, people])
      expect(seen.at(-1)?.headers['accept-encoding']).toMatch(/^gzip, deflate, br\b/)
    }
  })

  it('reads an answer that arrives in many chunks, multi-byte characters split across them', async () => {
    const text = JSON.stringify({ names: Array.from({ length: 5000 }, (_, i) => `Zoë Ørsted ${i} 名前`) })
    routes.set('/chunked', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const bytes = Buffer.from(text)
      for (let at = 0; at < bytes.length; at += 1001) res.write(bytes.subarray(at, at + 1001))
      res.end()
    })
    const answer = await kit().http.request({ url: '/chunked', responseType: 'text' })
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

  it('fails a request with no answer in time, and the kit names it unreachable after its retry', async () => {
    // never answers
    routes.set('/slow', () => {})
    const before = seen.filter((r) => r.path === '/slow').length
    const failed = await failure(kit(100).http.request({ url: '/slow' }))
    expect([failed.code, failed.message]).toEqual([
      'unreachable',
      'Could not reach Local HR at 127.0.0.1: no answer within 100 ms',
    ])
    expect(seen.filter((r) => r.path === '/slow').length - before).toBe(2)
  })

  it('issue 18: an answer stalled mid-body past the timeout is retried, and no rejection is left unhandled', async () => {
    let calls = 0
    routes.set('/stall-once', (_req, _body, res) => {
      calls++
      res.writeHead(200, { 'content-type': 'application/json' })
      // the first answer stops after its headers and part of the body
      if (calls === 1) res.write('{"data":')
      else res.end(JSON.stringify(people))
    })
    let body: unknown
    const unhandled = await unhandledDuring(async () => {
      body = (await kit(100).http.request({ url: '/stall-once' })).body
    })
    expect([calls, body, unhandled]).toEqual([2, people, []])
  })

  it('issue 18: an answer that stalls mid-body on every attempt is unreachable, and no rejection is left unhandled', async () => {
    routes.set('/stall', (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"data":')
    })
    const before = seen.filter((r) => r.path === '/stall').length
    let failed: Awaited<ReturnType<typeof failure>> | undefined
    const unhandled = await unhandledDuring(async () => {
      failed = await failure(kit(100).http.request({ url: '/stall' }))
    })
    expect([failed?.code, failed?.message, unhandled]).toEqual([
      'unreachable',
      'Could not reach Local HR at 127.0.0.1: no answer within 100 ms',
      [],
    ])
    expect(seen.filter((r) => r.path === '/stall').length - before).toBe(2)
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
  })

  it('a body that is not in the coding its headers name is malformed_response, not retried', async () => {
    let calls = 0
    routes.set('/bad-gzip', (_req, _body, res) => {
      calls++
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end('{"not":"gzip"}')
    })
    const failed = await failure(kit().http.request({ url: '/bad-gzip' }))
    expect([failed.code, calls]).toEqual(['malformed_response', 1])
    expect(failed.message).toBe('Local HR sent a compressed body that does not decompress (GET /bad-gzip)')
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
      const error = await failure(client(limit).request({ url: path }))
      expect([path, error.code, error.message]).toEqual([
        path,
        'malformed_response',
        `Local HR sent a body larger than 1 MB (GET ${path})`,
      ])
    }
    // under the limit both read in full
    const answer = await client(4 * limit).request({ url: '/bomb', responseType: 'text' })
    expect((answer.body as string).length).toBe(big.length)
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
    expect((await failure(ctx.http.request({ url: '/people' }))).code).toBe('aborted')
  })
})

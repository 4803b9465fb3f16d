import http, { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { KitHttpClient } from '../src/http.js'
import { Redactor } from '../src/index.js'
import { silentLogger } from '../src/redact.js'
import { sleep } from '../src/sleep.js'
import { unhandledDuring } from './failure.js'

// The runner's CLI loads the recording entry (for `hrsync dev record`) beside everything it serves.
describe('issue 18: loading the recording entry', () => {
  it('leaves node:http as Node made it until a recording starts', async () => {
    const { request, get, ClientRequest } = http
    await import('../src/testing/record.js')
    expect([http.request === request, http.get === get, http.ClientRequest === ClientRequest]).toEqual([
      true,
      true,
      true,
    ])
  })

  it('a vendor answer stalled mid-body past the timeout, then retried, leaves no rejection unhandled', async () => {
    await import('../src/testing/record.js')
    let calls = 0
    const server = createServer((_req, res) => {
      calls++
      res.writeHead(200, { 'content-type': 'application/json' })
      if (calls === 1) res.write('{"data":')
      else res.end('{"data":[]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const client = new KitHttpClient({
      vendor: 'Local HR',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      allowedHosts: ['127.0.0.1'],
      redactor: new Redactor(),
      log: silentLogger,
      signal: new AbortController().signal,
      sleep,
      retryLimit: 1,
      backoffBaseMs: 1,
      maxRetryAfterMs: 1000,
      timeoutMs: 500,
      retryMethods: ['GET'],
    })
    let body: unknown
    try {
      const unhandled = await unhandledDuring(async () => {
        body = (await client.request({ url: '/people' })).body
      })
      expect([calls, body, unhandled]).toEqual([2, { data: [] }, []])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

import http, { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createContext } from '@hrsync/connector-kit'
import { defineConnector } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { unhandledDuring } from './unhandled.js'

/** A connector's context against a local vendor: one retry, a half-second timeout. */
function localContext(baseUrl: string) {
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
    http: { timeoutMs: 500, retryMethods: ['GET'] },
    baseUrl: () => baseUrl,
    checkConnection: async () => {},
    async *listEmployees() {},
  })
  return createContext(connector, {}, { fetchRetryLimit: 1, backoffBaseMs: 1 })
}

// The runner's CLI loads the recording entry (for `hrsync dev --record`) beside everything it serves.
describe('issue 18: loading the recording entry', () => {
  it('leaves node:http as Node made it until a recording starts', async () => {
    const { request, get, ClientRequest } = http
    await import('../src/record.js')
    expect([http.request === request, http.get === get, http.ClientRequest === ClientRequest]).toEqual([
      true,
      true,
      true,
    ])
  })

  it('a vendor answer stalled mid-body past the timeout, then retried, leaves no rejection unhandled', async () => {
    await import('../src/record.js')
    let calls = 0
    const server = createServer((_req, res) => {
      calls++
      res.writeHead(200, { 'content-type': 'application/json' })
      if (calls === 1) res.write('{"data":')
      else res.end('{"data":[]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const ctx = localContext(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    let body: unknown
    try {
      const unhandled = await unhandledDuring(async () => {
        body = (await ctx.http.request({ url: '/people' })).body
      })
      expect([calls, body, unhandled]).toEqual([2, { data: [] }, []])
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

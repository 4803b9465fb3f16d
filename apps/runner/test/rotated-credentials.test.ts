import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { integrationConfig } from '../src/store/index.js'
import { type TestRunner, testRunner } from './support/runner.js'

// A vendor that spends the refresh token on every use and answers a new one (as Nmbrs does).
let server: Server
let baseUrl: string
let validRefreshToken = 'refresh-1'
let issued = 0

const rotating = defineConnector({
  id: 'rotating-hr',
  name: 'Rotating HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({
    baseUrl: Type.String(),
    clientId: Type.String(),
    refreshToken: Secret(Type.String()),
  }),
  allowedHosts: ['127.0.0.1'],
  baseUrl: (config) => config.baseUrl,
  auth: (config) => ({
    type: 'oauth2-refresh-token',
    tokenUrl: `${config.baseUrl}/token`,
    clientId: config.clientId,
    refreshToken: config.refreshToken,
  }),
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'none',
      statuses: ['active'],
      incremental: false,
    },
  },
  async checkConnection(ctx) {
    await ctx.http.request({ url: '/people' })
  },
  async *listEmployees(ctx) {
    const { body } = await ctx.http.request<{ people: Array<{ id: string; email: string }> }>({
      url: '/people',
    })
    yield body.people.map((p) => employee({ remoteId: p.id, email: p.email, status: 'active' }))
  },
})

let t: TestRunner

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      if (req.url === '/token') {
        const presented = new URLSearchParams(body).get('refresh_token')
        if (presented !== validRefreshToken) {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}')
          return
        }
        issued += 1
        validRefreshToken = `refresh-${issued + 1}`
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            access_token: `access-${issued}`,
            refresh_token: validRefreshToken,
            expires_in: 3600,
          }),
        )
        return
      }
      if (!req.headers.authorization?.startsWith('Bearer access-')) {
        res.writeHead(401).end()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ people: [{ id: '1', email: 'ada@example.com' }] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t = await testRunner({ connectors: [rotating] })
}, 60_000)

afterAll(async () => {
  await t?.close()
  server?.close()
})

describe('credentials the vendor rotates', () => {
  it('a refresh token spent by one sync is replaced in the sealed config, so the next sync works', async () => {
    const company = await t.call<{ id: string }>('POST', '/api/companies', {
      name: 'Rotating Co',
      plan: 'beyond',
      timeZone: 'Europe/Berlin',
    })
    const connect = await t.call<{ integration: { id: string } }>(
      'POST',
      `/api/companies/${company.body.id}/integrations`,
      {
        connector: 'rotating-hr',
        config: { baseUrl, clientId: 'client', refreshToken: 'refresh-1' },
      },
    )
    expect(connect.status).toBe(201)
    const id = connect.body.integration.id
    for (let run = 0; run < 3; run += 1) {
      const sync = await t.call<{ run: { status: string } }>('POST', `/api/integrations/${id}/sync`)
      expect(sync.status).toBe(200)
    }
    const { runs } = (
      await t.call<{ runs: Array<{ status: string }> }>('GET', `/api/integrations/${id}/runs`)
    ).body
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    const config = await integrationConfig(t.runner.services.db, t.runner.services.box, id)
    expect(config?.refreshToken).toBe(validRefreshToken)
    expect(t.bodies.join('\n')).not.toContain(validRefreshToken)
  })
})

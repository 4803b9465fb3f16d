import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signPayload } from '../src/events/webhook.js'
import { listDeliveries } from '../src/store/index.js'
import { type TestRunner, testRunner } from './support/runner.js'

const SECRET = 'webhook-shared-secret'

describe('signed webhook with an outbox', () => {
  let server: Server
  let url: string
  let down = true
  const received: Array<{ id: number; type: string; signature: string; body: string }> = []
  let attempts = 0

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => {
        body += chunk
      })
      request.on('end', () => {
        attempts++
        if (down) {
          response.statusCode = 503
          response.end()
          return
        }
        const event = JSON.parse(body) as { id: number; type: string }
        received.push({
          id: event.id,
          type: event.type,
          signature: String(request.headers['x-hrsync-signature']),
          body,
        })
        response.statusCode = 204
        response.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it(
    'delivers every event in order, signed, after the receiver comes back',
    { timeout: 120_000 },
    async () => {
      const t: TestRunner = await testRunner({
        webhook: { url, secret: SECRET, baseBackoffMs: 50, maxBackoffMs: 200, pollMs: 100 },
      })
      try {
        const company = await t.call<{ id: string }>('POST', '/api/companies', {
          name: 'Acme',
          plan: 'advanced',
          timeZone: 'UTC',
        })
        t.hr.hire({ remoteId: 'ann' }, { remoteId: 'bob' })
        const connected = await t.call<{ integration: { id: string } }>(
          'POST',
          `/api/companies/${company.body.id}/integrations`,
          {
            connector: 'memory',
            config: { tenant: 'acme', apiToken: 'token' },
          },
        )
        await t.call('POST', `/api/integrations/${connected.body.integration.id}/sync`)
        await new Promise((resolve) => setTimeout(resolve, 400))
        expect(received).toEqual([])
        expect(attempts).toBeGreaterThan(1)
        down = false
        const { events } = (
          await t.call<{ events: Array<{ id: number }> }>('GET', `/api/companies/${company.body.id}/events`)
        ).body
        for (let i = 0; i < 50 && received.length < events.length; i++)
          await new Promise((r) => setTimeout(r, 100))
        expect(received.map((r) => r.id)).toEqual(events.map((e) => e.id))
        expect(received.map((r) => r.type)).toContain('user.created')
        for (const delivery of received) {
          const timestamp = Number(/t=(\d+)/.exec(delivery.signature)![1])
          expect(delivery.signature).toBe(signPayload(SECRET, delivery.body, timestamp))
        }
        const log = await listDeliveries(t.runner.services.db)
        expect(log.every((d) => d.status === 'delivered')).toBe(true)
        expect(log.at(-1)!.attempts).toBeGreaterThan(1)
      } finally {
        await t.close()
      }
    },
  )
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { startRunner } from '../../src/runner.js'
import { listRuns } from '../../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../support/databases.js'
import { MemoryHr } from '../support/memory-connector.js'
import { type TestRunner, testRunner } from '../support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const postgres = await postgresReachable()

describe.skipIf(!postgres)('two runner replicas on one PostgreSQL database', () => {
  const schema = freshSchema()
  afterAll(async () => {
    await dropSchema(schema)
  })

  it('never sync one integration twice at once', async () => {
    const hr = new MemoryHr()
    hr.hire(...Array.from({ length: 400 }, (_, i) => ({ remoteId: `p${i}` })))
    const shared = {
      databaseUrl: POSTGRES_URL,
      databaseSchema: schema,
      secretKey: Buffer.alloc(32, 9).toString('base64'),
      adminToken: 'replica-admin-token-0123456789abcdef01',
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [hr.connector],
      logger: false as const,
      env: {},
    }
    const replicas = [await startRunner(shared), await startRunner(shared)]
    try {
      const call = async (i: number, method: 'GET' | 'POST', url: string, payload?: Json) => {
        const response = await replicas[i]!.services.app.inject({
          method,
          url,
          headers: { authorization: 'Bearer replica-admin-token-0123456789abcdef01' },
          ...(payload ? { payload } : {}),
        })
        return { status: response.statusCode, body: response.json() as Json }
      }
      const company = await call(0, 'POST', '/api/companies', {
        name: 'Acme',
        plan: 'advanced',
        timeZone: 'UTC',
      })
      const connected = await call(0, 'POST', `/api/companies/${company.body.id}/integrations`, {
        connector: 'memory',
        autoApply: true,
        config: { tenant: 'acme', apiToken: 'token' },
      })
      const integrationId = connected.body.integration.id
      for (let round = 0; round < 4; round++) {
        hr.update('p1', { jobTitle: `Title ${round}` })
        const answers = await Promise.all([
          call(0, 'POST', `/api/integrations/${integrationId}/sync`),
          call(1, 'POST', `/api/integrations/${integrationId}/sync`),
          call(0, 'POST', `/api/integrations/${integrationId}/sync`),
          call(1, 'POST', `/api/integrations/${integrationId}/sync`),
        ])
        for (const answer of answers) {
          if (answer.status === 200) expect(answer.body.run.status).toBe('succeeded')
          else expect(answer).toMatchObject({ status: 409, body: { error: { code: 'sync_in_progress' } } })
        }
        expect(answers.some((answer) => answer.status === 200)).toBe(true)
      }
      const runs = (await listRuns(replicas[0]!.services.db, integrationId)).sort((a, b) =>
        a.startedAt.localeCompare(b.startedAt),
      )
      for (let i = 1; i < runs.length; i++) {
        expect(Date.parse(runs[i]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1]!.finishedAt))
      }
      const users = await call(1, 'GET', `/api/companies/${company.body.id}/users?limit=500`)
      expect([users.body.users.length, users.body.nextCursor]).toEqual([400, null])
    } finally {
      for (const replica of replicas) await replica.close()
    }
  })
})

describe('the webhook receiver is down for a while', () => {
  let server: Server | null = null
  let port = 0
  const received: number[] = []
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((request, response) => {
        let body = ''
        request.on('data', (chunk) => {
          body += chunk
        })
        request.on('end', () => {
          received.push((JSON.parse(body) as { id: number }).id)
          response.statusCode = 204
          response.end()
        })
      })
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port
        resolve()
      })
    })
  const close = () => new Promise((resolve) => server?.close(resolve))

  afterAll(async () => {
    await close()
  })

  it('gets every event once it is back, once each, in order', async () => {
    await listen()
    await close() // the port is known and nothing answers on it: connections are refused
    const t: TestRunner = await testRunner({
      webhook: {
        url: `http://127.0.0.1:${port}/hooks`,
        secret: 'hook-secret',
        baseBackoffMs: 20,
        maxBackoffMs: 150,
        pollMs: 50,
      },
    })
    try {
      const company = await t.call<Json>('POST', '/api/companies', {
        name: 'Acme',
        plan: 'advanced',
        timeZone: 'UTC',
      })
      t.hr.hire({ remoteId: 'ann' }, { remoteId: 'bob' })
      const connected = await t.call<Json>('POST', `/api/companies/${company.body.id}/integrations`, {
        connector: 'memory',
        config: { tenant: 'acme', apiToken: 'token' },
      })
      const integrationId = connected.body.integration.id
      // several syncs while the receiver is down
      await t.call('POST', `/api/integrations/${integrationId}/sync`)
      t.hr.hire({ remoteId: 'cyd' })
      await t.call('POST', `/api/integrations/${integrationId}/sync`)
      t.hr.fire('bob')
      await t.call('POST', `/api/integrations/${integrationId}/sync`)
      await sleep(500)
      expect(received).toEqual([])

      await listen()
      const { events } = (await t.call<Json>('GET', `/api/companies/${company.body.id}/events?limit=500`))
        .body
      for (let i = 0; i < 100 && received.length < events.length; i++) await sleep(100)
      await sleep(300)
      expect(received).toEqual(events.map((event: Json) => event.id))
    } finally {
      await t.close()
    }
  })
})

import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { isInternalAddress, publicOnlyLookup, webhookUrlProblem } from '../src/events/address.js'
import {
  createCompany,
  createSecretBox,
  generateKey,
  getWebhookEndpointById,
  insertWebhookEndpoint,
  resealWebhookSecrets,
} from '../src/store/index.js'
import { ENGINES, type Engine, openTestDatabase, postgresReachable } from './support/databases.js'
import { type TestRunner, testRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on this machine: records every request, answers the queued statuses, then 200. */
class Receiver {
  readonly received: Received[] = []
  answers: number[] = []
  private server: Server | null = null
  url = ''

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
        response.statusCode = this.answers.shift() ?? 200
        response.end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve))
  }
}

/** Verifies a signature header as a receiver does: the secret verifies when any v1 matches. */
function verifies(header: string | undefined, body: string, secret: string): boolean {
  const parts = (header ?? '').split(',').map((part) => part.split('=') as [string, string])
  const timestamp = parts.find(([name]) => name === 't')?.[1]
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  return parts.some(([name, value]) => name === 'v1' && value === expected)
}

const signaturesIn = (header: string | undefined) =>
  (header ?? '').split(',').filter((part) => part.startsWith('v1=')).length

// Issue 20 §3: webhook endpoints per company, on the embedded database and on PostgreSQL whenever
// it answers; in CI it must.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('issue 20 §3: company webhook endpoints, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let receiver: Receiver

  const base = () => `/api/companies/${companyId}/webhooks`
  const addUser = (email: string) =>
    t.call<Json>('POST', `/api/companies/${companyId}/users`, { email, status: 'active' })
  const deliveries = async (endpointId: string): Promise<Json[]> =>
    (await t.call<Json>('GET', `${base()}/${endpointId}/deliveries`)).body.deliveries
  const settled = (endpointId: string, count: number) =>
    vi.waitFor(
      async () => {
        const log = await deliveries(endpointId)
        expect(log.filter((delivery) => delivery.status !== 'pending')).toHaveLength(count)
        return log as [Json, ...Json[]]
      },
      { timeout: 10_000, interval: 25 },
    )

  beforeAll(async () => {
    const options = {
      env: { HRSYNC_WEBHOOK_ALLOW_PRIVATE: 'true' },
      webhookEndpoints: { baseBackoffMs: 20, pollMs: 50 },
    }
    t = await testRunnerOn(engine, options)
  })
  afterAll(async () => {
    await t?.close()
  })
  beforeEach(async () => {
    companyId = (await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })).body.id
    receiver = new Receiver()
    await receiver.start()
    return () => receiver.stop()
  })

  it('§3: an event after the endpoint is created is delivered, signed with its secret, once', async () => {
    const created = await t.call<Json>('POST', base(), { url: receiver.url })
    expect(created.status).toBe(201)
    const { endpoint, secret } = created.body
    expect(secret).toMatch(/^whsec_/)
    expect(endpoint).toMatchObject({ companyId, url: receiver.url, eventTypes: null, enabled: true })
    const user = (await addUser('ann@acme.test')).body

    const [delivery] = await settled(endpoint.id, 1)
    expect(delivery).toMatchObject({ status: 'delivered', eventType: 'user.created', attempts: 1 })
    expect(delivery.attemptLog).toEqual([expect.objectContaining({ status: 200, error: null })])
    expect(receiver.received).toHaveLength(1)
    const [request] = receiver.received
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'user.created', companyId, payload: { user } })
    expect(request!.headers['x-hrsync-delivery']).toBe(delivery.id)
    expect(verifies(request!.headers['x-hrsync-signature'] as string, request!.body, secret)).toBe(true)
    expect(verifies(request!.headers['x-hrsync-signature'] as string, request!.body, 'whsec_other')).toBe(
      false,
    )

    // the secret is in the creation's answer only
    const shown = [
      await t.call('GET', base()),
      await t.call('GET', `${base()}/${endpoint.id}`),
      await t.call('GET', `${base()}/${endpoint.id}/deliveries`),
    ]
    for (const answer of shown) expect(JSON.stringify(answer.body)).not.toContain(secret)
  })

  it('§3: an event-type filter delivers only those types; a disabled endpoint gets nothing', async () => {
    const filtered = (await t.call<Json>('POST', base(), { url: receiver.url, eventTypes: ['user.deleted'] }))
      .body.endpoint
    const user = (await addUser('bo@acme.test')).body
    expect((await t.call('DELETE', `/api/users/${user.id}`)).status).toBe(204)
    const log = await settled(filtered.id, 1)
    expect(log.map((delivery) => delivery.eventType)).toEqual(['user.deleted'])

    const off = await t.call<Json>('PATCH', `${base()}/${filtered.id}`, { enabled: false, eventTypes: null })
    expect(off.body).toMatchObject({ enabled: false, eventTypes: null })
    await addUser('cy@acme.test')
    expect(await deliveries(filtered.id)).toHaveLength(1)
  })

  it('§3: after a rotation both secrets sign during the overlap, the new one first', async () => {
    const { endpoint, secret: old } = (await t.call<Json>('POST', base(), { url: receiver.url })).body
    const rotated = await t.call<Json>('POST', `${base()}/${endpoint.id}/rotate-secret`)
    expect(rotated.status).toBe(200)
    const fresh = rotated.body.secret
    expect(fresh).not.toBe(old)
    const overlapHours = (Date.parse(rotated.body.endpoint.previousSecretUntil) - Date.now()) / 3_600_000
    expect(Math.round(overlapHours)).toBe(24)

    await addUser('di@acme.test')
    await settled(endpoint.id, 1)
    const [request] = receiver.received
    const header = request!.headers['x-hrsync-signature'] as string
    expect(signaturesIn(header)).toBe(2)
    expect(verifies(header, request!.body, fresh)).toBe(true)
    expect(verifies(header, request!.body, old)).toBe(true)
    expect(verifies(header.replace(/,v1=[^,]+$/, ''), request!.body, fresh)).toBe(true)
  })

  it('§3: a failed delivery is retried with backoff until it succeeds; the log shows each attempt', async () => {
    receiver.answers = [500, 503]
    const { endpoint } = (await t.call<Json>('POST', base(), { url: receiver.url })).body
    await addUser('ed@acme.test')
    const [delivery] = await settled(endpoint.id, 1)
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null })
    expect(delivery.attemptLog.map((attempt: Json) => [attempt.status, attempt.error])).toEqual([
      [500, 'the receiver answered 500'],
      [503, 'the receiver answered 503'],
      [200, null],
    ])
    expect(receiver.received).toHaveLength(3)
  })

  it('§3: deliveries that keep failing stop after the attempts run out, and redeliver sends again', async () => {
    receiver.answers = Array(8).fill(500)
    const { endpoint, secret } = (await t.call<Json>('POST', base(), { url: receiver.url })).body
    await addUser('fa@acme.test')
    const [failed] = await settled(endpoint.id, 1)
    expect(failed).toMatchObject({ status: 'failed', attempts: 8, lastStatus: 500, nextAttemptAt: null })

    const again = await t.call<Json>('POST', `${base()}/${endpoint.id}/deliveries/${failed.id}/redeliver`)
    expect(again.status).toBe(202)
    expect(again.body).toMatchObject({ eventId: failed.eventId, status: 'pending' })
    const log = await settled(endpoint.id, 2)
    expect(log[0]).toMatchObject({ id: again.body.id, status: 'delivered', eventId: failed.eventId })
    const last = receiver.received.at(-1)!
    expect(JSON.parse(last.body).id).toBe(failed.eventId)
    expect(verifies(last.headers['x-hrsync-signature'] as string, last.body, secret)).toBe(true)

    // the log pages newest first, its limit bounded
    const page = await t.call<Json>('GET', `${base()}/${endpoint.id}/deliveries?limit=1`)
    expect(page.body.deliveries.map((d: Json) => d.id)).toEqual([again.body.id])
    const next = await t.call<Json>(
      'GET',
      `${base()}/${endpoint.id}/deliveries?limit=1&cursor=${page.body.nextCursor}`,
    )
    expect(next.body).toMatchObject({ deliveries: [{ id: failed.id }], nextCursor: null })
    expect((await t.call('GET', `${base()}/${endpoint.id}/deliveries?limit=101`)).status).toBe(400)
    expect((await t.call('GET', `${base()}/${endpoint.id}/deliveries?cursor=abc`)).status).toBe(400)
  })

  it("§3: another company's key gets 404 for every endpoint route; deleting the company erases its endpoints", async () => {
    const { endpoint } = (await t.call<Json>('POST', base(), { url: receiver.url })).body
    await addUser('gu@acme.test')
    const [delivery] = await settled(endpoint.id, 1)
    const other = (await t.call<Json>('POST', '/api/companies', { name: 'Other', plan: 'advanced' })).body.id
    const key = (await t.call<Json>('POST', '/api/keys', { name: 'other app', companyId: other })).body.key
    const as = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
      const response = await t.runner.services.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(body === undefined ? {} : { payload: body as Json }),
      })
      return { status: response.statusCode, body: response.json() as Json }
    }
    const mine = `${base()}/${endpoint.id}`
    const theirs = `/api/companies/${other}/webhooks/${endpoint.id}`
    for (const [method, url, body] of [
      ['GET', base()],
      ['POST', base(), { url: receiver.url }],
      ['GET', mine],
      ['PATCH', mine, { enabled: false }],
      ['DELETE', mine],
      ['POST', `${mine}/rotate-secret`],
      ['GET', `${mine}/deliveries`],
      ['POST', `${mine}/deliveries/${delivery.id}/redeliver`],
      // its own company in the path, this company's endpoint after it
      ['GET', theirs],
      ['PATCH', theirs, { enabled: false }],
      ['DELETE', theirs],
      ['POST', `${theirs}/rotate-secret`],
      ['GET', `${theirs}/deliveries`],
      ['POST', `${theirs}/deliveries/${delivery.id}/redeliver`],
    ] as const) {
      const answer = await as(method, url, body)
      expect(answer.status, `${method} ${url}`).toBe(404)
    }
    expect((await t.call<Json>('GET', mine)).body.enabled).toBe(true)

    const deleted = await t.call('DELETE', `/api/companies/${companyId}`, { confirm: companyId })
    expect(deleted.status).toBe(200)
    const left = await t.runner.services.db.query('SELECT id FROM webhook_endpoints WHERE company_id = $1', [
      companyId,
    ])
    expect(left).toEqual([])
  })

  it('§3: a bad URL or body is refused with a 400 and creates nothing', async () => {
    for (const body of [
      { url: 'not a url' },
      { url: 'ftp://example.com/hooks' },
      { url: 'https://user:pass@example.com/hooks' },
      { url: receiver.url, eventTypes: [] },
      { url: receiver.url, extra: true },
    ]) {
      const answer = await t.call<Json>('POST', base(), body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
    }
    expect((await t.call<Json>('GET', base())).body.endpoints).toEqual([])
  })
})

describe('issue 20 §3: webhook URLs cannot reach internal addresses (SSRF)', () => {
  let t: TestRunner

  beforeAll(async () => {
    t = await testRunner()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('§3: the API refuses http, loopback, private and link-local URLs unless the operator allows them', async () => {
    const companyId = (await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })).body
      .id
    for (const url of [
      'http://example.com/hooks',
      'https://127.0.0.1/hooks',
      'https://localhost:8443/hooks',
      'https://10.1.2.3/hooks',
      'https://172.20.0.1/hooks',
      'https://192.168.1.1/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hooks',
      'https://[fd00::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
    ]) {
      const answer = await t.call<Json>('POST', `/api/companies/${companyId}/webhooks`, { url })
      expect(answer.status, url).toBe(400)
      expect(answer.body.error.code, url).toBe('invalid_webhook_url')
    }
    expect(
      (
        await t.call<Json>('POST', `/api/companies/${companyId}/webhooks`, {
          url: 'https://hooks.example.com/x',
        })
      ).status,
    ).toBe(201)
    expect(webhookUrlProblem('http://127.0.0.1:8080/hooks', true)).toBeNull()
  })

  it('§3: at delivery the host is resolved again and an internal answer refuses the connection', async () => {
    expect(isInternalAddress('8.8.8.8')).toBe(false)
    expect(isInternalAddress('::ffff:10.0.0.1')).toBe(true)
    const error = await new Promise<Error | null>((resolve) =>
      publicOnlyLookup('localhost', { all: true }, (failure) => resolve(failure)),
    )
    expect(error?.message).toBe('localhost resolves to an internal address, which webhooks may not reach')
  })
})

describe('issue 20 §3: webhook endpoint secrets under a key rotation', () => {
  it('§3: a secret sealed with the previous key is sealed again with the current one at start, unchanged', async () => {
    const { db, close } = await openTestDatabase('pglite')
    try {
      const oldKey = generateKey()
      const before = createSecretBox(oldKey)
      const company = await createCompany(db, { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
      const endpoint = await insertWebhookEndpoint(db, {
        companyId: company.id,
        url: 'https://hooks.example.com/x',
        eventTypes: null,
        secretSealed: before.seal('whsec_kept'),
      })
      const after = createSecretBox(generateKey(), [oldKey])
      expect(await resealWebhookSecrets(db, after)).toEqual({ resealed: 1, unreadable: 0 })
      const stored = (await getWebhookEndpointById(db, endpoint.id))!
      expect(after.isStale(stored.secretSealed)).toBe(false)
      expect(after.open(stored.secretSealed)).toBe('whsec_kept')
      // a key the runner lacks leaves the secret as it is, for that key to come back
      expect(await resealWebhookSecrets(db, createSecretBox(generateKey()))).toEqual({
        resealed: 0,
        unreadable: 1,
      })
    } finally {
      await close()
    }
  })
})

import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { defineConnector, employee, type HttpOptions, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'
import { createCompany, createIntegration } from '../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { API_TOKEN } from './support/runner.js'

/** Requests per sync: one page of one person each, read one after the other. */
const PAGES = 6
/** The vendor's documented limit in the test: 5 requests in any second. */
const LIMIT = { requests: 5, seconds: 1 }

/**
 * The vendor, in a process of its own: it notes when each request arrives (and for which company) on an
 * event loop the runners do not share, so a busy test process cannot blur the times. GET /arrivals answers
 * what it noted.
 */
const VENDOR = `
import { createServer } from 'node:http'
const arrivals = []
const server = createServer((req, res) => {
  const [, tenant = '', page = '0'] = new URL(req.url, 'http://vendor').pathname.split('/')
  res.writeHead(200, { 'content-type': 'application/json' })
  if (tenant === 'arrivals') return res.end(JSON.stringify(arrivals))
  arrivals.push({ at: Date.now(), tenant })
  const next = Number(page) + 1 < ${PAGES} ? Number(page) + 1 : null
  res.end(JSON.stringify({ id: tenant + '-' + page, next }))
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
`

class CountingVendor {
  private child: ChildProcess | null = null
  url = ''

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', VENDOR], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    this.child = child
    const [port] = (await once(child.stdout!, 'data')) as [Buffer]
    this.url = `http://127.0.0.1:${port.toString().trim()}`
  }

  async stop(): Promise<void> {
    if (!this.child) return
    this.child.kill()
    await once(this.child, 'exit')
  }

  /** The arrival times of the requests of these companies, in order. */
  async times(tenants: string[]): Promise<number[]> {
    const arrivals = (await (await fetch(`${this.url}/arrivals`)).json()) as Array<{
      at: number
      tenant: string
    }>
    return arrivals
      .filter((arrival) => tenants.includes(arrival.tenant))
      .map((arrival) => arrival.at)
      .sort((a, b) => a - b)
  }
}

/** The most requests that arrived within any `seconds` (counted from each arrival). */
function busiestWindow(times: number[], seconds: number): number {
  let most = 0
  for (let i = 0; i < times.length; i++) {
    let j = i
    while (j < times.length && times[j]! - times[i]! < seconds * 1000) j++
    most = Math.max(most, j - i)
  }
  return most
}

/** A connector reading PAGES pages of one person each, with the limits given. */
function pagedConnector(id: string, http: HttpOptions) {
  return defineConnector({
    id,
    name: `Paced HR (${id})`,
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({
      baseUrl: Type.String({ minLength: 1 }),
      tenant: Type.String({ minLength: 1 }),
      apiToken: Secret(Type.String({ minLength: 1 })),
    }),
    allowedHosts: ['127.0.0.1'],
    baseUrl: (config) => config.baseUrl,
    auth: (config) => ({ type: 'bearer', token: config.apiToken }),
    http,
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'none',
        statuses: ['active'],
        incremental: false,
      },
    },
    async checkConnection() {},
    async *listEmployees(ctx) {
      let page: number | null = 0
      while (page !== null) {
        const { body }: { body: { id: string; next: number | null } } = await ctx.http.request<{
          id: string
          next: number | null
        }>({
          url: `/${ctx.config.tenant}/${page}`,
        })
        yield [employee({ remoteId: body.id, email: `${body.id}@example.test`, status: 'active' })]
        page = body.next
      }
    },
  })
}

const appLimited = pagedConnector('app-limited-hr', { requestLimits: [LIMIT], limitScope: 'app' })
const credentialLimited = pagedConnector('credential-limited-hr', { requestLimits: [LIMIT] })

describe('vendor limits counted per app, on two runners sharing PostgreSQL', () => {
  const vendor = new CountingVendor()
  let schema: string | null = null
  let runners: Runner[] = []

  beforeAll(async () => {
    if (!(await postgresReachable())) return
    schema = freshSchema()
    await vendor.start()
    const start = () =>
      startRunner({
        databaseUrl: POSTGRES_URL,
        databaseSchema: schema!,
        secretKey: `${'x'.repeat(43)}=`,
        adminToken: 'test-admin-token-0123456789abcdef0123456',
        listen: false,
        scheduler: false,
        discoverPlugins: false,
        connectors: [appLimited, credentialLimited],
        logger: false,
        env: {},
      })
    runners = [await start(), await start()]
  }, 30_000)

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.close()))
    await vendor.stop()
    if (schema) await dropSchema(schema)
  })

  /** Connects a company to the connector; the sync of each later runs on the runner given. */
  async function connect(connectorId: string, tenant: string): Promise<string> {
    const { db, box } = runners[0]!.services
    const company = await createCompany(db, { name: tenant, plan: 'beyond', timeZone: 'UTC' })
    const integration = await createIntegration(db, box, {
      companyId: company.id,
      connectorId,
      mode: 'pull',
      config: { baseUrl: vendor.url, tenant, apiToken: `${API_TOKEN}-${tenant}` },
      nextSyncAt: null,
    })
    return integration.id
  }

  /** Syncs every integration at once, alternating between the two runners; all must succeed. */
  async function syncTogether(ids: string[]): Promise<void> {
    const outcomes = await Promise.all(ids.map((id, i) => runners[i % 2]!.services.sync.sync(id)))
    expect(outcomes.map((outcome) => outcome.run.status)).toEqual(ids.map(() => 'succeeded'))
  }

  it('keeps the syncs of four companies on both runners within the app’s one budget', async (ctx) => {
    if (!schema) return ctx.skip()
    const tenants = ['app-a', 'app-b', 'app-c', 'app-d']
    const ids = await Promise.all(tenants.map((tenant) => connect('app-limited-hr', tenant)))
    await syncTogether(ids)

    const times = await vendor.times(tenants)
    expect(times).toHaveLength(tenants.length * PAGES)
    // a margin of one request for a departure delayed by a busy machine
    expect(busiestWindow(times, LIMIT.seconds)).toBeLessThanOrEqual(LIMIT.requests + 1)
    // 24 requests at 5 a second take close to five seconds, whichever runner sent them
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(
      ((times.length - 1) * 1000) / LIMIT.requests - 250,
    )
    // the bookings were made in the shared database, not by one process's own limiter
    const booked = await runners[1]!.services.db.query<{ key: string; ahead: number }>(
      'SELECT key, theoretical_arrival_ms AS ahead FROM rate_limit_paces',
    )
    expect(booked.map((row) => row.key)).toEqual(['app-limited-hr:app'])
    expect(booked[0]!.ahead).toBeGreaterThanOrEqual(times.at(-1)! - 500)
  }, 30_000)

  it('lets companies whose limits count per credential each go at their own pace', async (ctx) => {
    if (!schema) return ctx.skip()
    const tenants = ['own-a', 'own-b']
    const ids = await Promise.all(tenants.map((tenant) => connect('credential-limited-hr', tenant)))
    await syncTogether(ids)

    for (const tenant of tenants) {
      expect(busiestWindow(await vendor.times([tenant]), LIMIT.seconds)).toBeLessThanOrEqual(
        LIMIT.requests + 1,
      )
    }
    // together they went faster than one budget would allow: each spent its own five at once
    expect(busiestWindow(await vendor.times(tenants), LIMIT.seconds)).toBeGreaterThan(LIMIT.requests + 1)
  }, 30_000)
})

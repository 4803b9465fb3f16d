import okta from '@hrsync/connector-okta'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type ApiRoute, recordRoutes, routeTable } from '../src/api/auth.js'
import { type Runner, startRunner } from '../src/runner.js'
import { MemoryHr } from './support/memory-connector.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

/** The routes anyone may call; a new public route must be added here on purpose. */
const PUBLIC = [
  /^\/health$/,
  /^\/api\/invitations\/:token\/accept$/,
  /^\/docs(\/.*)?$/,
  /^\/(?!api\/|scim\/)/,
]

/** Ways to write a route's path that the router may or may not take for the same route. */
function spellings(path: string): string[] {
  const [first = '', ...rest] = path.split('/').slice(1)
  const tail = rest.length > 0 ? `/${rest.join('/')}` : ''
  const encode = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')
  return [
    `/%${first.charCodeAt(0).toString(16)}${first.slice(1)}${tail}`, // /%61pi/companies
    `/${first.slice(0, -1)}%${first
      .charCodeAt(first.length - 1)
      .toString(16)
      .toUpperCase()}${tail}`,
    `/${encode(first)}${tail}`, // /%61%70%69/companies
    `/${first.toUpperCase()}${tail}`,
    `/${first[0]?.toUpperCase()}${first.slice(1)}${tail}`,
    `//${first}${tail}`,
    `/${first}/${tail}`,
    `${path}/`,
  ]
}

describe('issue 18: who reaches which route', () => {
  const hr = new MemoryHr()
  let runner: Runner
  let scimToken: string
  let ids: Record<string, string>
  let address = 0
  /** a client address of its own per check, so the failed-attempt throttle never answers instead */
  const nextAddress = () => `10.18.${Math.floor(++address / 250)}.${(address % 250) + 1}`
  const inject = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    runner.services.app.inject({
      method: method as 'GET',
      url,
      headers,
      remoteAddress: nextAddress(),
      ...(payload === undefined ? {} : { payload: payload as Json }),
    })
  const admin = async (method: string, url: string, payload?: unknown) => {
    const response = await inject(method, url, { authorization: `Bearer ${runner.adminToken}` }, payload)
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as Json }
  }

  beforeAll(async () => {
    runner = await startRunner({
      inMemory: true,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [hr.connector, okta],
      logger: false,
      env: {},
    })
    const company = await admin('POST', '/api/companies', { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
    const pushed = await admin('POST', '/api/companies', {
      name: 'Pushed',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    const scim = await admin('POST', `/api/companies/${pushed.body.id}/integrations`, {
      connector: 'okta',
      config: {},
    })
    scimToken = scim.body.scim.token
    hr.hire({ remoteId: 'ceo' }, { remoteId: 'ann', managerRemoteId: 'ceo' })
    const pulled = await admin('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'memory',
      autoApply: true,
      config: { tenant: 'acme', apiToken: 'memory-token' },
    })
    const synced = await admin('POST', `/api/integrations/${pulled.body.integration.id}/sync`)
    const users = await admin('GET', `/api/companies/${company.body.id}/users`)
    const team = await admin('POST', `/api/companies/${company.body.id}/teams`, { name: 'Ops' })
    ids = {
      companyId: company.body.id,
      id: pulled.body.integration.id,
      runId: synced.body.run.id,
      userId: users.body.users[0].id,
      teamId: team.body.id,
      token: 'no-such-invitation',
    }
  })
  afterAll(() => runner?.close())

  /** The route's path with real ids: an open route would answer with real data. */
  const concrete = (route: ApiRoute) =>
    route.url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'x').replace(/\*$/, 'x')

  it('item 1: the admin API refuses /%61pi/companies and every other spelling without the token', async () => {
    for (const url of ['/%61pi/companies', '/ap%69/companies', '/%61%70%69/companies']) {
      const response = await inject('GET', url)
      expect(response.statusCode, url).toBe(401)
      expect(response.body).not.toContain(ids.companyId)
    }
    const created = await inject('POST', '/%61pi/companies', {}, { name: 'X', plan: 'advanced' })
    expect(created.statusCode).toBe(401)
  })

  it('item 1: every route declares its access; the public ones are exactly the health check, accepting an invitation, the docs and the console', () => {
    const table = routeTable(runner.services.app)
    expect(table.length).toBeGreaterThan(30)
    for (const route of table) {
      expect(['public', 'admin', 'scim'], `${route.method} ${route.url}`).toContain(route.access)
      const publicPath = PUBLIC.some((pattern) => pattern.test(route.url))
      expect(route.access === 'public', `${route.method} ${route.url} is public`).toBe(publicPath)
      expect(route.access === 'scim', `${route.method} ${route.url}`).toBe(route.url.startsWith('/scim/v2'))
    }
  })

  it('item 1: a route that declares no access stops the server from starting', async () => {
    const app = Fastify()
    recordRoutes(app)
    app.get('/api/forgotten', async () => ({ secret: true }))
    await expect(app.ready()).rejects.toThrow('GET /api/forgotten declares no access (config.access)')
  })

  it('item 1: every admin and SCIM route, under every spelling, answers 401 (or 404) without the right token', async () => {
    const wrong = `Bearer ${'w'.repeat(runner.adminToken.length)}`
    const credentials: Record<string, Record<string, string>> = {
      none: {},
      wrong: { authorization: wrong },
      scim: { authorization: `Bearer ${scimToken}` },
      admin: { authorization: `Bearer ${runner.adminToken}` },
    }
    const seen: string[] = []
    for (const route of routeTable(runner.services.app)) {
      if (route.access === 'public') continue
      const refused = route.access === 'admin' ? ['none', 'wrong', 'scim'] : ['none', 'wrong', 'admin']
      const path = concrete(route)
      for (const name of refused) {
        for (const url of [path, ...spellings(path)]) {
          const response = await inject(
            route.method,
            url,
            credentials[name],
            route.method === 'POST' ? {} : undefined,
          )
          const where = `${route.method} ${url} with ${name} token: ${response.statusCode} ${response.body}`
          if (url === path) expect(response.statusCode, where).toBe(401)
          else expect([401, 404], where).toContain(response.statusCode)
          for (const id of Object.values(ids))
            if (!url.includes(id)) expect(response.body, where).not.toContain(id)
        }
      }
      seen.push(`${route.method} ${route.url}`)
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'GET /api/companies',
        'POST /api/integrations/:id/scim-token/rotate',
        'GET /scim/v2/Users',
      ]),
    )
  })

  it('item 1: NUL is refused on a percent-encoded path too', async () => {
    const { status, body } = await admin('POST', '/%61pi/companies', { name: 'A\u0000B', plan: 'advanced' })
    expect(status).toBe(400)
    expect(body.error.message).toBe('body.name holds the NUL character (\\u0000), which cannot be stored')
  })

  it('item 10: /health says up or down to anyone; its details need the token', async () => {
    const up = await inject('GET', '/health')
    expect([up.statusCode, up.json()]).toEqual([200, { status: 'up' }])
    expect((await inject('GET', '/api/health')).statusCode).toBe(401)
    const details = await admin('GET', '/api/health')
    expect(details.body).toMatchObject({ status: 'ok', database: { status: 'ok' }, plugins: { failed: [] } })
    const query = vi.spyOn(runner.services.db, 'query').mockRejectedValueOnce(new Error('gone'))
    const down = await inject('GET', '/health')
    query.mockRestore()
    expect([down.statusCode, down.json()]).toEqual([503, { status: 'down' }])
  })
})

describe('issue 18 item 10: admin tokens and guessing', () => {
  it('refuses an HRSYNC_ADMIN_TOKEN shorter than 32 characters at start', async () => {
    await expect(
      startRunner({
        inMemory: true,
        listen: false,
        scheduler: false,
        discoverPlugins: false,
        env: { HRSYNC_ADMIN_TOKEN: 'a' },
      }),
    ).rejects.toThrow(/HRSYNC_ADMIN_TOKEN is 1 characters; use at least 32/)
  })

  it('answers 429 with Retry-After after 20 wrong tokens from one address, until the minute is over', async () => {
    let now = new Date('2030-01-01T00:00:00Z')
    const runner = await startRunner({
      inMemory: true,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      logger: false,
      env: {},
      now: () => now,
    })
    try {
      const call = (token: string, remoteAddress = '192.0.2.7') =>
        runner.services.app.inject({
          method: 'GET',
          url: '/api/companies',
          headers: { authorization: `Bearer ${token}` },
          remoteAddress,
        })
      for (let guess = 0; guess < 20; guess++) expect((await call(`guess-${guess}`)).statusCode).toBe(401)
      const throttled = await call('guess-20')
      expect(throttled.statusCode).toBe(429)
      expect(throttled.headers['retry-after']).toBe('60')
      expect(throttled.json().error.code).toBe('too_many_failed_attempts')
      // while throttled the token is not even compared: the right one waits too
      expect((await call(runner.adminToken)).statusCode).toBe(429)
      expect((await call(runner.adminToken, '192.0.2.8')).statusCode).toBe(200)
      now = new Date(now.getTime() + 45_000)
      expect((await call('guess-21')).headers['retry-after']).toBe('15')
      now = new Date(now.getTime() + 15_000)
      expect((await call(runner.adminToken)).statusCode).toBe(200)
    } finally {
      await runner.close()
    }
  })
})

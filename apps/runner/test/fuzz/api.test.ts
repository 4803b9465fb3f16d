import okta from '@hrsync/connector-okta'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTable } from '../../src/api/auth.js'
import { type Runner, startRunner } from '../../src/runner.js'
import { dropSchema, ENGINES, freshSchema, POSTGRES_URL, postgresReachable } from '../support/databases.js'
import { MemoryHr } from '../support/memory-connector.js'
import { API_TOKEN, type TestRunner, testRunner } from '../support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

/** Whatever a client might send: any JSON, and near misses of the real bodies. */
const anyJson = fc.jsonValue({ maxDepth: 3 })
/** Text of every kind, NUL and lone surrogates included (the database cannot store NUL). */
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant('a\u0000b'))
const nearCompany = fc.record(
  {
    name: fc.oneof(text, fc.constant(''), fc.integer(), fc.constant(null)),
    plan: fc.oneof(fc.constantFrom('essential', 'advanced', 'beyond', 'gold', ''), text, fc.integer()),
    timeZone: fc.oneof(fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus', ''), text),
  },
  { requiredKeys: [] },
)
const nearUser = fc.record(
  {
    email: fc.oneof(fc.emailAddress(), text, fc.constant(null)),
    firstName: fc.oneof(text, fc.integer(), fc.constant(null)),
    lastName: fc.oneof(text, fc.constant(null)),
    role: fc.oneof(fc.constantFrom('admin', 'member', 'owner'), text),
    status: fc.oneof(fc.constantFrom('active', 'invited', 'uninvited', 'deactivated', 'zombie'), text),
  },
  { requiredKeys: [] },
)
const nearConnect = fc.record(
  {
    connector: fc.oneof(fc.constantFrom('memory', 'nope', ''), text, fc.integer()),
    config: fc.oneof(
      anyJson,
      fc.record(
        { tenant: fc.oneof(text, fc.integer()), apiToken: fc.oneof(text, fc.constant(null)) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
)

describe('admin API bodies, fuzzed', () => {
  let t: TestRunner
  let companyId: string
  const snapshot = async () => ({
    companies: (await t.call<Json>('GET', '/api/companies')).body,
    users: (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body,
    company: (await t.call<Json>('GET', `/api/companies/${companyId}`)).body,
  })
  /** an error names the problem; never a 500, never a stack trace, never a secret */
  const checkAnswer = (status: number, body: Json) => {
    expect(status).toBeLessThan(500)
    const text = JSON.stringify(body)
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/)
    expect(text).not.toContain(API_TOKEN)
    if (status >= 400) {
      expect(body.error.code).toMatch(/^[a-z_]+$/)
      expect(typeof body.error.message).toBe('string')
      expect(body.error.message.length).toBeGreaterThan(5)
    }
  }

  beforeAll(async () => {
    t = await testRunner()
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    companyId = company.body.id
  })
  afterAll(async () => {
    await t.close()
  })

  it('POST /api/companies: a clear error, or a company; a refused body changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, nearCompany), async (body) => {
        const before = await snapshot()
        const { status, body: answer } = await t.call<Json>('POST', '/api/companies', body)
        checkAnswer(status, answer)
        if (status >= 400) expect(await snapshot()).toEqual(before)
      }),
      { numRuns: 150 },
    )
  })

  it('POST /api/companies/:id/users: a clear error, or a user; a refused body changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, nearUser), async (body) => {
        const before = await snapshot()
        const { status, body: answer } = await t.call<Json>('POST', `/api/companies/${companyId}/users`, body)
        checkAnswer(status, answer)
        if (status >= 400) expect(await snapshot()).toEqual(before)
      }),
      { numRuns: 150 },
    )
  })

  it('POST /api/companies/:id/integrations: a clear error for every bad connector or config', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyJson, nearConnect), async (body) => {
        const before = await snapshot()
        const { status, body: answer } = await t.call<Json>(
          'POST',
          `/api/companies/${companyId}/integrations`,
          body,
        )
        checkAnswer(status, answer)
        if (status >= 400) expect(await snapshot()).toEqual(before)
        else await t.call('DELETE', `/api/integrations/${answer.integration.id}`)
      }),
      { numRuns: 150 },
    )
  })

  it('path parameters and query strings of any shape: never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (id, query) => {
        for (const url of [
          `/api/companies/${encodeURIComponent(id)}`,
          `/api/integrations/${encodeURIComponent(id)}/runs?limit=${encodeURIComponent(query)}`,
          `/api/companies/${companyId}/events?after=${encodeURIComponent(query)}`,
        ]) {
          const { status, body } = await t.call<Json>('GET', url)
          checkAnswer(status, body)
        }
      }),
      { numRuns: 100 },
    )
  })
})

// issue 18 item 8: every admin route and every SCIM endpoint, with generated params, queries, bodies
// and headers, on PGlite and PostgreSQL: never a 5xx, never a stack, and a 4xx changes nothing
const reachable = await postgresReachable()
const ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef0123456'
/** a few runs per route keep both engines well inside the suite's time */
const RUNS_PER_ROUTE = 8

const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', '0', '-1', '1e400', '9223372036854775808', 'x\ud800', '2024-02-30T00:00:00Z'),
)
const value = fc.oneof(scalar, anyJson, fc.array(scalar, { maxLength: 3 }))
/** JSON text no generator makes: broken, too deep, numbers JSON.parse turns into Infinity */
const rawBody = fc.constantFrom(
  '{',
  '[1,',
  'null',
  '"text"',
  '{"a":1e400}',
  `{"a":${'['.repeat(40)}${']'.repeat(40)}}`,
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
)
const headers = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/scim+json',
        'text/plain',
        'application/json; charset=latin1',
      ),
      fc.stringMatching(/^[a-z]{1,8}\/[a-z+.-]{1,12}$/),
    ),
    accept: fc.constantFrom('*/*', 'text/html', 'application/scim+json', 'x'),
    'if-match': fc.stringMatching(/^[ -~]{0,20}$/),
    'x-forwarded-for': fc.constantFrom('10.0.0.1', 'not an address', ''),
  },
  { requiredKeys: [] },
)
const SCIM_ATTRIBUTES = [
  'userName',
  'externalId',
  'active',
  'displayName',
  'title',
  'name',
  'emails',
  'phoneNumbers',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  'urn:example:ext:1.0:User',
]
const scimUserBody = fc.record(Object.fromEntries(SCIM_ATTRIBUTES.map((key) => [key, value])), {
  requiredKeys: [],
})
const scimPatch = fc.record(
  {
    Operations: fc.array(
      fc.record(
        {
          op: fc.oneof(fc.constantFrom('add', 'Replace', 'remove', 'copy'), text),
          path: fc.oneof(
            fc.constantFrom(
              ...SCIM_ATTRIBUTES,
              'name.givenName',
              'emails[type eq "work"].value',
              'manager[value eq "x"]',
              'meta.created',
            ),
            text,
          ),
          value,
        },
        { requiredKeys: [] },
      ),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
)
const filter = fc.oneof(
  text,
  fc
    .tuple(
      fc.constantFrom('userName', 'meta.created', 'emails[type eq "work"].value', 'active', 'id', 'title'),
      fc.constantFrom('eq', 'ne', 'co', 'gt', 'pr', 'zz'),
      fc.oneof(text, fc.constantFrom('"1"', 'true', '"2024-05-01T00:00:00Z"', '"\u0000"')),
      fc.nat(60),
    )
    .map(
      ([attr, op, compared, depth]) =>
        `${'not ('.repeat(depth)}${attr} ${op} ${compared}${')'.repeat(depth)}`,
    ),
)

describe.each(ENGINES)('issue 18 item 8: every route fuzzed on %s', (engine) => {
  const skip = engine === 'postgres' && !reachable
  let runner: Runner
  let schema: string | undefined
  let scimToken: string
  const ids: Record<string, string[]> = {}
  /** every table as JSON, rows in a fixed order: what a refused request must leave as it was */
  let dumpSql = ''
  const dump = async () => (await runner.services.db.query<{ dump: unknown }>(dumpSql))[0]?.dump

  beforeAll(async () => {
    if (skip) return
    schema = engine === 'postgres' ? freshSchema() : undefined
    const hr = new MemoryHr()
    runner = await startRunner({
      ...(engine === 'postgres'
        ? {
            databaseUrl: POSTGRES_URL,
            databaseSchema: schema,
            secretKey: Buffer.alloc(32, 3).toString('base64'),
          }
        : { inMemory: true }),
      adminToken: ADMIN_TOKEN,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [hr.connector, okta],
      logger: false,
      env: {},
      // no SCIM-triggered sync runs in the background while states are compared
      scimCoalesceMs: 3_600_000,
    })
    const admin = async (method: 'GET' | 'POST', url: string, body?: unknown) =>
      (
        await runner.services.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          ...(body === undefined ? {} : { payload: body as object }),
        })
      ).json()
    const acme = await admin('POST', '/api/companies', { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
    hr.hire({ remoteId: 'ceo' }, { remoteId: 'ann', managerRemoteId: 'ceo' })
    const pulled = await admin('POST', `/api/companies/${acme.id}/integrations`, {
      connector: 'memory',
      autoApply: true,
      config: { tenant: 'acme', apiToken: 'memory-token' },
    })
    const synced = await admin('POST', `/api/integrations/${pulled.integration.id}/sync`)
    const users = await admin('GET', `/api/companies/${acme.id}/users`)
    const team = await admin('POST', `/api/companies/${acme.id}/teams`, { name: 'Ops' })
    // the SCIM company's ids are kept from the admin routes: a rotated token would end the SCIM fuzzing
    const nordvik = await admin('POST', '/api/companies', {
      name: 'Nordvik',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    const pushed = await admin('POST', `/api/companies/${nordvik.id}/integrations`, {
      connector: 'okta',
      config: {},
    })
    scimToken = pushed.scim.token
    const maja = await runner.services.app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${scimToken}` },
      payload: { userName: 'maja@nordvik.test', emails: [{ value: 'maja@nordvik.test', type: 'work' }] },
    })
    Object.assign(ids, {
      companyId: [acme.id],
      id: [pulled.integration.id],
      runId: [synced.run.id],
      userId: users.users.map((u: Json) => u.id),
      teamId: [team.id],
      token: ['no-such-invitation'],
      scimId: [maja.json().id],
    })
    const tables = await runner.services.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    // the leases and rate-limit paces are the replicas' own coordination, taken and given back by
    // background work (the webhook dispatchers) whatever a request does: they are no one's data
    const coordination = new Set(['leases', 'rate_limit_paces'])
    dumpSql = `SELECT json_build_object(${tables
      .filter(({ name }) => !coordination.has(name))
      .map(
        ({ name }) =>
          `'${name}', (SELECT coalesce(json_agg(row ORDER BY row::text), '[]') FROM (SELECT to_jsonb(t) AS row FROM "${name}" t) AS rows)`,
      )
      .join(', ')}) AS dump`
  }, 300_000)
  afterAll(async () => {
    await runner?.close()
    if (schema) await dropSchema(schema)
  })

  /** Sends one request; a 4xx must leave every table as it was. */
  const probe = async (
    state: { before: unknown },
    request: { method: string; url: string; headers: Record<string, string>; payload?: string },
    scim: boolean,
  ) => {
    const response = await runner.services.app.inject({ ...request, method: request.method as 'GET' })
    const what = `${request.method} ${request.url} → ${response.statusCode} ${response.body.slice(0, 300)}`
    expect(response.statusCode, what).toBeLessThan(500)
    expect(response.body, what).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/)
    expect(response.body, what).not.toContain(ADMIN_TOKEN)
    if (response.statusCode >= 400 && response.statusCode !== 404) {
      const body = response.json() as Json
      if (scim) expect(typeof body.detail, what).toBe('string')
      else expect(body.error?.code, what).toMatch(/^[a-z_]+$/)
    }
    const after = await dump()
    if (response.statusCode >= 400) expect(after, what).toEqual(state.before)
    state.before = after
  }

  const routes = (access: 'admin' | 'scim') =>
    routeTable(runner.services.app)
      .filter((route) => route.access === access && route.method !== 'HEAD')
      // reads first, removals last: a removal that succeeds leaves less for the rest to reach
      .sort(
        (a, b) =>
          ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(a.method) -
          ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].indexOf(b.method),
      )

  /** the route's path with a generated value, a real id or junk, for each parameter */
  const pathOf = (url: string, values: string[]) => {
    let i = 0
    return url.replace(/:(\w+)/g, () => encodeURIComponent(values[i++] ?? ''))
  }
  const paramValues = (url: string, scim: boolean) =>
    fc.tuple(
      ...[...url.matchAll(/:(\w+)/g)].map(([, name]) => {
        const pool = scim && name === 'id' ? ids.scimId! : (ids[name!] ?? [])
        return pool.length > 0 ? fc.oneof(fc.constantFrom(...pool), text) : text
      }),
    )
  const propertiesOf = (schema: unknown): string[] =>
    Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {})
  const queryOf = (names: string[]) =>
    fc.dictionary(fc.oneof(fc.constantFrom(...names, 'x'), text), fc.oneof(scalar.map(String), filter), {
      maxKeys: 3,
    })
  const bodyOf = (names: string[]) =>
    names.length === 0
      ? anyJson
      : fc.oneof(anyJson, fc.record(Object.fromEntries(names.map((n) => [n, value])), { requiredKeys: [] }))
  const payloadOf = (body: fc.Arbitrary<unknown>) =>
    fc.oneof(
      { weight: 4, arbitrary: body.map((b) => JSON.stringify(b) ?? 'null') },
      { weight: 1, arbitrary: rawBody },
    )

  it.skipIf(skip)('every admin route: never a 5xx or a stack; a 4xx changes nothing', async () => {
    const state = { before: await dump() }
    for (const route of routes('admin')) {
      const schema = route.schema ?? {}
      const sendsBody = ['POST', 'PUT', 'PATCH'].includes(route.method)
      await fc.assert(
        fc.asyncProperty(
          paramValues(route.url, false),
          queryOf(propertiesOf(schema.querystring)),
          payloadOf(bodyOf(propertiesOf(schema.body))),
          headers,
          async (params, query, payload, extra) => {
            const search = new URLSearchParams(query).toString()
            await probe(
              state,
              {
                method: route.method,
                url: `${pathOf(route.url, params)}${search ? `?${search}` : ''}`,
                headers: { ...extra, authorization: `Bearer ${ADMIN_TOKEN}` },
                ...(sendsBody ? { payload } : {}),
              },
              false,
            )
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      )
    }
  })

  it.skipIf(skip)('every SCIM endpoint: never a 5xx or a stack; a 4xx changes nothing', async () => {
    const state = { before: await dump() }
    for (const route of routes('scim')) {
      const body = route.method === 'PATCH' ? scimPatch : scimUserBody
      const sendsBody = ['POST', 'PUT', 'PATCH'].includes(route.method)
      await fc.assert(
        fc.asyncProperty(
          paramValues(route.url, true),
          queryOf(['filter', 'startIndex', 'count', 'attributes']),
          payloadOf(body),
          headers,
          async (params, query, payload, extra) => {
            const search = new URLSearchParams(query).toString()
            await probe(
              state,
              {
                method: route.method,
                url: `${pathOf(route.url, params)}${search ? `?${search}` : ''}`,
                headers: { ...extra, authorization: `Bearer ${scimToken}` },
                ...(sendsBody ? { payload } : {}),
              },
              true,
            )
          },
        ),
        { numRuns: RUNS_PER_ROUTE * 3 },
      )
    }
  })
})

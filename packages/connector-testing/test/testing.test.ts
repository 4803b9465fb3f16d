import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cleanString, paginateOffset } from '@hrsync/connector-kit'
import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkFixture,
  credentialVariable,
  type Fixture,
  leakCheck,
  recordFixture,
  replayFixture,
  scrubRecording,
  shouldRecord,
} from '../src/index.js'

/** A vendor on a local port: token exchange, then offset pages of people. */
const local = defineConnector({
  id: 'local-hr',
  name: 'Local HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({
    baseUrl: Type.String(),
    clientId: Type.String(),
    clientSecret: Secret(Type.String({ minLength: 1 })),
  }),
  allowedHosts: ['127.0.0.1'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'email',
      statuses: ['active'],
      incremental: false,
    },
  },
  baseUrl: (c) => c.baseUrl,
  auth: (c) => ({
    type: 'token-exchange',
    async exchange(http) {
      const { body } = await http.request<{ token: string }>({
        method: 'POST',
        url: '/auth',
        json: { client_id: c.clientId, client_secret: c.clientSecret },
      })
      return { token: body.token }
    },
  }),
  async checkConnection(ctx) {
    await ctx.http.request({ url: '/people', searchParams: { limit: 1, offset: 0 } })
  },
  async *listEmployees(ctx) {
    type Person = {
      id: number
      first_name: string
      email: string
      manager_email: string | null
      phone: string
    }
    for await (const page of paginateOffset(ctx, {
      url: '/people',
      limit: 2,
      items: (b: { data: Person[]; total: number }) => b.data,
      total: (b: { data: Person[]; total: number }) => b.total,
    })) {
      yield page.map((p) =>
        employee({
          remoteId: String(p.id),
          status: 'active',
          firstName: cleanString(p.first_name),
          email: cleanString(p.email),
          managerEmail: cleanString(p.manager_email),
        }),
      )
    }
  },
})

const people = [
  {
    id: 1,
    first_name: 'Margarethe',
    email: 'm.real@acme-gmbh.de',
    manager_email: null,
    phone: '+49 30 1234567',
  },
  {
    id: 2,
    first_name: 'Théo',
    email: 'theo@acme-gmbh.de',
    manager_email: 'M.Real@acme-gmbh.de',
    phone: '+49 30 7654321',
  },
  { id: 3, first_name: 'Ines', email: 'ines@acme-gmbh.de', manager_email: 'theo@acme-gmbh.de', phone: '' },
]
const SECRET = 'cs_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0'
const TOKEN = 'papi-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'

let server: Server
let baseUrl: string
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    res.setHeader('content-type', 'application/json')
    res.setHeader('set-cookie', 'session=abc123')
    res.setHeader('x-request-id', 'req-42')
    if (url.pathname === '/auth') {
      res.setHeader('authorization', `Bearer ${TOKEN}`)
      return res.end(JSON.stringify({ success: true, data: { token: TOKEN }, token: TOKEN }))
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.statusCode = 401
      return res.end('{"error":{"message":"unauthorised"}}')
    }
    const offset = Number(url.searchParams.get('offset'))
    const limit = Number(url.searchParams.get('limit'))
    res.end(JSON.stringify({ total: people.length, data: people.slice(offset, offset + limit) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('record, scrub and replay', () => {
  it('records a live pull, scrubs it, writes it, and the fixture replays to the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hrsync-record-'))
    const now = new Date('2025-01-15T12:00:00Z')
    const config = { baseUrl, clientId: 'client-1', clientSecret: SECRET }
    const path = await recordFixture(local, {
      fixturesDir: dir,
      scenario: 'happy-multipage',
      now,
      vendorApiVersion: 'v1',
      connectorVersion: '1.0.0',
      config,
    })
    const text = readFileSync(path, 'utf8')
    const fixture = JSON.parse(text) as Fixture
    for (const leaked of [
      SECRET,
      TOKEN,
      'acme-gmbh.de',
      'Margarethe',
      '+49 30',
      'session=abc123',
      'req-42',
    ]) {
      expect(text).not.toContain(leaked)
    }
    expect(fixture.config.clientSecret).toBe('{{secret:clientSecret}}')
    expect(fixture.meta).toMatchObject({ source: 'recorded', scrubbed: true, vendorApiVersion: 'v1' })
    expect(fixture.interactions[0]?.body).toEqual({
      client_id: 'client-1',
      client_secret: '{{secret:clientSecret}}',
    })
    expect(JSON.stringify(fixture.interactions[0]?.response)).toContain('{{token:1}}')
    expect(fixture.interactions).toHaveLength(3)
    // the token request carries no credential header; the pages carry the issued token, as a placeholder
    expect(fixture.interactions.map((i) => i.request)).toEqual([
      { headers: {} },
      { headers: { authorization: 'Bearer {{token:1}}' } },
      { headers: { authorization: 'Bearer {{token:1}}' } },
    ])
    // pseudonyms are deterministic, so a manager email still names the manager's scrubbed email
    const employees = fixture.expected.employees ?? []
    expect(employees.map((e) => e.managerEmail)).toEqual([null, employees[0]?.email, employees[1]?.email])
    // and an email follows its person's fake name: Margarethe <m.real@…> is <fakename@example.test>
    for (const person of employees)
      expect(person.email).toBe(`${person.firstName?.toLowerCase()}@example.test`)
    expect(leakCheck([path], { connector: local })).toEqual([])
    const replayed = await replayFixture(local, path, { now })
    expect(replayed.result?.employees).toEqual(employees)
  })

  it('never writes a recording that fails the leak check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hrsync-record-'))
    // a signing key the author forgot to mark Secret(...) ends up in the recorded query string
    const signingKey = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4'
    const leaky = defineConnector({
      ...local,
      async *listEmployees(ctx) {
        await ctx.http.request({ url: '/people', searchParams: { limit: 2, offset: 0, sig: signingKey } })
        yield []
      },
    })
    await expect(
      recordFixture(leaky, {
        fixturesDir: dir,
        scenario: 'happy-multipage',
        now: new Date(),
        vendorApiVersion: 'v1',
        connectorVersion: '1.0.0',
        config: { baseUrl, clientId: 'client-1', clientSecret: SECRET },
      }),
    ).rejects.toThrow(/not written(.|\n)*long key-like/)
    expect(existsSync(join(dir, 'happy-multipage.json'))).toBe(false)
  })
})

describe('replay', () => {
  const base: Fixture = {
    meta: {
      source: 'documented',
      recordedAt: '2025-01-01T00:00:00Z',
      vendorApiVersion: 'v1',
      connectorVersion: '1.0.0',
      scrubbed: true,
      scrubberVersion: '1',
      description: 'two people',
    },
    config: { baseUrl: 'http://127.0.0.1:1', clientId: 'client-1', clientSecret: '{{secret:clientSecret}}' },
    interactions: [
      {
        scope: 'http://127.0.0.1:1',
        method: 'POST',
        path: '/auth',
        body: { client_id: 'client-1', client_secret: '{{secret:clientSecret}}' },
        status: 200,
        response: { token: '{{token:1}}' },
      },
      {
        scope: 'http://127.0.0.1:1',
        method: 'GET',
        path: '/people?limit=2&offset=0',
        status: 200,
        response: {
          total: 1,
          data: [{ id: 7, first_name: 'Zoë', email: 'zoe@example.com', manager_email: null }],
        },
      },
    ],
    expected: {},
  }

  it('fills placeholders consistently and returns the result', async () => {
    const outcome = await replayFixture(local, base)
    expect(outcome.result?.employees.map((e) => e.firstName)).toEqual(['Zoë'])
  })

  it('fails listing an interaction that was never requested', async () => {
    const extra = structuredClone(base)
    extra.interactions.push({ ...extra.interactions[1]!, path: '/people?limit=2&offset=2' })
    await expect(replayFixture(local, extra)).rejects.toThrow(/Interactions never requested:\n.*offset=2/)
  })

  it('fails listing a request no interaction matched', async () => {
    const short = structuredClone(base)
    short.interactions[1]!.response = { total: 3, data: [{ id: 7 }, { id: 8 }] }
    await expect(replayFixture(local, short)).rejects.toThrow(/Requests no interaction matched:\n.*offset=2/)
  })

  it('checkFixture replays checkConnection', async () => {
    const denied = structuredClone(base)
    denied.interactions = [
      { ...base.interactions[0]!, status: 401, response: { error: { message: 'Wrong credentials' } } },
    ]
    expect(await checkFixture(local, denied)).toMatchObject({ ok: false, code: 'invalid_credentials' })
  })
})

describe('leak check', () => {
  const write = (fixture: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'hrsync-leak-')), 'planted.json')
    writeFileSync(path, JSON.stringify(fixture))
    return path
  }
  const clean = {
    meta: { description: 'Bearer tokens are explained here' },
    config: { clientSecret: '{{secret:clientSecret}}' },
    interactions: [
      {
        path: '/v1/company/employees?limit=100&offset=0',
        response: { id: '123e4567-e89b-12d3-a456-426614174000' },
      },
    ],
    expected: { employees: [{ email: 'anna@example.com' }] },
  }

  it('passes a clean fixture', () => {
    expect(leakCheck([write(clean)], { connector: local })).toEqual([])
  })

  it('catches a planted JWT', () => {
    const planted = structuredClone(clean) as Record<string, unknown>
    planted.interactions = [{ response: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc' } }]
    expect(leakCheck([write(planted)])[0]?.reason).toMatch(/JWT/)
  })

  it('catches a planted secret in config, a long key, a Bearer value and a real email domain', () => {
    const planted = {
      ...clean,
      config: { clientSecret: 'hunter2-plain' },
      interactions: [
        {
          response: {
            key: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4',
            header: 'Bearer abc123def456',
            mail: 'jane@realcompany.de',
          },
        },
      ],
    }
    const reasons = leakCheck([write(planted)], { connector: local, secrets: ['hunter2-plain'] }).map(
      (f) => f.reason,
    )
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/placeholder \{\{secret:clientSecret\}\}/),
        expect.stringMatching(/current secret/),
        expect.stringMatching(/long key-like/),
        expect.stringMatching(/Authorization value after "Bearer"/),
        expect.stringMatching(/realcompany\.de/),
      ]),
    )
  })

  it('allows the vendor example domains it is told about', () => {
    const fixture = { ...clean, expected: { employees: [{ email: 'max@demo.personio.de' }] } }
    expect(leakCheck([write(fixture)])).toHaveLength(1)
    expect(leakCheck([write(fixture)], { allowedEmailDomains: ['demo.personio.de'] })).toEqual([])
  })
})

describe('scrubbing and record mode', () => {
  it('replaces a derived Basic header and keeps rate-limit headers', () => {
    const basic = defineConnector({
      ...local,
      auth: (c) => ({ type: 'basic', username: c.clientSecret, password: 'x' }),
      config: Type.Object({
        baseUrl: Type.String(),
        clientId: Type.String(),
        clientSecret: Secret(Type.String()),
      }),
    })
    const [scrubbed] = scrubRecording(basic, { baseUrl, clientId: 'c', clientSecret: 'key-12345' }, [
      {
        scope: baseUrl,
        method: 'get',
        path: '/people?api_key=key-12345',
        reqheaders: {
          authorization: `Basic ${Buffer.from('key-12345:x').toString('base64')}`,
          accept: 'application/json',
        },
        status: 429,
        response: { echo: Buffer.from('key-12345:x').toString('base64') },
        rawHeaders: ['Retry-After', '2', 'Date', 'Mon', 'X-RateLimit-Reset', '17', 'Set-Cookie', 'a=b'],
      },
    ])
    expect(scrubbed).toMatchObject({
      method: 'GET',
      path: '/people?api_key={{secret:clientSecret}}',
      request: { headers: { authorization: 'Basic {{base64:{{secret:clientSecret}}:x}}' } },
      response: { echo: '{{secret:clientSecret}}' },
      rawHeaders: ['Retry-After', '2', 'X-RateLimit-Reset', '17'],
    })
  })

  it('reads HRSYNC_RECORD', () => {
    expect(shouldRecord('personio', 'happy-multipage', '1')).toBe(true)
    expect(shouldRecord('personio', 'statuses', '1')).toBe(false)
    expect(shouldRecord('personio', 'statuses', 'personio:statuses')).toBe(true)
    expect(shouldRecord('personio', 'managers', 'person*:*')).toBe(true)
    expect(shouldRecord('hibob', 'managers', 'personio:*')).toBe(false)
    expect(shouldRecord('personio', 'managers', undefined)).toBe(false)
    expect(credentialVariable('sage-hr', 'clientSecret')).toBe('HRSYNC_SAGE_HR_CLIENT_SECRET')
  })
})

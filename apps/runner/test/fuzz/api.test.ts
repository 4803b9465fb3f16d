import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

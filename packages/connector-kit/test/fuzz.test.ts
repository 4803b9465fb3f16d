import {
  ConnectorError,
  defineConnector,
  employee,
  isConnectorError,
  Secret,
  statusTable,
} from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import fc from 'fast-check'
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import {
  checkConnection,
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  paginateOffset,
  pullEmployees,
  toIsoDate,
  validateConfig,
} from '../src/index.js'
import { fast, testConnector, useNock } from './helpers.js'

const STATUS = statusTable({ active: 'active', leave: 'leave', gone: 'terminated' })

/** A connector written as the authoring guide says: offset pages, records through the kit's normalisers. */
const vendor = defineConnector({
  id: 'fuzz',
  name: 'Fuzz HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ apiKey: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['fuzz.hr.example.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: () => 'https://fuzz.hr.example.com',
  auth: (c) => ({ type: 'bearer', token: c.apiKey }),
  checkConnection: async () => {},
  async *listEmployees(ctx) {
    for await (const records of paginateOffset<Record<string, unknown>, { items?: unknown }>(ctx, {
      url: '/people',
      limit: 2,
      items: (body) => body?.items as Record<string, unknown>[],
    })) {
      const employees = []
      for (const record of records) {
        if (typeof record !== 'object' || record === null) {
          throw new ConnectorError('malformed_response', 'Fuzz HR listed something that is not a person')
        }
        const remoteId = idString(record.id)
        if (remoteId === null) continue
        const mapped = mapStatus(STATUS, record.status, { remoteId, email: emailFrom(record.email) })
        if ('skipped' in mapped) continue
        employees.push(
          employee({
            remoteId,
            status: mapped.status,
            email: emailFrom(record.email),
            firstName: cleanString(record.first),
            managerRemoteId: idString(record.manager),
            startDate: toIsoDate(record.start),
          }),
        )
      }
      yield employees
    }
  },
})

const SECRET = 'fuzz-api-key-77c1a9'

/** a pull either succeeds or throws a ConnectorError with a code and a sentence; never anything else */
async function outcome(run: () => Promise<unknown>): Promise<'ok' | ConnectorError> {
  try {
    await run()
    return 'ok'
  } catch (error) {
    expect(isConnectorError(error), `not a ConnectorError: ${String(error)}`).toBe(true)
    const failure = error as ConnectorError
    expect(failure.code).toMatch(/^[a-z_]+$/)
    expect(failure.message.length).toBeGreaterThan(10)
    expect(failure.message).not.toContain(SECRET)
    return failure
  }
}

const record = fc.record(
  {
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
    email: fc.oneof(fc.emailAddress(), fc.string(), fc.constant(null), fc.integer()),
    status: fc.oneof(
      fc.constantFrom('active', 'leave', 'gone', 'Active', ''),
      fc.string(),
      fc.constant(null),
    ),
    first: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
    manager: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
    start: fc.oneof(
      fc.constantFrom('2020-01-31', '2020-02-30', '31/01/2020', '2020-01-07T00:00:00+01:00', '', 'soon'),
      fc.string(),
      fc.integer(),
      fc.constant(null),
    ),
  },
  { requiredKeys: [] },
)
const page = fc.oneof(
  fc.record({ items: fc.array(record, { maxLength: 3 }) }),
  fc.record({ items: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 2 }),
)
const raw = fc.oneof(
  page.map((body) => ({ status: 200, body: JSON.stringify(body), type: 'application/json' })),
  fc.string().map((body) => ({ status: 200, body, type: 'application/json' })),
  fc.constantFrom(
    { status: 200, body: '<html><body>Maintenance</body></html>', type: 'text/html' },
    { status: 502, body: '<html>Bad gateway</html>', type: 'text/html' },
    { status: 404, body: '{"error":"not found"}', type: 'application/json' },
    { status: 401, body: '', type: 'application/json' },
    { status: 200, body: '', type: 'application/json' },
  ),
)

describe('vendor responses, fuzzed', () => {
  useNock()

  it('any sequence of pages: the employees, or a ConnectorError that says what went wrong', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(raw, { minLength: 1, maxLength: 4 }), async (pages) => {
        nock.cleanAll()
        const scope = nock('https://fuzz.hr.example.com')
        pages.forEach((answer, i) => {
          scope
            .get('/people')
            .query({ limit: '2', offset: String(i * 2) })
            .times(5)
            .reply(answer.status, answer.body, { 'content-type': answer.type })
        })
        scope.get('/people').query(true).times(5).reply(200, { items: [] })
        let pulled: Awaited<ReturnType<typeof pullEmployees>> | undefined
        await outcome(async () => {
          pulled = await pullEmployees(vendor, { apiKey: SECRET }, { ...fast, fetchRetryLimit: 1 })
        })
        for (const person of pulled?.employees ?? []) expect(typeof person.remoteId).toBe('string')
      }),
      { numRuns: 100 },
    )
  }, 120_000)

  it('records a connector yields directly: invalid ones are refused by name, never half a list', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), { maxLength: 3 }),
        async (pages) => {
          const direct = defineConnector({
            ...vendor,
            id: 'direct',
            async *listEmployees() {
              for (const p of pages) yield p as never
            },
          })
          const result = await outcome(() => pullEmployees(direct, { apiKey: SECRET }))
          if (result !== 'ok') expect(['invalid_employee', 'malformed_response']).toContain(result.code)
        },
      ),
      { numRuns: 200 },
    )
  }, 60_000)
})

describe('connector configs, fuzzed', () => {
  const near = fc.record(
    {
      subdomain: fc.oneof(
        fc.constantFrom('tenant', 'evil.com/x', 'a b', '', '..', 'x:1'),
        fc.string(),
        fc.integer(),
      ),
      apiKey: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
      pageSize: fc.oneof(fc.integer(), fc.string(), fc.double()),
      extra: fc.jsonValue({ maxDepth: 1 }),
    },
    { requiredKeys: [] },
  )

  it('validateConfig: a config, or invalid_config naming the keys and never echoing a value', () => {
    fc.assert(
      fc.property(fc.oneof(near, fc.jsonValue({ maxDepth: 2 })), (value) => {
        try {
          const valid = validateConfig(testConnector(), value) as Record<string, unknown>
          expect(typeof valid.subdomain).toBe('string')
          expect(typeof valid.apiKey).toBe('string')
        } catch (error) {
          expect(isConnectorError(error)).toBe(true)
          expect((error as ConnectorError).code).toBe('invalid_config')
          const apiKey = (value as { apiKey?: unknown } | null)?.apiKey
          if (typeof apiKey === 'string' && apiKey.length > 3) {
            expect((error as Error).message).not.toContain(apiKey)
          }
        }
      }),
      { numRuns: 500 },
    )
  })

  it('checkConnection with any config answers a code and a sentence, never throws', async () => {
    await fc.assert(
      fc.asyncProperty(near, async (value) => {
        nock.disableNetConnect()
        const answer = await checkConnection(testConnector(), value, { ...fast, fetchRetryLimit: 0 })
        nock.enableNetConnect()
        if (!answer.ok) {
          expect(answer.code).toMatch(/^[a-z_]+$/)
          expect(answer.message.length).toBeGreaterThan(10)
        }
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})

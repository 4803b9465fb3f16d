import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { CORE, OKTA_CREATE, PATCH_OP } from './requests.js'
import { q, scimService } from './service.js'

type Service = Awaited<ReturnType<typeof scimService>>
// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary SCIM JSON
type Json = any

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

/** never a 500 or a stack trace; an error is a SCIM Error whose detail names the problem */
function checkAnswer(status: number, json: Json): void {
  expect(status).toBeLessThan(500)
  const text = JSON.stringify(json ?? '')
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/)
  if (status >= 400) {
    expect(json.schemas).toEqual([ERROR])
    expect(json.status).toBe(String(status))
    expect(typeof json.detail).toBe('string')
    expect(json.detail.length).toBeGreaterThan(5)
  }
}

const attributePath = fc.constantFrom(
  'userName',
  'name.givenName',
  'name.familyName',
  'active',
  'emails',
  'emails[type eq "work"].value',
  'emails[primary eq true]',
  'externalId',
  'displayName',
  'title',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
  'meta.created',
  'id',
  'nope',
  '',
  'emails[',
  'name..givenName',
)
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('True', 'False', 'true', true, false, null, [], {}),
)
const operation = fc.record(
  {
    op: fc.oneof(
      fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'move', ''),
      fc.string(),
    ),
    path: fc.oneof(attributePath, fc.string()),
    value,
  },
  { requiredKeys: [] },
)
const patchBody = fc.oneof(
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { maxLength: 4 }) }),
  fc.record(
    { schemas: fc.oneof(fc.constant([PATCH_OP]), fc.jsonValue()), Operations: fc.jsonValue({ maxDepth: 2 }) },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
)

const filterAttr = fc.constantFrom(
  'userName',
  'externalId',
  'emails.value',
  'emails[type eq "work"]',
  'name.givenName',
  'active',
  'meta.lastModified',
  'id',
  'unknownAttr',
)
const filterOp = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'xx')
const filterValue = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '42', '"2025-01-01T00:00:00Z"', '"unterminated', "'single'"),
)
const simpleFilter = fc
  .tuple(filterAttr, filterOp, filterValue)
  .map(([attr, op, v]) => (op === 'pr' ? `${attr} pr` : `${attr} ${op} ${v}`))
const filter = fc.oneof(
  simpleFilter,
  fc
    .tuple(simpleFilter, fc.constantFrom('and', 'or', 'AND'), simpleFilter)
    .map(([a, o, b]) => `${a} ${o} ${b}`),
  simpleFilter.map((f) => `not (${f})`),
  simpleFilter.map((f) => `(${f}`),
  fc.string(),
)

describe('SCIM bodies and filters, fuzzed', () => {
  let s: Service
  let id: string
  beforeAll(async () => {
    s = await scimService()
    const created = await s.call('POST', '/Users', { body: OKTA_CREATE })
    expect(created.status).toBe(201)
    id = created.json.id
  })

  it('PATCH: a SCIM error naming the problem, or the patched user; a refused PATCH changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, async (body) => {
        const before = await s.call('GET', `/Users/${id}`)
        const { status, json } = await s.call('PATCH', `/Users/${id}`, { body })
        checkAnswer(status, json)
        const after = await s.call('GET', `/Users/${id}`)
        expect(after.status).toBe(200)
        if (status >= 400) expect(after.json).toEqual(before.json)
      }),
      { numRuns: 300 },
    )
  })

  it('POST and PUT: any body is a SCIM error or a user; a refused one creates or changes nothing', async () => {
    const userBody = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          schemas: fc.oneof(fc.constant([CORE]), fc.jsonValue()),
          userName: fc.oneof(fc.emailAddress(), fc.string(), fc.integer(), fc.constant(null)),
          active: value,
          emails: fc.oneof(
            fc.jsonValue({ maxDepth: 2 }),
            fc.array(fc.record({ value: fc.string(), primary: value })),
          ),
          name: fc.jsonValue({ maxDepth: 2 }),
        },
        { requiredKeys: [] },
      ),
    )
    await fc.assert(
      fc.asyncProperty(userBody, fc.boolean(), async (body, replace) => {
        const before = await s.call('GET', '/Users?count=200')
        const { status, json } = replace
          ? await s.call('PUT', `/Users/${id}`, { body })
          : await s.call('POST', '/Users', { body })
        checkAnswer(status, json)
        if (status >= 400) expect((await s.call('GET', '/Users?count=200')).json).toEqual(before.json)
        else if (!replace) await s.call('DELETE', `/Users/${json.id}`)
      }),
      { numRuns: 200 },
    )
  })

  it('GET /Users?filter=: a list or a SCIM invalidFilter error, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(filter, async (f) => {
        const { status, json } = await s.call('GET', `/Users?filter=${q(f)}`)
        checkAnswer(status, json)
        if (status === 400) expect(json.scimType).toMatch(/invalidFilter|invalidValue|invalidSyntax/)
      }),
      { numRuns: 400 },
    )
  })

  it('any body with any content type: never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.constantFrom(
          'application/scim+json',
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
        ),
        fc.constantFrom('POST', 'PUT', 'PATCH'),
        async (raw, contentType, method) => {
          const { status, json } = await s.call(
            method as 'POST',
            method === 'POST' ? '/Users' : `/Users/${id}`,
            {
              body: raw,
              contentType,
            },
          )
          checkAnswer(status, json)
        },
      ),
      { numRuns: 200 },
    )
  })
})

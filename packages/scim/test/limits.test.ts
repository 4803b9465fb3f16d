import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseFilter, SCIM_LIMITS } from '../src/index.js'
import { CORE, PATCH_OP } from './requests.js'
import { q, scimService } from './service.js'

let service: Awaited<ReturnType<typeof scimService>>
let userId: string
beforeEach(async () => {
  service = await scimService()
  const created = await service.call('POST', '/Users', {
    body: {
      schemas: [CORE],
      userName: 'maja@nordvik.test',
      emails: [{ value: 'maja@nordvik.test', type: 'work' }],
    },
  })
  userId = created.json.id
})
afterEach(async () => {
  await service.app.close()
})

const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const emails = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ value: `person${from + i}@nordvik.test`, type: `t${from + i}` }))
const expectRefused = (
  answer: { status: number; json: { scimType?: string; detail: string } },
  scimType: string,
  detail: RegExp,
) => {
  expect(answer.status).toBe(400)
  expect(answer.json.scimType).toBe(scimType)
  expect(answer.json.detail).toMatch(detail)
}

describe('issue 18 item 5: multi-valued attributes are bounded at 100 values', () => {
  it('a PATCH adding 30,000 emails is 400 invalidValue naming the limit, and changes nothing', async () => {
    const answer = await service.call('PATCH', `/Users/${userId}`, {
      body: patchBody({
        op: 'add',
        path: 'emails',
        value: Array.from({ length: 30_000 }, (_, i) => ({ value: `p${i}@nordvik.test` })),
      }),
    })
    expectRefused(answer, 'invalidValue', /30000 values; at most 100/)
    expect((await service.call('GET', `/Users/${userId}`)).json.emails).toHaveLength(1)
  })

  it('a PATCH reaching exactly 100 emails works; the 101st is refused', async () => {
    const atLimit = await service.call('PATCH', `/Users/${userId}`, {
      body: patchBody({ op: 'add', path: 'emails', value: emails(99) }),
    })
    expect(atLimit.status).toBe(200)
    expect(atLimit.json.emails).toHaveLength(SCIM_LIMITS.values)
    const beyond = await service.call('PATCH', `/Users/${userId}`, {
      body: patchBody({ op: 'add', path: 'emails', value: emails(1, 500) }),
    })
    expectRefused(beyond, 'invalidValue', /101 emails; at most 100/)
  })

  it('many operations cannot grow the emails past the limit one at a time', async () => {
    const operations = emails(150).map((email) => ({ op: 'add', path: 'emails', value: [email] }))
    const answer = await service.call('PATCH', `/Users/${userId}`, { body: patchBody(...operations) })
    expectRefused(answer, 'invalidValue', /101 emails; at most 100/)
    expect((await service.call('GET', `/Users/${userId}`)).json.emails).toHaveLength(1)
  })

  it('1,000 operations replacing the same work email apply: each one touches a bounded list', async () => {
    const operations = Array.from({ length: 1000 }, (_, i) => ({
      op: 'add',
      path: 'emails',
      value: [{ value: `maja${i}@nordvik.test`, type: 'work' }],
    }))
    const answer = await service.call('PATCH', `/Users/${userId}`, { body: patchBody(...operations) })
    expect(answer.status).toBe(200)
    expect(answer.json.emails).toEqual([{ value: 'maja999@nordvik.test', type: 'work' }])
  })

  it('POST and PUT: 100 emails are accepted; 101 phoneNumbers, addresses or custom values are not', async () => {
    const full = await service.call('POST', '/Users', {
      body: { schemas: [CORE], userName: 'full@nordvik.test', emails: emails(100) },
    })
    expect(full.status).toBe(201)
    expect(full.json.emails).toHaveLength(100)
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `+46 70 000 ${i}` }))
    expectRefused(
      await service.call('POST', '/Users', {
        body: { schemas: [CORE], userName: 'phones@nordvik.test', phoneNumbers: many },
      }),
      'invalidValue',
      /body\.phoneNumbers has 101 values; at most 100/,
    )
    expectRefused(
      await service.call('PUT', `/Users/${userId}`, {
        body: { schemas: [CORE], userName: 'maja@nordvik.test', addresses: many },
      }),
      'invalidValue',
      /body\.addresses has 101 values/,
    )
    expectRefused(
      await service.call('PATCH', `/Users/${userId}`, {
        body: patchBody({ op: 'add', path: 'urn:example:ext:1.0:User:tags', value: many }),
      }),
      'invalidValue',
      /101 values; at most 100/,
    )
  })
})

describe('issue 18 item 8: SCIM input limits', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`

  it('bodies nested deeper than 32 levels are 400 invalidSyntax; 32 levels are accepted', async () => {
    const body = (depth: number) =>
      `{"userName":"deep@nordvik.test","urn:example:ext:1.0:User":{"deep":${nested(depth)}}}`
    expectRefused(
      await service.call('POST', '/Users', { body: body(5000) }),
      'invalidSyntax',
      /nests deeper than 32 levels/,
    )
    const patch = `{"Operations":[{"op":"add","path":"urn:example:ext:1.0:User:deep","value":${nested(5000)}}]}`
    expectRefused(
      await service.call('PATCH', `/Users/${userId}`, { body: patch }),
      'invalidSyntax',
      /nests deeper than 32 levels/,
    )
    // the body, the extension object and its attribute take three levels
    expect((await service.call('POST', '/Users', { body: body(SCIM_LIMITS.depth - 2) })).status).toBe(201)
  })

  it('userName, externalId and email values longer than 1,024 characters are 400 invalidValue', async () => {
    const long = 'a'.repeat(1025)
    expectRefused(
      await service.call('POST', '/Users', { body: { userName: long } }),
      'invalidValue',
      /userName has 1025 characters; at most 1024/,
    )
    expectRefused(
      await service.call('POST', '/Users', { body: { userName: 'x@nordvik.test', externalId: long } }),
      'invalidValue',
      /externalId has 1025/,
    )
    expectRefused(
      await service.call('PATCH', `/Users/${userId}`, {
        body: patchBody({ op: 'replace', path: 'emails[type eq "work"].value', value: long }),
      }),
      'invalidValue',
      /emails\.value has 1025/,
    )
    expect((await service.call('POST', '/Users', { body: { userName: 'b'.repeat(1024) } })).status).toBe(201)
  })

  it('a lone surrogate in any string or key is 400 invalidValue; a surrogate pair is text', async () => {
    expectRefused(
      await service.call('POST', '/Users', { body: { userName: 'lone@nordvik.test', title: 'x\ud800' } }),
      'invalidValue',
      /body\.title holds a lone UTF-16 surrogate/,
    )
    expectRefused(
      await service.call('PATCH', `/Users/${userId}`, {
        body: patchBody({ op: 'add', value: { '\udc00': 'x' } }),
      }),
      'invalidValue',
      /lone UTF-16 surrogate/,
    )
    const pair = await service.call('POST', '/Users', {
      body: { userName: 'pair@nordvik.test', title: '🦊' },
    })
    expect(pair.json.title).toBe('🦊')
  })

  it('filters nested deeper than 32 levels are 400 invalidFilter, parenthesised or not', () => {
    for (const filter of [
      `${'not ('.repeat(2000)}userName eq "x"${')'.repeat(2000)}`,
      `${'not '.repeat(40)}userName eq "x"`,
      `${'not ('.repeat(20_000)}userName eq "x"${')'.repeat(20_000)}`,
    ]) {
      expect(() => parseFilter(filter)).toThrowError(/nests deeper than 32 levels/)
    }
    expect(parseFilter(`${'not ('.repeat(31)}userName eq "x"${')'.repeat(31)}`).text).toContain('not')
  })

  it('date comparisons take RFC 3339 only: "1", February 30 and offsets past 14 hours are invalidFilter', () => {
    for (const value of ['1', '2024', 'May 1, 2024', '2024-02-30T00:00:00Z', '2024-01-01T00:00:00+16:00']) {
      expect(() => parseFilter(`meta.created gt "${value}"`)).toThrowError(/RFC 3339/)
    }
    expect(() => parseFilter('meta.lastModified gt 1')).toThrowError(/RFC 3339/)
    for (const value of ['2024-02-29T23:59:59.123Z', '2025-03-01', '2025-03-01t09:00:00+01:00']) {
      expect(parseFilter(`meta.created gt "${value}"`).toSql().params).toEqual([value])
    }
  })

  it('startIndex and count of 2^63 are clamped: count to 200, startIndex to an empty page past the end', async () => {
    const big = await service.call('GET', '/Users?count=9223372036854775808')
    expect(big.json).toMatchObject({ totalResults: 1, itemsPerPage: 1 })
    const far = await service.call('GET', `/Users?startIndex=1${'0'.repeat(30)}`)
    expect(far.json).toMatchObject({ totalResults: 1, itemsPerPage: 0, startIndex: Number.MAX_SAFE_INTEGER })
    const filter = q('userName eq "maja@nordvik.test"')
    expect(
      (await service.call('GET', `/Users?filter=${filter}&startIndex=-9${'9'.repeat(30)}`)).json,
    ).toMatchObject({
      startIndex: 1,
      totalResults: 1,
    })
  })
})

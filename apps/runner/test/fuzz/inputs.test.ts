import { randomBytes } from 'node:crypto'
import okta from '@hrsync/connector-okta'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../../src/runner.js'
import {
  dropSchema,
  ENGINES,
  type Engine,
  freshSchema,
  POSTGRES_URL,
  postgresReachable,
} from '../support/databases.js'

// biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
type Json = Record<string, any>

const ADMIN_TOKEN = 'inputs-admin-token-0123456789abcdef0123'
const reachable = await postgresReachable()

interface Answer {
  status: number
  body: Json
}

/** A runner with one company and one Okta integration, called through fastify.inject. */
async function inputRunner(engine: Engine) {
  const schema = engine === 'postgres' ? freshSchema() : undefined
  const runner: Runner = await startRunner({
    ...(engine === 'postgres'
      ? {
          databaseUrl: POSTGRES_URL,
          databaseSchema: schema,
          secretKey: Buffer.alloc(32, 7).toString('base64'),
        }
      : { inMemory: true }),
    adminToken: ADMIN_TOKEN,
    listen: false,
    scheduler: false,
    discoverPlugins: false,
    connectors: [okta],
    logger: false,
    env: {},
    scimCoalesceMs: 60_000,
  })
  const call = async (
    method: string,
    url: string,
    token: string,
    body?: unknown,
    raw?: string,
  ): Promise<Answer> => {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body))
    const response = await runner.services.app.inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload }),
    })
    return { status: response.statusCode, body: response.body ? (response.json() as Json) : {} }
  }
  const admin = (method: string, url: string, body?: unknown, raw?: string) =>
    call(method, url, ADMIN_TOKEN, body, raw)
  const company = await admin('POST', '/api/companies', { name: 'Acme', plan: 'advanced', timeZone: 'UTC' })
  const connected = await admin('POST', `/api/companies/${company.body.id}/integrations`, {
    connector: 'okta',
    config: {},
  })
  const token = connected.body.scim.token as string
  const scim = (method: string, url: string, body?: unknown, raw?: string) =>
    call(method, `/scim/v2${url}`, token, body, raw)
  const user = await scim('POST', '/Users', {
    userName: 'maja@acme.test',
    emails: [{ value: 'maja@acme.test' }],
  })
  return {
    admin,
    scim,
    companyId: company.body.id as string,
    integrationId: connected.body.integration.id as string,
    userId: user.body.id as string,
    async close() {
      await runner.close()
      if (schema) await dropSchema(schema)
    },
  }
}

/** `depth` nested arrays around a value, as JSON text. */
const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`

describe.each(ENGINES)('issue 18 item 8: inputs that answered 500, on %s', (engine) => {
  const skip = engine === 'postgres' && !reachable
  let t: Awaited<ReturnType<typeof inputRunner>>
  beforeAll(async () => {
    if (!skip) t = await inputRunner(engine)
  }, 300_000)
  afterAll(async () => {
    await t?.close()
  })

  const expectAdmin400 = (answer: Answer, message: RegExp) => {
    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(message)
  }
  const expectScim400 = (answer: Answer, scimType: string, detail: RegExp) => {
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ status: '400', scimType })
    expect(answer.body.detail).toMatch(detail)
  }

  it.skipIf(skip)('5,000-deep nesting in an admin body: 400 naming the depth limit of 32', async () => {
    const deepName = await t.admin('POST', '/api/companies', undefined, `{"name":${nested(5000)}}`)
    expectAdmin400(deepName, /nests deeper than 32/)
    const deepConfig = await t.admin(
      'POST',
      `/api/companies/${t.companyId}/integrations`,
      undefined,
      `{"connector":"okta","config":{"a":${nested(5000)}}}`,
    )
    expectAdmin400(deepConfig, /nests deeper than 32/)
  })

  it.skipIf(skip)('5,000-deep nesting in a SCIM body: 400 invalidSyntax naming the limit of 32', async () => {
    const extension = (inner: string) => `{"urn:example:ext:1.0:User":{"deep":${inner}}}`
    const post = await t.scim(
      'POST',
      '/Users',
      undefined,
      `{"userName":"deep@acme.test","x":${extension(nested(5000))}}`,
    )
    expectScim400(post, 'invalidSyntax', /nests deeper than 32/)
    const put = await t.scim(
      'PUT',
      `/Users/${t.userId}`,
      undefined,
      `{"userName":"maja@acme.test","urn:example:ext:1.0:User":{"deep":${nested(5000)}}}`,
    )
    expectScim400(put, 'invalidSyntax', /nests deeper than 32/)
    const patch = await t.scim(
      'PATCH',
      `/Users/${t.userId}`,
      undefined,
      `{"Operations":[{"op":"add","path":"urn:example:ext:1.0:User:deep","value":${nested(5000)}}]}`,
    )
    expectScim400(patch, 'invalidSyntax', /nests deeper than 32/)
    // the body, the extension object and its attribute take three of the 32 levels
    const atLimit = await t.scim(
      'POST',
      '/Users',
      undefined,
      `{"userName":"deep@acme.test",${extension(nested(30)).slice(1, -1)}}`,
    )
    expect(atLimit.status).toBe(201)
    await t.scim('DELETE', `/Users/${atLimit.body.id}`)
  })

  it.skipIf(skip)('events ?after= beyond a safe integer: 400', async () => {
    for (const after of ['1e20', '9223372036854775808', '1e308']) {
      const answer = await t.admin('GET', `/api/companies/${t.companyId}/events?after=${after}`)
      expectAdmin400(answer, /after/)
    }
  })

  it.skipIf(skip)('runs ?limit=1e400: 400', async () => {
    const answer = await t.admin('GET', `/api/integrations/${t.integrationId}/runs?limit=1e400`)
    expectAdmin400(answer, /limit/)
  })

  it.skipIf(skip)(
    'SCIM startIndex and count of 1e30 or 2^63: count clamped to 200, startIndex past the end',
    async () => {
      for (const big of ['1000000000000000000000000000000', '9223372036854775808']) {
        const byCount = await t.scim('GET', `/Users?count=${big}`)
        expect(byCount.status).toBe(200)
        expect(byCount.body).toMatchObject({ totalResults: 1, itemsPerPage: 1 })
        const byIndex = await t.scim('GET', `/Users?startIndex=${big}`)
        expect(byIndex.status).toBe(200)
        expect(byIndex.body).toMatchObject({ totalResults: 1, itemsPerPage: 0, Resources: [] })
      }
      const negative = await t.scim('GET', '/Users?startIndex=-9223372036854775809&count=-1e30')
      expect(negative.status).toBe(400)
    },
  )

  it.skipIf(skip)('SCIM date comparisons that are not RFC 3339: 400 invalidFilter', async () => {
    for (const filter of [
      'meta.created gt "1"',
      'meta.lastModified lt "2024"',
      'meta.created eq "May 1, 2024"',
    ]) {
      const answer = await t.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      expectScim400(answer, 'invalidFilter', /RFC 3339/)
    }
    const valid = await t.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('meta.created gt "2000-01-01T00:00:00Z"')}`,
    )
    expect(valid.body.totalResults).toBe(1)
  })

  it.skipIf(skip)('a userName over 1,024 characters: 400 invalidValue on POST, PUT and PATCH', async () => {
    // random text: PostgreSQL compresses an index row of repeated letters below its ~2.7 KB limit
    const long = `${randomBytes(1500).toString('hex')}@acme.test`
    expectScim400(await t.scim('POST', '/Users', { userName: long }), 'invalidValue', /at most 1024/)
    expectScim400(await t.scim('PUT', `/Users/${t.userId}`, { userName: long }), 'invalidValue', /1024/)
    const patched = await t.scim('PATCH', `/Users/${t.userId}`, {
      Operations: [{ op: 'replace', path: 'userName', value: long }],
    })
    expectScim400(patched, 'invalidValue', /1024/)
    const atLimit = await t.scim('POST', '/Users', {
      userName: `${'b'.repeat(1024 - '@acme.test'.length)}@acme.test`,
    })
    expect(atLimit.status).toBe(201)
    await t.scim('DELETE', `/Users/${atLimit.body.id}`)
  })

  it.skipIf(skip)('lone surrogates in any string: 400, SCIM invalidValue', async () => {
    const surrogate = 'x\ud800y'
    expectAdmin400(
      await t.admin('POST', '/api/companies', { name: surrogate, plan: 'advanced', timeZone: 'UTC' }),
      /surrogate/,
    )
    expectAdmin400(
      await t.admin('POST', `/api/companies/${t.companyId}/integrations`, {
        connector: 'okta',
        config: { note: surrogate },
      }),
      /surrogate/,
    )
    expectScim400(
      await t.scim('POST', '/Users', { userName: 'lone@acme.test', title: surrogate }),
      'invalidValue',
      /surrogate/,
    )
    expectScim400(
      await t.scim('PATCH', `/Users/${t.userId}`, {
        Operations: [{ op: 'add', path: 'urn:example:ext:1.0:User:note', value: surrogate }],
      }),
      'invalidValue',
      /surrogate/,
    )
  })

  it.skipIf(skip)(
    '2,000 nested "not (" in a filter: 400 invalidFilter at the depth limit of 32',
    async () => {
      const filter = `${'not ('.repeat(2000)}userName eq "x"${')'.repeat(2000)}`
      const answer = await t.scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)
      expectScim400(answer, 'invalidFilter', /deeper than 32/)
    },
  )
})

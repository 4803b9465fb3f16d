import { ConnectorError, defineConnector, employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import {
  BODY_EXCERPT_CHARS,
  checkConnection,
  createContext,
  pullEmployees,
  retryAfterMs,
  validateConfig,
  vendorMessage,
  withErrorHint,
} from '../src/index.js'
import { api, config, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

describe('vendorMessage', () => {
  it.each([
    [
      'RFC 7807',
      { type: 'about:blank', title: 'Forbidden', detail: 'Token lacks employees:read' },
      'Forbidden: Token lacks employees:read',
    ],
    ['RFC 7807 title only', { title: 'Not allowed' }, 'Not allowed'],
    [
      'SCIM',
      { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403', detail: 'No access' },
      'No access',
    ],
    [
      'OData v2',
      { error: { code: 'X', message: { lang: 'en-US', value: 'Invalid filter' } } },
      'Invalid filter',
    ],
    ['OData v4', { error: { code: 'X', message: 'Bad $select' } }, 'Bad $select'],
    [
      'AFAS',
      { externalMessage: 'Geen toegang tot connector', profitLogReference: 'ABC' },
      'Geen toegang tot connector',
    ],
    [
      'OAuth',
      { error: 'invalid_grant', error_description: 'Refresh token expired' },
      'Refresh token expired',
    ],
    ['message', { message: 'Nope' }, 'Nope'],
    ['errors[]', { errors: [{ message: 'First' }, { message: 'Second' }] }, 'First'],
  ])('reads the %s wording', (_, body, expected) => {
    expect(vendorMessage(JSON.stringify(body))).toBe(expected)
  })

  it('reads a SOAP 1.1 faultstring and a SOAP 1.2 reason', () => {
    const soap11 =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Invalid credentials &amp; no access</faultstring></soap:Fault></soap:Body></soap:Envelope>'
    expect(vendorMessage(soap11)).toBe('Invalid credentials & no access')
    const soap12 =
      '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Reason><env:Text xml:lang="en">Sender not authorised</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>'
    expect(vendorMessage(soap12)).toBe('Sender not authorised')
  })

  it('says nothing for an empty, unreadable or wordless body, and at most 200 characters', () => {
    expect(vendorMessage('')).toBeUndefined()
    expect(vendorMessage('not json')).toBeUndefined()
    expect(vendorMessage('{"status":500}')).toBeUndefined()
    expect(vendorMessage(JSON.stringify({ message: 'x'.repeat(500) }))?.length).toBe(200)
  })
})

describe('HTTP errors', () => {
  it('put the vendor wording in the message and a redacted, truncated body excerpt in details', async () => {
    const connector = testConnector()
    const body = JSON.stringify({
      title: 'Forbidden',
      detail: `key ${validConfig.apiKey} may not read people`,
      padding: 'p'.repeat(2000),
    })
    api().get('/api/people').reply(403, body, { 'content-type': 'application/problem+json' })
    const ctx = createContext(connector, validateConfig(connector, validConfig), fast)
    const error = (await ctx.http.request({ url: 'people' }).catch((e) => e)) as ConnectorError
    expect(error.code).toBe('missing_scope')
    expect(error.message).toContain('refused access to GET /api/people (HTTP 403)')
    expect(error.message).toContain('Forbidden: key [redacted] may not read people')
    expect(error.message).not.toContain(validConfig.apiKey)
    expect(error.details?.status).toBe(403)
    const excerpt = String(error.details?.body)
    expect(excerpt).not.toContain(validConfig.apiKey)
    expect(excerpt.length).toBe(BODY_EXCERPT_CHARS + 1)
    expect(excerpt.endsWith('…')).toBe(true)
  })

  it('retry an answer isRateLimited marks like a 429, then fail with rate_limited', async () => {
    const quota = { error: { code: 403, message: 'Quota exceeded', errors: [{ reason: 'quotaExceeded' }] } }
    const connector = testConnector({
      http: { isRateLimited: (status, body) => status === 403 && body.includes('quotaExceeded') },
    })
    api()
      .get('/api/people')
      .reply(403, quota)
      .get('/api/people')
      .reply(200, [{ id: 1 }])
    const ctx = createContext(connector, validateConfig(connector, validConfig), fast)
    expect((await ctx.http.request({ url: 'people' })).body).toEqual([{ id: 1 }])

    api().get('/api/people').times(3).reply(403, quota)
    const limited = createContext(connector, validateConfig(connector, validConfig), {
      ...fast,
      fetchRetryLimit: 2,
    })
    await expect(limited.http.request({ url: 'people' })).rejects.toMatchObject({
      code: 'rate_limited',
      message: expect.stringContaining('Quota exceeded'),
    })
  })

  it('a 403 the predicate does not mark stays missing_scope, without retries', async () => {
    const connector = testConnector({ http: { isRateLimited: (_, body) => body.includes('quotaExceeded') } })
    api()
      .get('/api/people')
      .once()
      .reply(403, { error: { message: 'Not authorized' } })
    const ctx = createContext(connector, validateConfig(connector, validConfig), fast)
    await expect(ctx.http.request({ url: 'people' })).rejects.toMatchObject({ code: 'missing_scope' })
  })
})

describe('rate limit reset units', () => {
  it('reads the reset header in the declared unit', () => {
    const now = Date.parse('2026-11-25T12:00:00Z')
    expect(retryAfterMs({ 'x-reset': '2500' }, 'x-reset', now, 'milliseconds')).toBe(2500)
    expect(retryAfterMs({ 'x-reset': '3' }, 'x-reset', now, 'seconds')).toBe(3000)
    expect(retryAfterMs({ 'x-reset': String(now / 1000 + 7) }, 'x-reset', now, 'epoch-seconds')).toBe(7000)
    expect(retryAfterMs({ 'x-reset': String(now / 1000 - 7) }, 'x-reset', now, 'epoch-seconds')).toBe(0)
    // without a unit, 2500 is taken for seconds
    expect(retryAfterMs({ 'x-reset': '2500' }, 'x-reset', now)).toBe(2_500_000)
  })

  it('waits milliseconds as sent, and measures an epoch reset against the context clock', async () => {
    const delays: number[] = []
    const sleep = async (ms: number) => {
      delays.push(ms)
    }
    const now = new Date('2026-11-25T12:00:00Z')
    const ms = testConnector({
      http: { rateLimitResetHeader: 'x-reset', rateLimitResetUnit: 'milliseconds' },
    })
    api().get('/api/people').reply(429, '', { 'x-reset': '1500' }).get('/api/people').reply(200, [])
    await createContext(ms, validateConfig(ms, validConfig), { ...fast, sleep, now }).http.request({
      url: 'people',
    })

    const epoch = testConnector({
      http: { rateLimitResetHeader: 'x-reset', rateLimitResetUnit: 'epoch-seconds' },
    })
    const resetAt = now.getTime() / 1000 + 4
    api()
      .get('/api/people')
      .reply(429, '', { 'x-reset': String(resetAt) })
      .get('/api/people')
      // the clock moved 4 s with the first wait: the same reset is now due
      .reply(429, '', { 'x-reset': String(resetAt) })
      .get('/api/people')
      .reply(200, [])
    await createContext(epoch, validateConfig(epoch, validConfig), { ...fast, sleep, now }).http.request({
      url: 'people',
    })
    expect(delays.slice(0, 2)).toEqual([1500, 4000])
    expect(delays[2]).toBeLessThanOrEqual(1)
  })
})

describe('errorHints', () => {
  const hinted = (fail: () => Promise<void>) =>
    defineConnector({
      id: 'acme',
      name: 'Acme HR',
      apiVersion: 1,
      mode: 'pull',
      config,
      allowedHosts: ['{subdomain}.hr.example.com'],
      capabilities: {
        listEmployees: {
          includesTerminated: 'always',
          managerRef: 'none',
          statuses: ['ok'],
          incremental: false,
        },
      },
      baseUrl: (c) => `https://${c.subdomain}.hr.example.com/api`,
      auth: (c) => ({ type: 'bearer', token: c.apiKey }),
      errorHints: {
        invalid_credentials: 'Check the API key under Settings › Integrations › API in Acme HR.',
        unreachable: 'Check the subdomain.',
      },
      checkConnection: fail,
      async *listEmployees(ctx) {
        await fail.call(null)
        const { body } = await ctx.http.request<{ id: number }[]>({ url: 'people' })
        yield body.map((p) => employee({ remoteId: String(p.id), status: 'active' }))
      },
    })

  it('appends the hint of the code to the check and the pull, once', async () => {
    const connector = hinted(async () => {})
    api().get('/api/people').reply(401, { message: 'bad key' })
    const failure = await pullEmployees(connector, validConfig, fast).catch((e) => e)
    expect(failure.message).toBe(
      'Acme HR rejected the credentials (HTTP 401): "bad key". Check the connection settings. Check the API key under Settings › Integrations › API in Acme HR.',
    )
    expect(withErrorHint(connector, failure)).toBe(failure)
  })

  it('hints the errors a connector throws itself, adding a full stop where needed', async () => {
    const connector = hinted(async () => {
      throw new ConnectorError('unreachable', 'Could not reach Acme HR')
    })
    expect(await checkConnection(connector, validConfig, fast)).toEqual({
      ok: false,
      code: 'unreachable',
      message: 'Could not reach Acme HR. Check the subdomain.',
    })
  })

  it('leaves codes without a hint as they are', async () => {
    const connector = hinted(async () => {
      throw new ConnectorError('vendor_error', 'Acme HR answered HTTP 500')
    })
    expect(await checkConnection(connector, validConfig, fast)).toMatchObject({
      message: 'Acme HR answered HTTP 500',
    })
    expect(withErrorHint({}, new ConnectorError('unreachable', 'x')).message).toBe('x')
  })
})

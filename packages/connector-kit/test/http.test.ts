import type { ConnectorError } from '@hrsync/core'
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { createContext, retryAfterMs, validateConfig } from '../src/index.js'
import { api, failure, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

function context(connector = testConnector(), options = {}) {
  return createContext(connector, validateConfig(connector, validConfig), { ...fast, ...options })
}

describe('validateConfig', () => {
  it('names every bad key and never the values', () => {
    const error = (() => {
      try {
        validateConfig(testConnector(), { apiKey: 'sk_live_secret', pageSize: 500 })
      } catch (e) {
        return e as ConnectorError
      }
    })()
    expect(error?.code).toBe('invalid_config')
    expect(error?.message).toBe('config.subdomain is required; config.pageSize must be ≤ 100')
    expect(error?.message).not.toContain('sk_live_secret')
  })
  it('fills defaults, converts strings and drops unknown keys', () => {
    expect(validateConfig(testConnector(), { ...validConfig, pageSize: '50', extra: 1 })).toEqual({
      ...validConfig,
      pageSize: 50,
    })
    expect(validateConfig(testConnector(), validConfig).pageSize).toBe(2)
  })
})

describe('HTTP client', () => {
  it('requests are intercepted by nock on this Node version and carry the bearer token', async () => {
    api().get('/api/people').matchHeader('authorization', `Bearer ${validConfig.apiKey}`).reply(200, [])
    const res = await context().http.request({ url: 'people' })
    expect(res.body).toEqual([])
  })

  it('refuses a host outside allowedHosts', async () => {
    const error = await failure(context().http.request({ url: 'https://evil.example.net/steal' }))
    expect(error.code).toBe('host_not_allowed')
    expect(error.message).toContain('evil.example.net')
  })

  it('allows a wildcard host and a templated host, and refuses a redirect elsewhere', async () => {
    nock('https://eu.login.example.com').get('/token-info').reply(200, { ok: true })
    await expect(
      context().http.request({ url: 'https://eu.login.example.com/token-info' }),
    ).resolves.toBeDefined()
    api().get('/api/people').reply(302, '', { location: 'https://evil.example.net/' })
    expect((await failure(context().http.request({ url: 'people' }))).code).toBe('host_not_allowed')
  })

  it('429 with Retry-After seconds, then success', async () => {
    const delays: number[] = []
    api()
      .get('/api/people')
      .reply(429, '', { 'retry-after': '3' })
      .get('/api/people')
      .reply(200, [{ id: 1 }])
    const ctx = context(testConnector(), {
      sleep: async (ms: number) => {
        delays.push(ms)
      },
    })
    expect((await ctx.http.request({ url: 'people' })).body).toEqual([{ id: 1 }])
    expect(delays).toEqual([3000])
  })

  it('429 with Retry-After as an HTTP date is honoured for real', async () => {
    const at = new Date(Date.now() + 1500).toUTCString()
    api().get('/api/people').reply(429, '', { 'retry-after': at }).get('/api/people').reply(200, [])
    const started = Date.now()
    await context().http.request({ url: 'people' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(400)
  })

  it("429 with the connector's reset header (epoch seconds or seconds)", async () => {
    const delays: number[] = []
    const connector = testConnector({ http: { rateLimitResetHeader: 'x-ratelimit-reset' } })
    const reset = String(Math.floor(Date.now() / 1000) + 10)
    api()
      .get('/api/people')
      .reply(429, '', { 'x-ratelimit-reset': reset })
      .get('/api/people')
      .reply(429, '', { 'x-ratelimit-reset': '2' })
      .get('/api/people')
      .reply(200, [])
    const sleep = async (ms: number) => {
      delays.push(ms)
    }
    await context(connector, { sleep }).http.request({ url: 'people' })
    expect(delays[0]).toBeGreaterThan(8000)
    expect(delays[0]).toBeLessThanOrEqual(10_000)
    expect(delays[1]).toBe(2000)
    expect(retryAfterMs({ 'x-reset': String(Date.now() + 5000) }, 'x-reset')).toBeGreaterThan(4000)
  })

  it('a Retry-After beyond the limit fails with rate_limited at once', async () => {
    api().get('/api/people').reply(429, '', { 'retry-after': '3600' })
    const error = await failure(context().http.request({ url: 'people' }))
    expect(error.code).toBe('rate_limited')
  })

  it('5xx is retried, then succeeds', async () => {
    api().get('/api/people').reply(502).get('/api/people').reply(503).get('/api/people').reply(200, [])
    await expect(context().http.request({ url: 'people' })).resolves.toMatchObject({ status: 200 })
  })

  it('5xx on every attempt ends in vendor_error with the status', async () => {
    api().get('/api/people').times(3).reply(500, { message: 'boom' })
    const error = await failure(
      context(testConnector(), { fetchRetryLimit: 2 }).http.request({ url: 'people' }),
    )
    expect(error.code).toBe('vendor_error')
    expect(error.details?.status).toBe(500)
    expect(error.message).toContain('after 3 attempts')
    expect(nock.isDone()).toBe(true)
  })

  it('a network error is retried and ends in unreachable', async () => {
    const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    api().get('/api/people').replyWithError(refused()).get('/api/people').replyWithError(refused())
    const error = await failure(
      context(testConnector(), { fetchRetryLimit: 1 }).http.request({ url: 'people' }),
    )
    expect(error.code).toBe('unreachable')
    expect(error.message).toContain('refused')
  })

  it('a timeout ends in unreachable', async () => {
    api().get('/api/people').delay(300).reply(200, []).persist()
    const connector = testConnector({ http: { timeoutMs: 50 } })
    const error = await failure(context(connector, { fetchRetryLimit: 0 }).http.request({ url: 'people' }))
    expect(error.code).toBe('unreachable')
  })

  it('POST is not retried unless the connector declares it', async () => {
    api().post('/api/search').reply(503).post('/api/search').reply(200, [])
    expect((await failure(context().http.request({ method: 'POST', url: 'search', json: {} }))).code).toBe(
      'vendor_error',
    )
    nock.cleanAll()
    api().post('/api/search').reply(503).post('/api/search').reply(200, [])
    const retrying = testConnector({ http: { retryMethods: ['GET', 'POST'] } })
    await expect(
      context(retrying).http.request({ method: 'POST', url: 'search', json: {} }),
    ).resolves.toMatchObject({
      status: 200,
    })
  })

  it('maps 401, 403 and other 4xx', async () => {
    api()
      .get('/api/a')
      .reply(401, { error: { message: 'bad key' } })
    api().get('/api/b').reply(403)
    api().get('/api/c').reply(404)
    const ctx = context()
    const unauthorised = await failure(ctx.http.request({ url: 'a' }))
    expect(unauthorised.code).toBe('invalid_credentials')
    expect(unauthorised.message).toContain('bad key')
    expect((await failure(ctx.http.request({ url: 'b' }))).code).toBe('missing_scope')
    const notFound = await failure(ctx.http.request({ url: 'c' }))
    expect([notFound.code, notFound.details?.status]).toEqual(['vendor_error', 404])
  })

  it('an HTML or unparsable body where JSON is expected is malformed_response', async () => {
    api().get('/api/a').reply(200, '<html>login</html>', { 'content-type': 'text/html' })
    api().get('/api/b').reply(200, '{"broken"', { 'content-type': 'application/json' })
    expect((await failure(context().http.request({ url: 'a' }))).code).toBe('malformed_response')
    expect((await failure(context().http.request({ url: 'b' }))).code).toBe('malformed_response')
  })

  it('honours the abort signal', async () => {
    const controller = new AbortController()
    api().get('/api/people').delay(500).reply(200, [])
    const pending = context(testConnector(), { signal: controller.signal }).http.request({ url: 'people' })
    setTimeout(() => controller.abort(), 20)
    expect((await failure(pending)).code).toBe('aborted')
  })

  it('rate-limits requests per credential', async () => {
    const delays: number[] = []
    api().get('/api/people').times(4).reply(200, [])
    const connector = testConnector({ http: { requestsPerSecond: 2 } })
    const ctx = context(connector, {
      sleep: async (ms: number) => {
        delays.push(ms)
      },
    })
    for (let i = 0; i < 4; i++) await ctx.http.request({ url: 'people' })
    expect(delays.length).toBeGreaterThanOrEqual(2)
    expect(Math.max(...delays)).toBeGreaterThan(400)
  })
})

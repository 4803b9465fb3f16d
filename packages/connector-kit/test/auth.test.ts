import type { Logger } from '@hrsync/core'
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { createContext, validateConfig } from '../src/index.js'
import { api, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

const ctxFor = (connector: ReturnType<typeof testConnector>, logger?: Logger) =>
  createContext(connector, validateConfig(connector, validConfig), { ...fast, logger })

describe('token exchange', () => {
  it('exchanges once, reuses the token, and re-exchanges once on 401', async () => {
    let exchanges = 0
    const connector = testConnector({
      auth: {
        type: 'token-exchange',
        async exchange(http) {
          const { body } = await http.request<{ token: string }>({
            method: 'POST',
            url: 'auth',
            json: { key: 'k' },
          })
          exchanges++
          return { token: body.token }
        },
      },
    })
    api()
      .post('/api/auth')
      .reply(200, { token: 'tok-first-0001' })
      .get('/api/people')
      .twice()
      .matchHeader('authorization', 'Bearer tok-first-0001')
      .reply(200, [])
      .get('/api/people')
      .matchHeader('authorization', 'Bearer tok-first-0001')
      .reply(401)
      .post('/api/auth')
      .reply(200, { token: 'tok-second-0002' })
      .get('/api/people')
      .matchHeader('authorization', 'Bearer tok-second-0002')
      .reply(200, [{ id: 1 }])
    const ctx = ctxFor(connector)
    await ctx.http.request({ url: 'people' })
    await ctx.http.request({ url: 'people' })
    expect((await ctx.http.request({ url: 'people' })).body).toEqual([{ id: 1 }])
    expect(exchanges).toBe(2)
    expect(nock.isDone()).toBe(true)
  })

  it('a second 401 after re-exchanging is invalid_credentials', async () => {
    const connector = testConnector({
      auth: { type: 'token-exchange', exchange: async () => ({ token: 'tok-never-works' }) },
    })
    api().get('/api/people').twice().reply(401)
    await expect(ctxFor(connector).http.request({ url: 'people' })).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
  })

  it('a rejected exchange is invalid_credentials', async () => {
    const connector = testConnector({
      auth: {
        type: 'token-exchange',
        async exchange(http) {
          await http.request({ method: 'POST', url: 'auth', json: {} })
          return { token: 'unused' }
        },
      },
    })
    api()
      .post('/api/auth')
      .reply(400, { error: { message: 'wrong credentials' } })
    await expect(ctxFor(connector).http.request({ url: 'people' })).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: expect.stringContaining('wrong credentials'),
    })
  })
})

describe('OAuth2', () => {
  it('client credentials: one token request, cached until expiry', async () => {
    const connector = testConnector({
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: 'https://eu.login.example.com/oauth/token',
        clientId: 'client-1',
        clientSecret: validConfig.apiKey,
        scope: 'people:read',
      },
    })
    nock('https://eu.login.example.com')
      .post('/oauth/token', {
        grant_type: 'client_credentials',
        scope: 'people:read',
        client_id: 'client-1',
        client_secret: validConfig.apiKey,
      })
      .once()
      .reply(200, { access_token: 'at-0001', expires_in: 3600, token_type: 'Bearer' })
    api().get('/api/people').times(3).matchHeader('authorization', 'Bearer at-0001').reply(200, [])
    const ctx = ctxFor(connector)
    for (let i = 0; i < 3; i++) await ctx.http.request({ url: 'people' })
    expect(nock.isDone()).toBe(true)
  })

  it('client credentials in a Basic header; an expired token is fetched again', async () => {
    const connector = testConnector({
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: 'https://eu.login.example.com/oauth/token',
        clientId: 'client-1',
        clientSecret: 'client-secret-1',
        credentialsIn: 'basic',
      },
    })
    const basic = `Basic ${Buffer.from('client-1:client-secret-1').toString('base64')}`
    nock('https://eu.login.example.com')
      .post('/oauth/token', { grant_type: 'client_credentials' })
      .matchHeader('authorization', basic)
      .reply(200, { access_token: 'at-short', expires_in: 0.001 })
      .post('/oauth/token')
      .reply(200, { access_token: 'at-next', expires_in: 3600 })
    api().get('/api/people').matchHeader('authorization', 'Bearer at-short').reply(200, [])
    api().get('/api/people').matchHeader('authorization', 'Bearer at-next').reply(200, [])
    const ctx = ctxFor(connector)
    await ctx.http.request({ url: 'people' })
    await new Promise((r) => setTimeout(r, 5))
    await ctx.http.request({ url: 'people' })
    expect(nock.isDone()).toBe(true)
  })

  it('refresh token grant', async () => {
    const connector = testConnector({
      auth: {
        type: 'oauth2-refresh-token',
        tokenUrl: 'https://eu.login.example.com/oauth/token',
        clientId: 'client-1',
        clientSecret: 'client-secret-1',
        refreshToken: 'rt-0001',
      },
    })
    nock('https://eu.login.example.com')
      .post('/oauth/token', (body) => body.grant_type === 'refresh_token' && body.refresh_token === 'rt-0001')
      .reply(200, { access_token: 'at-from-refresh', expires_in: 3600, refresh_token: 'rt-0002' })
    api().get('/api/people').matchHeader('authorization', 'Bearer at-from-refresh').reply(200, [])
    await ctxFor(connector).http.request({ url: 'people' })
    expect(nock.isDone()).toBe(true)
  })
})

describe('basic and header auth', () => {
  it('sends the Basic header and a custom header', async () => {
    const basic = testConnector({ auth: { type: 'basic', username: 'key', password: 'pw-123456' } })
    api()
      .get('/api/people')
      .matchHeader('authorization', `Basic ${Buffer.from('key:pw-123456').toString('base64')}`)
      .reply(200, [])
    await ctxFor(basic).http.request({ url: 'people' })
    const header = testConnector({ auth: { type: 'header', name: 'x-api-key', value: 'hdr-123456' } })
    api().get('/api/people').matchHeader('x-api-key', 'hdr-123456').reply(200, [])
    await ctxFor(header).http.request({ url: 'people' })
    expect(nock.isDone()).toBe(true)
  })
})

describe('redacting logger', () => {
  it('masks config secrets, derived headers and issued tokens in messages and fields', async () => {
    const lines: Array<{ message: string; fields?: Record<string, unknown> }> = []
    const record = (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields })
    const logger: Logger = { debug: record, info: record, warn: record, error: record }
    const connector = testConnector({
      auth: { type: 'token-exchange', exchange: async () => ({ token: 'papi-issued-token-42' }) },
    })
    api().get('/api/people').reply(200, [])
    const ctx = ctxFor(connector, logger)
    await ctx.http.request({ url: 'people' })
    ctx.log.info(`key ${validConfig.apiKey} token papi-issued-token-42`, {
      nested: { value: `Bearer papi-issued-token-42` },
      authorization: 'anything',
      list: [validConfig.apiKey],
    })
    const printed = JSON.stringify(lines)
    expect(printed).not.toContain(validConfig.apiKey)
    expect(printed).not.toContain('papi-issued-token-42')
    expect(lines.at(-1)?.message).toBe('key [redacted] token [redacted]')
    expect(lines.at(-1)?.fields?.authorization).toBe('[redacted]')
  })
})

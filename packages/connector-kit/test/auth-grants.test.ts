import { createVerify, generateKeyPairSync } from 'node:crypto'
import type { Logger } from '@hrsync/core'
import nock from 'nock'
import { describe, expect, it } from 'vitest'
import { checkConnection, createContext, signJwtAssertion, validateConfig } from '../src/index.js'
import { api, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

const login = () => nock('https://id.login.example.com')
const TOKEN_URL = 'https://id.login.example.com/oauth/token'

function capture(): { logger: Logger; text: () => string } {
  const lines: string[] = []
  const push = (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${message} ${JSON.stringify(fields ?? {})}`)
  return {
    logger: { debug: push, info: push, warn: push, error: push },
    text: () => lines.join('\n'),
  }
}

describe('token exchange with a custom header', () => {
  it('sends the token in the named header, formatted, masks it in logs and reports it as a secret', async () => {
    const secrets: string[] = []
    const log = capture()
    const connector = testConnector({
      auth: {
        type: 'token-exchange',
        header: { name: 'token', format: (token) => `Token ${token}` },
        exchange: async () => ({ token: 'tmp-token-0123456789' }),
      },
    })
    api()
      .get('/api/people')
      .matchHeader('token', 'Token tmp-token-0123456789')
      .reply(500, { message: 'echo tmp-token-0123456789' })
      .get('/api/people')
      .matchHeader('token', 'Token tmp-token-0123456789')
      .reply(200, [])
    const ctx = createContext(connector, validateConfig(connector, validConfig), {
      ...fast,
      logger: log.logger,
      onSecret: (secret) => secrets.push(secret),
    })
    await ctx.http.request({ url: 'people' })
    ctx.log.info('got tmp-token-0123456789')
    expect(secrets).toContain('tmp-token-0123456789')
    expect(log.text()).not.toContain('tmp-token-0123456789')
    expect(nock.isDone()).toBe(true)
  })

  it('without a format the header carries the bare token', async () => {
    const connector = testConnector({
      auth: {
        type: 'token-exchange',
        header: { name: 'token' },
        exchange: async () => ({ token: 'bare-tok' }),
      },
    })
    api().get('/api/people').matchHeader('token', 'bare-tok').reply(200, [])
    const ctx = createContext(connector, validateConfig(connector, validConfig), fast)
    expect((await ctx.http.request({ url: 'people' })).status).toBe(200)
  })
})

describe('oauth2-refresh-token', () => {
  it('works without a client secret and with a JSON body', async () => {
    let sent: unknown
    const connector = testConnector({
      auth: {
        type: 'oauth2-refresh-token',
        tokenUrl: TOKEN_URL,
        clientId: 'public-client',
        refreshToken: 'refresh-0001',
        bodyFormat: 'json',
      },
    })
    login()
      .post('/oauth/token', (body) => {
        sent = body
        return true
      })
      .matchHeader('content-type', /application\/json/)
      .reply(200, { access_token: 'acc-0001', expires_in: 3600 })
    api().get('/api/people').query(true).matchHeader('authorization', 'Bearer acc-0001').reply(200, [])
    expect(await checkConnection(connector, validConfig, fast)).toEqual({ ok: true })
    expect(sent).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-0001',
      client_id: 'public-client',
    })
  })

  it('tells the caller the config key and value of a rotated refresh token, and uses it next', async () => {
    const changes: Record<string, string>[] = []
    const secrets: string[] = []
    const forms: Record<string, string>[] = []
    const connector = testConnector({
      auth: {
        type: 'oauth2-refresh-token',
        tokenUrl: TOKEN_URL,
        clientId: 'cid',
        clientSecret: 'csecret-0001',
        refreshToken: validConfig.apiKey,
      },
    })
    login()
      .post('/oauth/token', (body) => {
        forms.push(body as Record<string, string>)
        return true
      })
      .reply(200, { access_token: 'acc-1', refresh_token: 'rotated-refresh-0002' })
      .post('/oauth/token', (body) => {
        forms.push(body as Record<string, string>)
        return true
      })
      .reply(200, { access_token: 'acc-2', refresh_token: 'rotated-refresh-0002' })
    api()
      .get('/api/people')
      .matchHeader('authorization', 'Bearer acc-1')
      .reply(401)
      .get('/api/people')
      .matchHeader('authorization', 'Bearer acc-2')
      .reply(200, [])
    const ctx = createContext(connector, validateConfig(connector, validConfig), {
      ...fast,
      onSecret: (secret) => secrets.push(secret),
      onCredentialsChanged: (change) => changes.push(change),
    })
    await ctx.http.request({ url: 'people' })
    expect(changes).toEqual([{ apiKey: 'rotated-refresh-0002' }])
    expect(forms.map((form) => form.refresh_token)).toEqual([validConfig.apiKey, 'rotated-refresh-0002'])
    expect(forms[0]?.client_secret).toBe('csecret-0001')
    expect(secrets).toContain('rotated-refresh-0002')
  })

  it('names the key given by refreshTokenKey', async () => {
    const changes: Record<string, string>[] = []
    const connector = testConnector({
      auth: {
        type: 'oauth2-refresh-token',
        tokenUrl: TOKEN_URL,
        clientId: 'cid',
        refreshToken: 'r-1',
        refreshTokenKey: 'nmbrsRefreshToken',
      },
    })
    login().post('/oauth/token').reply(200, { access_token: 'acc-1', refresh_token: 'r-2' })
    api().get('/api/people').query(true).reply(200, [])
    await checkConnection(connector, validConfig, { ...fast, onCredentialsChanged: (c) => changes.push(c) })
    expect(changes).toEqual([{ nmbrsRefreshToken: 'r-2' }])
  })
})

describe('jwt-bearer', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

  function decode(assertion: string) {
    const [header = '', payload = '', signature = ''] = assertion.split('.')
    const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(publicKey, Buffer.from(signature, 'base64url'))
    return { header: json(header), payload: json(payload), valid }
  }

  it('signs an RS256 assertion with the claims, the lifetime and a key pasted with \\n escapes', async () => {
    const assertion = await signJwtAssertion(
      'Acme HR',
      {
        issuer: 'sa@example.com',
        subject: 'admin@example.com',
        audience: TOKEN_URL,
        scope: 's1 s2',
        lifetime: 600,
      },
      pem.replaceAll('\n', '\\n'),
      1_800_000_000,
    )
    expect(decode(assertion)).toEqual({
      header: { alg: 'RS256', typ: 'JWT' },
      payload: {
        iss: 'sa@example.com',
        sub: 'admin@example.com',
        scope: 's1 s2',
        aud: TOKEN_URL,
        iat: 1_800_000_000,
        exp: 1_800_000_600,
      },
      valid: true,
    })
  })

  it('trades the assertion at tokenUrl with the jwt-bearer grant; the audience defaults to tokenUrl', async () => {
    let form: Record<string, string> | undefined
    const secrets: string[] = []
    const connector = testConnector({
      auth: { type: 'jwt-bearer', tokenUrl: TOKEN_URL, issuer: 'sa@example.com', privateKey: pem },
    })
    login()
      .post('/oauth/token', (body) => {
        form = body as Record<string, string>
        return true
      })
      .reply(200, { access_token: 'jwt-acc-0001', expires_in: 3599 })
    api().get('/api/people').query(true).matchHeader('authorization', 'Bearer jwt-acc-0001').reply(200, [])
    expect(
      await checkConnection(connector, validConfig, { ...fast, onSecret: (s) => secrets.push(s) }),
    ).toEqual({
      ok: true,
    })
    expect(form?.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    const decoded = decode(form?.assertion ?? '')
    expect(decoded.valid).toBe(true)
    expect(decoded.payload).toMatchObject({ iss: 'sa@example.com', aud: TOKEN_URL })
    expect(decoded.payload.exp - decoded.payload.iat).toBe(3600)
    expect(decoded.payload).not.toHaveProperty('sub')
    expect(secrets).toContain(form?.assertion)
    expect(secrets).toContain(pem)
  })

  it('a key that is not PEM is a settings problem, and nothing is sent', async () => {
    const connector = testConnector({
      auth: { type: 'jwt-bearer', tokenUrl: TOKEN_URL, issuer: 'sa@example.com', privateKey: 'not a key' },
    })
    const check = await checkConnection(connector, validConfig, fast)
    expect(check).toMatchObject({ ok: false, code: 'invalid_config' })
    if (!check.ok) expect(check.message).toMatch(/not a PEM private key/)
  })

  it('a rejected assertion is invalid_credentials with the vendor words', async () => {
    const connector = testConnector({
      auth: { type: 'jwt-bearer', tokenUrl: TOKEN_URL, issuer: 'sa@example.com', privateKey: pem },
    })
    login()
      .post('/oauth/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' })
    const check = await checkConnection(connector, validConfig, fast)
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toContain('Invalid JWT Signature.')
  })
})

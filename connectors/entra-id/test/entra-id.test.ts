import { fileURLToPath } from 'node:url'
import { checkConnection, mapRecords, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, loadFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector, SECRET_KEYWORD, validateDefinition } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import entraId, { identify, pull, SCIM_ACTIVE, STATUS, toEmployee, USERS_QUERY } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(pull, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'Microsoft Graph v1.0',
  connectorVersion: packageJson.version,
})

describe('Entra ID status table', () => {
  it('accountEnabled true/false → active/terminated', () => {
    expect(STATUS).toEqual({ enabled: 'active', disabled: 'terminated' })
  })

  it('SCIM active true/false → active/terminated', () => {
    expect(SCIM_ACTIVE).toEqual({ true: 'active', false: 'terminated' })
  })

  const user = (fields: Record<string, unknown>) => ({ id: 'u1', accountEnabled: true, ...fields })
  it.each([
    ['an enabled account', {}, 'active'],
    ['a disabled account', { accountEnabled: false }, 'terminated'],
    ['a leave date before today', { employeeLeaveDateTime: '2026-11-24T23:59:59Z' }, 'terminated'],
    ['a leave date of today', { employeeLeaveDateTime: '2026-11-25T18:00:00Z' }, 'active'],
    ['a future hire date', { employeeHireDate: '2026-11-26T00:00:00Z' }, 'pending'],
    [
      'a future hire on a disabled account',
      { accountEnabled: false, employeeHireDate: '2027-01-04T00:00:00Z' },
      'pending',
    ],
    ['a hire date of today', { employeeHireDate: '2026-11-25T00:00:00Z' }, 'active'],
  ])('%s → %s', (_, fields, status) => {
    expect(toEmployee(user(fields), now)).toMatchObject({ status })
  })
})

describe('Entra ID mapping', () => {
  it('takes mail as the work email, never the userPrincipalName', () => {
    expect(
      toEmployee({ id: 'u1', accountEnabled: true, mail: null, userPrincipalName: 'kiosk@example.com' }, now),
    ).toMatchObject({ email: null })
  })

  it('reads the expanded manager as an id and an email; no manager key means none', () => {
    const manager = { '@odata.type': '#microsoft.graph.user', id: 'm1', mail: 'boss@example.com' }
    expect(toEmployee({ id: 'u1', accountEnabled: true, manager }, now)).toMatchObject({
      managerRemoteId: 'm1',
      managerEmail: 'boss@example.com',
    })
    expect(toEmployee({ id: 'u1', accountEnabled: true }, now)).toMatchObject({
      managerRemoteId: null,
      managerEmail: null,
    })
  })

  it('a user without an id or with an unreadable date is skipped, not fatal', () => {
    const users = [{ accountEnabled: true }, { id: 'u2', accountEnabled: true, employeeHireDate: 'soon' }]
    const page = mapRecords(users, (user) => toEmployee(user, now), { identify })
    expect(page.employees).toEqual([])
    expect(page.skipped).toEqual([
      expect.objectContaining({
        remoteId: '(none)',
        reason: 'invalid_record',
        message: 'a Graph user without an id',
      }),
      expect.objectContaining({
        remoteId: 'u2',
        reason: 'invalid_record',
        message: '"soon" is not a date in a known format',
      }),
    ])
  })
})

describe('Entra ID over documented exchanges', () => {
  it('leaves guests out and reads two pages', async () => {
    const { result } = await replayFixture(pull, fixture('happy-multipage'), { now })
    expect(result?.pages).toBe(2)
    expect(result?.employees.map((e) => e.lastName)).not.toContain('Reyes')
    expect(result?.employees.find((e) => e.lastName === 'Åberg')?.email).toBeNull()
  })

  it('asks Graph for the fields it maps, the manager and 100 users a page', () => {
    const first = loadFixture(fixture('happy-multipage')).interactions[1]
    const url = new URL(first?.path ?? '', 'https://graph.microsoft.com')
    expect(url.pathname).toBe('/v1.0/users')
    expect(url.searchParams.get('$select')?.split(',')).toEqual(
      expect.arrayContaining([
        'accountEnabled',
        'mail',
        'employeeHireDate',
        'employeeLeaveDateTime',
        'userType',
      ]),
    )
    expect(url.searchParams.get('$expand')).toBe('manager($select=id,mail,userPrincipalName)')
    expect(url.searchParams.get('$top')).toBe(String(USERS_QUERY.$top))
  })

  it('requests the token with client credentials for Graph', () => {
    const token = loadFixture(fixture('happy-multipage')).interactions[0]
    expect(token?.path).toBe('/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token')
    expect(token?.body).toMatchObject({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
    })
  })

  it('a missing permission names the permissions to grant', async () => {
    const check = await checkFixture(pull, fixture('missing-scope'), { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/User\.Read\.All.*Grant admin consent/)
  })

  it('a wrong secret says to use the secret Value', async () => {
    const check = await checkFixture(pull, fixture('auth-failure'), { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/secret's Value/)
  })
})

describe('Entra ID pull requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('exchanges the client secret for a Graph token and sends it as Bearer', async () => {
    nock.disableNetConnect()
    let form: Record<string, string> = {}
    const login = nock('https://login.microsoftonline.com')
      .post('/contoso.onmicrosoft.com/oauth2/v2.0/token', (body: Record<string, string>) => {
        form = body
        return true
      })
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'issued' })
    const graph = nock('https://graph.microsoft.com', { reqheaders: { authorization: 'Bearer issued' } })
      .get('/v1.0/users')
      .query((query) => query.$top === '1' && query.$expand === USERS_QUERY.$expand)
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users', value: [] })
    const settings = {
      tenantId: 'contoso.onmicrosoft.com',
      clientId: '66666666-7777-8888-9999-000000000000',
      clientSecret: 'live-secret',
    }
    expect(await checkConnection(pull, settings, { now })).toEqual({ ok: true })
    expect(form).toEqual({
      grant_type: 'client_credentials',
      scope: 'https://graph.microsoft.com/.default',
      client_id: '66666666-7777-8888-9999-000000000000',
      client_secret: 'live-secret',
    })
    expect(login.isDone() && graph.isDone()).toBe(true)
  })
})

describe('Entra ID pull settings', () => {
  const settings = {
    tenantId: 'contoso.onmicrosoft.com',
    clientId: '66666666-7777-8888-9999-000000000000',
    clientSecret: 's',
  }

  it('accepts a tenant GUID or a verified domain', () => {
    expect(validateConfig(pull, settings)).toEqual(settings)
    expect(
      validateConfig(pull, { ...settings, tenantId: '11111111-2222-3333-4444-555555555555' }),
    ).toMatchObject({
      tenantId: '11111111-2222-3333-4444-555555555555',
    })
  })

  it('refuses a client id that is not a GUID and a tenant that is not a host name', async () => {
    expect(await checkConnection(pull, { ...settings, clientId: 'my-app' })).toMatchObject({
      ok: false,
      code: 'invalid_config',
    })
    expect(
      await checkConnection(pull, { ...settings, tenantId: 'https://login.example.net/x' }),
    ).toMatchObject({
      ok: false,
      code: 'invalid_config',
    })
  })
})

describe('Entra ID push definition (the default export)', () => {
  it('is a branded push definition with the same id as the pull mode and the manifest', () => {
    expect(isConnector(entraId)).toBe(true)
    expect(validateDefinition(entraId)).toEqual([])
    expect(entraId.mode).toBe('push')
    expect(pull.mode).toBe('pull')
    expect(entraId.id).toBe(packageJson.hrsync.id)
    expect(pull.id).toBe(packageJson.hrsync.id)
  })

  it('needs no settings: hrsync generates the tenant URL and the secret token', async () => {
    expect(validateConfig(entraId, {})).toEqual({})
    expect(entraId.config.properties.bearerToken[SECRET_KEYWORD]).toBe(true)
    expect(await checkConnection(entraId, {})).toEqual({ ok: true })
  })

  it('cannot be pulled, and says where to look instead', async () => {
    await expect(pullEmployees(entraId, {}, { now })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/SCIM.*`pull` export/),
    })
  })
})

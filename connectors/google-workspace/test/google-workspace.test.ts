import { createPublicKey, createVerify, generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import {
  checkFixture,
  type Fixture,
  loadFixture,
  replayFixture,
  runContractSuite,
} from '@hrsync/connector-testing'
import { isConnector } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import workspace, { STATUS, toEmployee } from '../src/index.js'
import { SCOPE, signAssertion, TOKEN_URL } from '../src/jwt.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

/**
 * The fixture with a freshly generated key in place of the {{secret:privateKey}} placeholder: the assertion
 * must really be signed, and the token endpoint accepts any body in replay.
 */
function withKey(scenario: string): Fixture {
  const fixture = loadFixture(join(fixturesDir, `${scenario}.json`))
  return { ...fixture, config: { ...fixture.config, privateKey: pem } }
}

function decode(assertion: string) {
  const [header = '', payload = '', signature = ''] = assertion.split('.')
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
  const valid = createVerify('RSA-SHA256')
    .update(`${header}.${payload}`)
    .verify(createPublicKey(privateKey), Buffer.from(signature, 'base64url'))
  return { header: json(header), payload: json(payload), valid }
}

// Workspace has no start or termination dates, and its replay must really sign the JWT: the contract suite
// asks only for what Workspace can express and replays with a generated key.
runContractSuite(workspace, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorHas: { startDates: false },
  replayConfig: { privateKey: pem },
  vendorApiVersion: 'Admin SDK Directory API v1',
  connectorVersion: packageJson.version,
})

describe('Google Workspace contract specifics', () => {
  it('happy-multipage: follows nextPageToken to the last page', async () => {
    const outcome = await replayFixture(workspace, withKey('happy-multipage'), { now })
    expect(outcome.result?.pages).toBe(3)
  })

  it('managers: a three-level chain resolves from manager emails', async () => {
    const outcome = await replayFixture(workspace, withKey('managers'), { now })
    // managers come by email; the sync resolves them among the people read (R15)
    const people = outcome.result?.employees ?? []
    const idOf = new Map(people.map((e) => [e.email?.toLowerCase(), e.remoteId]))
    const managerOf = new Map(people.map((e) => [e.remoteId, idOf.get(e.managerEmail?.toLowerCase())]))
    expect(managerOf.get('100200300400500600004')).toBe('100200300400500600003')
    expect(managerOf.get('100200300400500600003')).toBe('100200300400500600002')
    expect(managerOf.get('100200300400500600002')).toBe('100200300400500600001')
  })

  it('auth-failure: invalid_credentials from the check, with a sentence for the admin', async () => {
    const check = await checkFixture(workspace, withKey('auth-failure'), { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/Invalid JWT Signature/)
  })
})

describe('Google Workspace connector', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('is a branded definition that may only call Google’s token and Admin SDK hosts', () => {
    expect(isConnector(workspace)).toBe(true)
    expect(workspace.allowedHosts).toEqual(['oauth2.googleapis.com', 'admin.googleapis.com'])
  })

  it.each([
    [{ suspended: false, archived: false }, 'active'],
    [{ suspended: false }, 'active'],
    [{ suspended: true, archived: false }, 'terminated'],
    [{ suspended: false, archived: true }, 'terminated'],
  ])('account %o → %s', (state, expected) => {
    expect(toEmployee({ id: '1', primaryEmail: 'a@example.com', ...state })).toMatchObject({
      status: expected,
    })
  })

  it('skips a user whose account state is missing', () => {
    expect(() => toEmployee({ id: '1', primaryEmail: 'a@example.com' })).toThrow(
      expect.objectContaining({ name: 'SkipPerson', reason: 'unmapped_status' }),
    )
  })

  it('takes the primary organization, else the first', () => {
    const organizations = [
      { title: 'Old title', department: 'Old' },
      { title: 'Analyst', department: 'Finance', primary: true },
    ]
    expect(toEmployee({ id: '1', suspended: false, organizations })).toMatchObject({
      jobTitle: 'Analyst',
      department: 'Finance',
    })
    expect(toEmployee({ id: '1', suspended: false, organizations: organizations.slice(0, 1) })).toMatchObject(
      {
        jobTitle: 'Old title',
      },
    )
  })

  it('signs an RS256 assertion impersonating the admin for the read-only user scope', async () => {
    const assertion = await signAssertion(
      { issuer: 'sa@example.com', subject: 'admin@example.com', scope: SCOPE },
      pem.replaceAll('\n', '\\n'),
      1_800_000_000,
    )
    expect(decode(assertion)).toEqual({
      header: { alg: 'RS256', typ: 'JWT' },
      payload: {
        iss: 'sa@example.com',
        sub: 'admin@example.com',
        scope: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
        aud: TOKEN_URL,
        iat: 1_800_000_000,
        exp: 1_800_003_600,
      },
      valid: true,
    })
  })

  it('exchanges the assertion with the JWT bearer grant and sends the token to the Directory API', async () => {
    nock.disableNetConnect()
    let form: URLSearchParams | undefined
    nock('https://oauth2.googleapis.com')
      .post('/token', (body) => {
        form = new URLSearchParams(body as Record<string, string>)
        return true
      })
      .reply(200, { access_token: 'issued', expires_in: 3599, token_type: 'Bearer' })
    nock('https://admin.googleapis.com', { reqheaders: { authorization: 'Bearer issued' } })
      .get('/admin/directory/v1/users')
      .query({ customer: 'C01abcd23', maxResults: '1' })
      .reply(200, { kind: 'admin#directory#users', users: [] })
    const config = {
      serviceAccountEmail: 'sa@example.com',
      privateKey: pem,
      adminEmail: 'admin@example.com',
      customerId: 'C01abcd23',
    }
    expect(await checkConnection(workspace, config, { now })).toEqual({ ok: true })
    expect(form?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    expect(decode(form?.get('assertion') ?? '')).toMatchObject({
      payload: { sub: 'admin@example.com' },
      valid: true,
    })
  })

  it('reports a key that is not PEM as a settings problem', async () => {
    const config = {
      serviceAccountEmail: 'sa@example.com',
      privateKey: 'not a key',
      adminEmail: 'a@example.com',
    }
    await expect(pullEmployees(workspace, config, { now })).rejects.toMatchObject({ code: 'invalid_config' })
  })
})

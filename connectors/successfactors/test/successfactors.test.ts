import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { SignedXml } from 'xml-crypto'
import packageJson from '../package.json' with { type: 'json' }
import successfactors, { STATUS, signedAssertion, toEmployee } from '../src/index.js'
import { verifyEnveloped } from './independent-verifier.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(successfactors, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'OData v2',
  connectorVersion: packageJson.version,
})

describe('SuccessFactors status table', () => {
  it.each([
    ['A', 'active'],
    ['U', 'leave'],
    ['P', 'leave'],
    ['S', 'leave'],
    ['F', 'leave'],
    ['D', 'leave'],
    ['T', 'terminated'],
    ['R', 'terminated'],
    ['O', 'terminated'],
    ['RNS', 'terminated'],
  ])('employee-status %s → %s', (code, status) => {
    expect(STATUS[code as keyof typeof STATUS]).toBe(status)
    expect(toEmployee({ userId: '1', emplStatusNav: { externalCode: code } }, now).status).toBe(status)
  })

  it('an employment that ended before today is terminated whatever the code says', () => {
    const mapped = toEmployee(
      {
        userId: '1',
        emplStatusNav: { externalCode: 'A' },
        employmentNav: { endDate: '/Date(1704067200000)/' },
      },
      now,
    )
    expect(mapped).toMatchObject({ status: 'terminated', terminationDate: '2024-01-01' })
  })

  it('NO_MANAGER and a missing manager navigation mean no manager', () => {
    const mapped = toEmployee(
      { userId: '1', managerId: 'NO_MANAGER', managerUserNav: null, emplStatusNav: { externalCode: 'A' } },
      now,
    )
    expect(mapped).toMatchObject({ managerRemoteId: null })
  })
})

describe('SuccessFactors requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('uses server snapshot paging with the page size, the leaver filter and username@companyId', async () => {
    nock.disableNetConnect()
    const queries: Record<string, string>[] = []
    let authorization: string | undefined
    nock('https://api2.successfactors.eu')
      .get('/odata/v2/EmpJob')
      .query((q) => {
        queries.push(q as Record<string, string>)
        return true
      })
      .times(2)
      .reply(function () {
        authorization = this.req.headers.authorization as string
        return [200, { d: { results: [] } }]
      })
    await pullEmployees(
      successfactors,
      {
        apiServer: 'https://api2.successfactors.eu',
        companyId: 'ACME',
        username: 'sfapi',
        password: 'pw',
        pageSize: 250,
      },
      { now },
    )
    expect(queries[0]).toMatchObject({
      paging: 'snapshot',
      customPageSize: '250',
      $filter: "userNav/status in 't','f','T','F','e','d'",
    })
    expect(queries[1]).toMatchObject({
      fromDate: '2026-01-15',
      $filter: "userNav/status in 't','f','T','F','e','d' and startDate gt datetime'2026-01-15T00:00:00'",
    })
    expect(authorization).toBe(`Basic ${Buffer.from('sfapi@ACME:pw').toString('base64')}`)
  })

  it('asks for credentials of the chosen method', async () => {
    const check = await checkConnection(successfactors, {
      apiServer: 'https://api4.successfactors.com',
      companyId: 'ACME',
      authMethod: 'oauth',
      clientId: 'key',
    })
    expect(check).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

describe('SuccessFactors OAuth (SAML bearer)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()

  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('signs an assertion a standard XML-DSig verifier accepts', () => {
    const xml = Buffer.from(
      signedAssertion({
        clientId: 'API-KEY-1',
        userId: 'sfadmin',
        tokenUrl: 'https://api4.successfactors.com/oauth/token',
        privateKey: pem,
        now,
      }),
      'base64',
    ).toString('utf8')
    const verifier = new SignedXml({ publicCert: publicPem, getCertFromKeyInfo: () => null })
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0]
    expect(signature).toBeDefined()
    verifier.loadSignature(signature as string)
    expect(verifier.checkSignature(xml)).toBe(true)
    // issue 21: a verifier that shares no code with xml-crypto accepts it too
    expect(verifyEnveloped(xml, createPublicKey(publicPem))).toBe(true)
    expect(xml).toContain(
      '<saml2:Attribute Name="api_key"><saml2:AttributeValue>API-KEY-1</saml2:AttributeValue>',
    )
    expect(xml).toContain('Recipient="https://api4.successfactors.com/oauth/token"')
    expect(xml).toContain('>sfadmin</saml2:NameID>')
  })

  it('a tampered assertion fails verification', () => {
    const xml = Buffer.from(
      signedAssertion({
        clientId: 'K',
        userId: 'u1',
        tokenUrl: 'https://x/oauth/token',
        privateKey: pem,
        now,
      }),
      'base64',
    )
      .toString('utf8')
      .replace('>u1<', '>u2<')
    const verifier = new SignedXml({ publicCert: publicPem, getCertFromKeyInfo: () => null })
    verifier.loadSignature(/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)?.[0] as string)
    const verified = (() => {
      try {
        return verifier.checkSignature(xml)
      } catch {
        return false
      }
    })()
    expect(verified).toBe(false)
    expect(verifyEnveloped(xml, createPublicKey(publicPem))).toBe(false)
  })

  it('exchanges the assertion for a bearer token and reads with it', async () => {
    nock.disableNetConnect()
    let form: URLSearchParams | undefined
    let authorization: string | undefined
    nock('https://api4.successfactors.com')
      .post('/oauth/token', (body: string) => {
        form = new URLSearchParams(body)
        return true
      })
      .reply(200, { access_token: 'issued-token', token_type: 'Bearer', expires_in: 86400 })
      .get('/odata/v2/EmpJob')
      .query(true)
      .times(2)
      .reply(function () {
        authorization = this.req.headers.authorization as string
        return [200, { d: { results: [] } }]
      })
    const result = await pullEmployees(
      successfactors,
      {
        apiServer: 'https://api4.successfactors.com',
        companyId: 'ACME',
        authMethod: 'oauth',
        clientId: 'API-KEY-1',
        privateKey: pem,
        oauthUserId: 'sfadmin',
      },
      { now },
    )
    expect(result.employees).toEqual([])
    expect(form?.get('company_id')).toBe('ACME')
    expect(form?.get('client_id')).toBe('API-KEY-1')
    expect(form?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:saml2-bearer')
    expect(Buffer.from(form?.get('assertion') ?? '', 'base64').toString()).toContain('<saml2:Assertion')
    expect(authorization).toBe('Bearer issued-token')
  })

  it('reports a key that is not a private key as a config problem', async () => {
    const check = await checkConnection(successfactors, {
      apiServer: 'https://api4.successfactors.com',
      companyId: 'ACME',
      authMethod: 'oauth',
      clientId: 'API-KEY-1',
      privateKey: 'not a key',
      oauthUserId: 'sfadmin',
    })
    expect(check).toMatchObject({ ok: false })
  })
})

describe('SuccessFactors connection check', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  /** The connection check of a basic-auth config, EmpJob answering `status` with `body`. */
  function checkAnswering(status: number, body: string | Record<string, unknown>) {
    nock.disableNetConnect()
    nock('https://api4.successfactors.com').get('/odata/v2/EmpJob').query(true).reply(status, body)
    return checkConnection(successfactors, {
      apiServer: 'https://api4.successfactors.com',
      companyId: 'ACME',
      username: 'sfapi',
      password: 'pw',
    })
  }

  it('names the hidden employee status when job information comes back without it', async () => {
    expect(
      await checkAnswering(200, { d: { results: [{ userId: '1', emplStatusNav: null }] } }),
    ).toMatchObject({
      ok: false,
      code: 'missing_scope',
      message: expect.stringContaining('employee status'),
    })
  })

  it('names the OData permissions when SuccessFactors refuses EmpJob with a 403', async () => {
    expect(await checkAnswering(403, 'Forbidden')).toMatchObject({
      ok: false,
      code: 'missing_scope',
      message: expect.stringContaining('refused access to EmpJob'),
    })
  })
})

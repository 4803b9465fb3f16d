import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkConnection, mapRecords, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, loadFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector, SECRET_KEYWORD, validateDefinition } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import okta, {
  ALL_STATUSES,
  identify,
  managerDirectory,
  pull,
  SCIM_ACTIVE,
  STATUS,
  toEmployee,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const file = (scenario: string) => join(fixturesDir, `${scenario}.json`)
const now = new Date('2026-11-25T12:00:00Z')
// Okta's user profile has no start date, so the contract suite asks for no future start.
runContractSuite(pull, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorHas: { startDates: false },
  vendorApiVersion: 'Okta Management API v1 (Users)',
  connectorVersion: packageJson.version,
})

describe('Okta contract specifics', () => {
  it('happy-multipage: follows the Link header to the last page', async () => {
    const { result } = await replayFixture(pull, file('happy-multipage'), { now })
    expect(result?.pages).toBe(2)
  })

  it('auth-failure: invalid_credentials with a sentence that says what to do', async () => {
    const check = await checkFixture(pull, file('auth-failure'), { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/Security > API > Tokens/)
  })

  it('missing-scope: a token of an administrator who may not read users', async () => {
    const check = await checkFixture(pull, file('missing-scope'), { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/Read-only Administrator/)
  })

  it('managers: employee numbers on later pages and Okta ids both resolve, four levels deep', async () => {
    const { result } = await replayFixture(pull, file('managers'), { now })
    const managerOf = new Map(result?.employees.map((e) => [e.remoteId, e.managerRemoteId]))
    expect(managerOf.get('00u3kim0AAAAAAAAAA21')).toBe('00u1luk0AAAAAAAAAA03')
    expect(managerOf.get('00u1luk0AAAAAAAAAA03')).toBe('00u1zoe0AAAAAAAAAA02')
    expect(managerOf.get('00u1zoe0AAAAAAAAAA02')).toBe('00u1ceo0AAAAAAAAAA01')
    expect(managerOf.get('00u1ceo0AAAAAAAAAA01')).toBeNull()
    expect(managerOf.get('00u3ext0AAAAAAAAAA22')).toBeNull()
  })
})

describe('Okta status table', () => {
  it.each([
    ['STAGED', 'pending'],
    ['PROVISIONED', 'pending'],
    ['ACTIVE', 'active'],
    ['RECOVERY', 'active'],
    ['PASSWORD_EXPIRED', 'active'],
    ['LOCKED_OUT', 'active'],
    ['SUSPENDED', 'leave'],
    ['DEPROVISIONED', 'terminated'],
  ])('%s → %s', (vendor, canonical) => {
    expect(STATUS[vendor as keyof typeof STATUS]).toBe(canonical)
  })

  it('SCIM active true/false → active/terminated', () => {
    expect(SCIM_ACTIVE).toEqual({ true: 'active', false: 'terminated' })
  })
})

describe('Okta mapping', () => {
  const noManagers = managerDirectory([])

  it('reads the base profile; a missing email stays null', () => {
    expect(
      toEmployee(
        {
          id: '00u9',
          status: 'ACTIVE',
          profile: { login: 'svc-build', firstName: ' Ada ', lastName: 'Park' },
        },
        noManagers,
      ),
    ).toEqual({
      remoteId: '00u9',
      email: null,
      firstName: 'Ada',
      lastName: 'Park',
      status: 'active',
      managerRemoteId: null,
      managerEmail: null,
      department: null,
      jobTitle: null,
      startDate: null,
      terminationDate: null,
    })
  })

  it('a user without an id or with a malformed date is skipped, not fatal', () => {
    const users = [
      { status: 'ACTIVE', profile: {} },
      { id: '00u8', status: 'DEPROVISIONED', statusChanged: 'yesterday', profile: {} },
    ]
    const page = mapRecords(users, (user) => toEmployee(user, noManagers), { identify })
    expect(page.employees).toEqual([])
    expect(page.skipped).toEqual([
      expect.objectContaining({
        remoteId: '(none)',
        reason: 'invalid_record',
        message: 'an Okta user without an id',
      }),
      expect.objectContaining({
        remoteId: '00u8',
        reason: 'invalid_record',
        message: '"yesterday" is not a date in a known format',
      }),
    ])
  })

  it('managerId matches an employee number before an Okta id', () => {
    const managerOf = managerDirectory([
      { id: '00uA', profile: { employeeNumber: '00uB' } },
      { id: '00uB', profile: { employeeNumber: '7' } },
    ])
    expect(managerOf('00uB')).toBe('00uA')
    expect(managerOf('7')).toBe('00uB')
    expect(managerOf('nobody')).toBeNull()
    expect(managerOf('')).toBeNull()
  })
})

describe('Okta pull requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends the API token as SSWS to the org host', async () => {
    nock.disableNetConnect()
    const okta = nock('https://acme.okta.com', { reqheaders: { authorization: 'SSWS live-token' } })
      .get('/api/v1/users')
      .query({ limit: '1' })
      .reply(200, [])
    expect(
      await checkConnection(pull, { oktaDomain: 'acme.okta.com', apiToken: 'live-token' }, { now }),
    ).toEqual({
      ok: true,
    })
    expect(okta.isDone()).toBe(true)
  })

  it('asks for every status, 200 users a page, with the SSWS token', async () => {
    const { interactions } = loadFixture(file('happy-multipage'))
    const first = new URL(interactions[0]?.path ?? '', 'https://acme.okta.com')
    expect(first.searchParams.get('limit')).toBe('200')
    expect(first.searchParams.get('search')).toBe(ALL_STATUSES)
    expect(ALL_STATUSES).toContain('status eq "DEPROVISIONED"')
    expect(ALL_STATUSES.split(' or ')).toHaveLength(8)
  })

  it('refuses a domain that is not an Okta org host', async () => {
    expect(await checkConnection(pull, { oktaDomain: 'https://acme.okta.com', apiToken: 't' })).toMatchObject(
      {
        ok: false,
        code: 'invalid_config',
      },
    )
    expect(await checkConnection(pull, { oktaDomain: 'okta.example.net', apiToken: 't' })).toMatchObject({
      ok: false,
      code: 'invalid_config',
    })
  })

  it('accepts preview and EMEA orgs', () => {
    for (const oktaDomain of ['acme.oktapreview.com', 'acme.okta-emea.com']) {
      expect(validateConfig(pull, { oktaDomain, apiToken: 't' })).toEqual({ oktaDomain, apiToken: 't' })
    }
  })
})

describe('Okta push definition (the default export)', () => {
  it('is a branded push definition with the same id as the pull mode and the manifest', () => {
    expect(isConnector(okta)).toBe(true)
    expect(validateDefinition(okta)).toEqual([])
    expect(okta.mode).toBe('push')
    expect(pull.mode).toBe('pull')
    expect(okta.id).toBe(packageJson.hrsync.id)
    expect(pull.id).toBe(packageJson.hrsync.id)
  })

  it('needs no settings: hrsync generates the SCIM base URL and the token', async () => {
    expect(validateConfig(okta, {})).toEqual({})
    expect(okta.config.properties.bearerToken[SECRET_KEYWORD]).toBe(true)
    expect(await checkConnection(okta, {})).toEqual({ ok: true })
  })

  it('cannot be pulled, and says where to look instead', async () => {
    await expect(pullEmployees(okta, {}, { now })).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/SCIM.*`pull` export/),
    })
  })
})

import { fileURLToPath } from 'node:url'
import { checkConnection, mapRecords } from '@hrsync/connector-kit'
import { checkFixture, loadFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import hibob, {
  ACCESS_STATUS,
  BATCH_SIZE,
  FIELDS,
  identify,
  readField,
  STATUS,
  toEmployee,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(hibob, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: packageJson.version,
})

const person = (internal: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: '3332883884017700042',
  email: 'zoe.mueller@example.com',
  firstName: 'Zoë',
  surname: 'Müller',
  work: { reportsTo: null, department: '209192001', title: '1101', startDate: '2019-02-01' },
  internal: { lifecycleStatus: 'employed', status: 'Active', terminationDate: null, ...internal },
  humanReadable: { work: { department: 'Engineering', title: 'Engineer', startDate: '01/02/2019' } },
  ...extra,
})

describe('HiBob connector', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('is a branded definition that may only call Bob', () => {
    expect(isConnector(hibob)).toBe(true)
    expect(hibob.allowedHosts).toEqual(['*.hibob.com'])
  })

  it('maps every documented lifecycle status, and the access status when there is none', () => {
    expect(STATUS).toEqual({
      hired: 'pending',
      employed: 'active',
      leave: 'leave',
      'parental leave': 'leave',
      'garden leave': 'leave',
      terminated: 'terminated',
    })
    expect(ACCESS_STATUS).toEqual({ Active: 'active', Inactive: 'terminated' })
  })

  it.each([
    [{ lifecycleStatus: 'Employed' }, 'active'],
    [{ lifecycleStatus: 'Garden Leave', terminationDate: '2027-01-29' }, 'leave'],
    [{ lifecycleStatus: 'unpaid leave' }, 'leave'],
    [{ lifecycleStatus: 'employed', terminationDate: '2026-11-24' }, 'terminated'],
    [{ lifecycleStatus: 'employed', terminationDate: '2026-11-25' }, 'active'],
    [{ lifecycleStatus: null, status: 'Inactive' }, 'terminated'],
  ])('lifecycle %o → %s', (internal, expected) => {
    expect(toEmployee(person(internal), now)).toMatchObject({ status: expected })
  })

  it('skips a person whose lifecycle status is undocumented rather than falling back', () => {
    expect(() => toEmployee(person({ lifecycleStatus: 'suspended', status: 'Active' }), now)).toThrow(
      expect.objectContaining({ name: 'SkipPerson', reason: 'unmapped_status' }),
    )
  })

  it('skips a person with an unreadable date under its id, rather than failing the pull', () => {
    const page = mapRecords([person({ terminationDate: '31.12.2026' })], (p) => toEmployee(p, now), {
      identify,
    })
    expect(page.employees).toEqual([])
    expect(page.skipped).toEqual([
      expect.objectContaining({
        remoteId: '3332883884017700042',
        email: 'zoe.mueller@example.com',
        reason: 'invalid_record',
      }),
    ])
  })

  it('names departments and titles from the humanReadable copy and keeps machine dates', () => {
    expect(toEmployee(person({}), now)).toMatchObject({
      department: 'Engineering',
      jobTitle: 'Engineer',
      startDate: '2019-02-01',
    })
    const withoutCopy = toEmployee({ ...person({}), humanReadable: undefined }, now)
    expect(withoutCopy).toMatchObject({ department: null, jobTitle: null })
  })

  it('reads the manager from an object, a bare id or the slash key', () => {
    const object = person({}, { work: { reportsTo: { id: '111', email: 'a@example.com' } } })
    const bare = person({}, { work: { reportsTo: '222' } })
    const slash = { ...person({}), work: undefined, '/work/reportsTo': { value: { id: '333' } } }
    expect(
      [object, bare, slash].map((p) => (toEmployee(p, now) as { managerRemoteId: string }).managerRemoteId),
    ).toEqual(['111', '222', '333'])
  })

  it('prefers the nested form over the slash key', () => {
    const both = { email: 'nested@example.com', '/root/email': { value: 'slash@example.com' } }
    expect(readField(both, 'root.email')).toBe('nested@example.com')
    expect(readField({ '/root/email': { value: 'slash@example.com' } }, 'root.email')).toBe(
      'slash@example.com',
    )
    expect(readField({}, 'root.email')).toBeUndefined()
  })

  it('asks for ids first, then every field by id in batches, inactive people included', () => {
    const fixture = loadFixture(`${fixturesDir}happy-multipage.json`)
    const [ids, ...batches] = fixture.interactions.map((i) => i.body as Record<string, unknown>)
    expect(ids).toEqual({ fields: ['root.id'], showInactive: true })
    expect(batches.map((b) => (b.filters as { values: string[] }[])[0]?.values.length)).toEqual([
      BATCH_SIZE,
      3,
    ])
    for (const body of batches) {
      expect(body).toMatchObject({ fields: [...FIELDS], showInactive: true, humanReadable: 'APPEND' })
    }
  })

  it('explains a 403 in terms of the permission group', async () => {
    const check = await checkFixture(hibob, `${fixturesDir}missing-permission.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/permission group/)
  })

  it('sends the service user ID and token as Basic credentials to the configured base URL', async () => {
    nock.disableNetConnect()
    const expected = `Basic ${Buffer.from('SERVICE-1:tok').toString('base64')}`
    nock('https://api.sandbox.hibob.com', { reqheaders: { authorization: expected } })
      .post('/v1/people/search')
      .reply(200, { employees: [] })
    const config = {
      serviceUserId: 'SERVICE-1',
      serviceUserToken: 'tok',
      baseUrl: 'https://api.sandbox.hibob.com/v1',
    }
    expect(await checkConnection(hibob, config, { now })).toEqual({ ok: true })
  })

  it('refuses a base URL outside hibob.com', async () => {
    const config = { serviceUserId: 'S', serviceUserToken: 't', baseUrl: 'https://example.com/v1' }
    expect(await checkConnection(hibob, config)).toMatchObject({ ok: false, code: 'invalid_config' })
  })
})

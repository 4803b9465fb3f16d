import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import personio, { PERSONIO_STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2025-06-15T10:00:00Z')

runContractSuite(personio, {
  fixturesDir,
  now,
  statusTable: PERSONIO_STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: packageJson.version,
})

describe('Personio status table', () => {
  it.each([
    ['active', 'active'],
    ['leave', 'leave'],
    ['onboarding', 'pending'],
    ['inactive', 'terminated'],
  ])('%s → %s', (vendor, canonical) => {
    expect(PERSONIO_STATUS[vendor as keyof typeof PERSONIO_STATUS]).toBe(canonical)
  })
})

describe('Personio mapping', () => {
  const record = (attributes: Record<string, unknown>) =>
    ({
      type: 'Employee',
      attributes: Object.fromEntries(
        Object.entries(attributes).map(([key, value]) => [
          key,
          { label: key, value, type: 'standard', universal_id: key },
        ]),
      ),
    }) as Parameters<typeof toEmployee>[0]

  it('stringifies ids and slices dates without shifting them to UTC', () => {
    expect(
      toEmployee(
        record({
          id: 42,
          status: 'active',
          supervisor: { type: 'Employee', attributes: { id: { value: 7 } } },
          hire_date: '2019-01-07T00:00:00+01:00',
        }),
        now,
      ),
    ).toMatchObject({ remoteId: '42', managerRemoteId: '7', startDate: '2019-01-07' })
  })

  it('treats attributes that are not whitelisted as null', () => {
    expect(toEmployee(record({ id: 1, status: 'active' }), now)).toMatchObject({
      email: null,
      managerRemoteId: null,
      department: null,
      jobTitle: null,
    })
  })

  it('a termination date before today overrides the status', () => {
    const leaver = record({ id: 1, status: 'active', termination_date: '2025-06-14T00:00:00+02:00' })
    expect(toEmployee(leaver, now)).toMatchObject({ status: 'terminated', terminationDate: '2025-06-14' })
  })

  // mapRecords reports both as skipped people (the unmapped-status fixture shows it over a whole pull)
  it('a record without an id or with an unreadable date is refused as that person, not the pull', () => {
    expect(() => toEmployee(record({ status: 'active' }), now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        message: 'an employee record without an id',
      }),
    )
    expect(() => toEmployee(record({ id: 3, status: 'active', hire_date: 'soon' }), now)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: '"soon" is not a date in a known format',
      }),
    )
  })
})

describe('Personio connection settings', () => {
  it('fills the documented defaults', () => {
    expect(validateConfig(personio, { clientId: 'id', clientSecret: 'secret' })).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      baseUrl: 'https://api.personio.de',
      pageSize: 100,
    })
  })

  it('names missing and out-of-range settings', async () => {
    expect(await checkConnection(personio, { clientSecret: 'secret', pageSize: 500 })).toEqual({
      ok: false,
      code: 'invalid_config',
      message:
        'The Personio connection settings are incomplete: config.clientId is required; config.pageSize must be ≤ 100',
    })
  })

  it('refuses a base URL outside Personio', async () => {
    const result = await pullEmployees(personio, {
      clientId: 'id',
      clientSecret: 'secret',
      baseUrl: 'https://personio.example.net',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Personio over recorded exchanges', () => {
  it('reads the documented fields of every person, in Personio order', async () => {
    const { result } = await replayFixture(personio, fixture('happy-multipage'), { now })
    expect(result?.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId])).toEqual([
      ['301', 'active', null],
      ['302', 'active', '301'],
      ['303', 'active', '302'],
      ['304', 'pending', '302'],
      ['305', 'leave', '301'],
      ['306', 'terminated', '302'],
      ['307', 'active', null],
      ['308', 'terminated', '302'],
    ])
    const zoe = result?.employees[1]
    expect(zoe).toEqual({
      remoteId: '302',
      email: 'zoe.mueller@example.com',
      firstName: 'Zoë',
      lastName: 'Müller',
      status: 'active',
      managerRemoteId: '301',
      managerEmail: null,
      department: 'Sales',
      jobTitle: 'Sales Manager',
      startDate: '2021-03-15',
      terminationDate: null,
    })
    expect(result?.employees[6]?.email).toBeNull()
    expect(result?.pages).toBe(3)
  })

  it('an undocumented status is reported as skipped', async () => {
    const { result } = await replayFixture(personio, fixture('unmapped-status'), { now })
    expect(result?.employees.map((e) => e.remoteId)).toEqual(['601'])
    expect(result?.skipped).toEqual([
      {
        remoteId: '602',
        email: 'rui.santos@example.com',
        reason: 'unmapped_status',
        message:
          'status "sabbatical" is not one of the documented values (active, leave, onboarding, inactive)',
      },
    ])
  })

  it('checkConnection explains each failure in its own words', async () => {
    const answers: string[] = []
    // replays share nock's global interceptors, so they run one after the other
    for (const name of ['auth-failure', 'missing-scope', 'attributes-not-whitelisted']) {
      const check = await checkFixture(personio, fixture(name), { now })
      answers.push(check.ok ? 'ok' : check.message)
    }
    expect(answers[0]).toMatch(/rejected the credentials.*Copy the Client ID and Client Secret again/)
    expect(answers[1]).toMatch(
      /refused access to GET \/v1\/company\/employees .*read access to employee data/,
    )
    expect(answers[2]).toMatch(/not the attributes email, supervisor/)
    expect(await checkFixture(personio, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })
})

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runContractSuite } from '@hrsync/connector-testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import hrworks, { condition, personIdsByNumber, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-06-15T10:00:00Z')

runContractSuite(hrworks, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v2',
  connectorVersion: packageJson.version,
})

describe('HR WORKS status conditions', () => {
  const base = { personId: 'p1', isActive: true, joinDate: '2020-01-01', leaveDate: null }

  it.each([
    ['active', 'active'],
    ['not_joined', 'pending'],
    ['left', 'terminated'],
    ['deactivated', 'terminated'],
  ])('%s → %s', (vendor, canonical) => {
    expect(STATUS[vendor as keyof typeof STATUS]).toBe(canonical)
  })

  it('isActive false is a leaver whatever the dates say', () => {
    expect(condition({ ...base, isActive: false }, now)).toBe('deactivated')
  })

  it('a leave date before today is a leaver even while isActive is still true', () => {
    expect(condition({ ...base, leaveDate: '2026-06-14' }, now)).toBe('left')
  })

  it('the leave date itself is still a working day', () => {
    expect(condition({ ...base, leaveDate: '2026-06-15' }, now)).toBe('active')
  })

  it('a join date after today is pending', () => {
    expect(condition({ ...base, joinDate: '2026-06-16' }, now)).toBe('not_joined')
  })

  it('a record without a boolean isActive is skipped, not guessed', () => {
    expect(() => toEmployee({ ...base, isActive: 'yes' }, new Map(), now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        remoteId: 'p1',
        reason: 'unmapped_status',
        message: 'isActive "yes" is not true or false',
      }),
    )
  })
})

describe('HR WORKS mapping', () => {
  it('a malformed date skips that person only', () => {
    expect(() =>
      toEmployee({ personId: 'p1', isActive: true, joinDate: '31.02.2020' }, new Map(), now),
    ).toThrow(expect.objectContaining({ code: 'malformed_response' }))
  })

  it('resolves the superior by personnel number to a person id', () => {
    const ids = personIdsByNumber([
      { personId: 'id-boss', personnelNumber: '0042' },
      { personId: 'id-report', personnelNumber: 57 },
    ])
    const person = toEmployee(
      { personId: 'id-report', personnelNumber: 57, isActive: true, superior: { personnelNumber: '0042' } },
      ids,
      now,
    )
    expect(person).toMatchObject({ managerRemoteId: 'id-boss', managerEmail: null })
  })

  it('leaves the manager empty when the superior is not among the persons read', () => {
    const person = toEmployee(
      { personId: 'p1', isActive: true, superior: { personnelNumber: '9999' } },
      new Map(),
      now,
    )
    expect(person).toMatchObject({ managerRemoteId: null })
  })

  it('an empty business email is no email; the private one is never used', () => {
    const person = toEmployee(
      { personId: 'p1', isActive: true, email: '', privateEmail: 'me@example.org' },
      new Map(),
      now,
    )
    expect(person).toMatchObject({ email: null })
  })

  it('reads the organisation unit name and the position', () => {
    const person = toEmployee(
      {
        personId: 'p1',
        isActive: true,
        position: 'Leiterin Vertrieb',
        organizationUnit: { number: '300', name: 'Vertrieb' },
      },
      new Map(),
      now,
    )
    expect(person).toMatchObject({ department: 'Vertrieb', jobTitle: 'Leiterin Vertrieb' })
  })
})

describe('HR WORKS requests', () => {
  const fixture = (name: string) =>
    JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.json`, import.meta.url)), 'utf8')) as {
      interactions: Array<{ method: string; path: string; body?: unknown }>
    }

  it('authenticates with the camelCase key pair, then asks for leavers too and follows the Link header', () => {
    const calls = fixture('happy-multipage').interactions.map((i) => `${i.method} ${i.path}`)
    expect(calls).toEqual([
      'POST /v2/authentication',
      'GET /v2/persons/master-data?onlyActive=false',
      'GET /v2/persons/master-data?onlyActive=false&page=2',
    ])
    expect(fixture('happy-multipage').interactions[0]?.body).toEqual({
      accessKey: 'example-access-key',
      secretAccessKey: '{{secret:secretAccessKey}}',
    })
  })

  it('keeps the demo host allowed and everything else out', () => {
    expect(hrworks.allowedHosts).toEqual(['api.hrworks.de', 'api.demo-hrworks.de'])
  })
})

import { fileURLToPath } from 'node:url'
import { checkFixture, loadFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import nmbrs, { NOT_EMPLOYED, STATUS } from '../src/index.js'
import { latest, neverEmployed, type PersonalInfo, toEmployee } from '../src/mapping.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(nmbrs, { fixturesDir, now, statusTable: STATUS, vendorApiVersion: 'REST v1' })

const info = (type: string, fields: Partial<NonNullable<PersonalInfo['basicInfo']>> = {}): PersonalInfo[] => [
  {
    basicInfo: { firstName: 'Iris', prefix: null, lastName: 'Dijk', employeeType: type, ...fields },
    contactInfo: { businessEmail: 'iris.vandijk@example.com' },
    period: { year: 2023, period: 2 },
    createdAt: '2023-02-01T09:30:00Z',
  },
]
const job = (start: string, end: string | null = null) => ({
  employments: [
    { employmentId: 'e', startDate: `${start}T00:00:00`, endDate: end ? `${end}T00:00:00` : null },
  ],
})

describe('Nmbrs connector', () => {
  it('is a branded definition that reads the REST API and the identity service only', () => {
    expect(isConnector(nmbrs)).toBe(true)
    expect(nmbrs.allowedHosts).toEqual(['api.nmbrsapp.com', 'identityservice.nmbrs.com'])
  })

  it('maps every documented employee type; rejected applicants are no employees', () => {
    expect(STATUS).toEqual({
      applicant: 'pending',
      newHire: 'pending',
      payroll: 'active',
      external: 'active',
      formerPayroll: 'terminated',
      formerExternal: 'terminated',
    })
    expect(NOT_EMPLOYED).toEqual(['rejectedApplicant'])
    expect(neverEmployed(info('rejectedApplicant'), now)).toBe(true)
    expect(neverEmployed(info('applicant'), now)).toBe(false)
  })

  it.each([
    ['payroll', '2020-01-06', null, 'active'],
    ['payroll', '2027-01-04', null, 'pending'],
    ['payroll', '2020-01-06', '2026-11-24', 'terminated'],
    ['payroll', '2020-01-06', '2026-11-25', 'active'],
    ['newHire', '2026-12-01', null, 'pending'],
    ['external', '2020-01-06', null, 'active'],
    ['formerPayroll', '2020-01-06', '2025-06-30', 'terminated'],
    ['formerExternal', '2020-01-06', null, 'terminated'],
  ] as const)('%s employed %s to %s → %s', (type, start, end, expected) => {
    expect(toEmployee('x', info(type), job(start, end), now)).toMatchObject({ status: expected })
  })

  it('reports an undocumented employee type', () => {
    expect(() => toEmployee('x', info('stagiair'), {}, now)).toThrow(
      expect.objectContaining({ name: 'SkipPerson', remoteId: 'x', reason: 'unmapped_status' }),
    )
  })

  it('puts the Dutch surname prefix back in front of the last name', () => {
    expect(toEmployee('x', info('payroll', { prefix: 'van der', lastName: 'Berg' }), {}, now)).toMatchObject({
      lastName: 'van der Berg',
    })
  })

  it('takes the latest history record of a period that is not in a later year', () => {
    const records = [
      { description: 'Junior', period: { year: 2021, period: 3 }, createdAt: '2021-03-01' },
      { description: 'Medior', period: { year: 2024, period: 1 }, createdAt: '2024-01-01' },
      { description: 'Medior (corrected)', period: { year: 2024, period: 1 }, createdAt: '2024-01-15' },
      { description: 'Lead', period: { year: 2027, period: 1 }, createdAt: '2026-11-01' },
    ]
    expect(latest(records, now)?.description).toBe('Medior (corrected)')
  })

  it('sends pageNumber from 1 and pageSize on every list, personal info last', () => {
    const { interactions } = loadFixture(`${fixturesDir}happy-multipage.json`)
    const lists = interactions.filter((i) => i.path.startsWith('/api/'))
    expect(lists.map((i) => i.path.replace(/^.*\/employees\//, ''))).toEqual([
      'employments?pageNumber=1&pageSize=4',
      'employments?pageNumber=2&pageSize=4',
      'functions?pageNumber=1&pageSize=4',
      'functions?pageNumber=2&pageSize=4',
      'departments?pageNumber=1&pageSize=4',
      'departments?pageNumber=2&pageSize=4',
      'managers?pageNumber=1&pageSize=4',
      'managers?pageNumber=2&pageSize=4',
      'personalinfo?pageNumber=1&pageSize=4',
      'personalinfo?pageNumber=2&pageSize=4',
      'personalinfo?pageNumber=3&pageSize=4',
    ])
  })

  it('names managers by email (the sync links them, R15) and reads the history in force', async () => {
    const { result } = await replayFixture(nmbrs, `${fixturesDir}statuses.json`, { now })
    const byName = new Map(result?.employees.map((e) => [e.firstName, e]))
    expect(byName.get('Łukasz')).toMatchObject({
      lastName: 'Wójcik',
      managerEmail: 'zoe.mueller@example.com',
    })
    expect(byName.get('Søren')).toMatchObject({
      jobTitle: 'Software Engineer',
      managerRemoteId: null,
      managerEmail: byName.get('Łukasz')?.email,
    })
    expect(byName.get('Iris')).toMatchObject({ lastName: 'van Dijk', email: null })
    expect(byName.has('Fenna')).toBe(false)
  })

  it('names both credentials when the gateway answers 401 with a fresh token', async () => {
    const check = await checkFixture(nmbrs, `${fixturesDir}wrong-subscription-key.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/subscription key/)
  })

  it('names the scopes the consent needs on a 403', async () => {
    const check = await checkFixture(nmbrs, `${fixturesDir}missing-permission.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/employee\.info\.read/)
  })
})

import { fileURLToPath } from 'node:url'
import { mapRecords, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee, SkippedPerson } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import hailey, { type EmployeeListItem, identify, type Lookups, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const fixture = (name: string) => `${fixturesDir}/${name}.json`
const now = new Date('2026-11-25T10:00:00Z')

runContractSuite(hailey, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: packageJson.version,
})

const lookups: Lookups = {
  departments: new Map([['dep-1', 'Customer Success']]),
  titles: new Map([
    ['title-1', 'Head of Customer Success'],
    ['title-2', 'Team Lead'],
  ]),
}
const person = (fields: Partial<EmployeeListItem>): EmployeeListItem => ({
  employeeId: '3f0e1c52-7a14-4d0b-9a63-5b2c8e4d0002',
  firstName: 'Zoë',
  lastName: 'Müller',
  companyEmail: 'zoe.muller@example.com',
  employmentStatus: 'In service',
  dateOfJoining: '2019-09-02',
  lastDayOfEmployment: null,
  departmentId: 'dep-1',
  titleIds: ['title-1', 'title-2'],
  managerEmployeeId: null,
  ...fields,
})
const mapped = (fields: Partial<EmployeeListItem>) => toEmployee(person(fields), lookups, now)
/** The skipped person a page holding only this record reports. */
const skipped = (fields: Partial<EmployeeListItem>): SkippedPerson | undefined =>
  mapRecords([person(fields)], (item) => toEmployee(item, lookups, now), { identify }).skipped[0]

describe('Hailey HR status table', () => {
  it.each([
    ['BeingHired', 'pending'],
    ['Being hired', 'pending'],
    ['WillJoin', 'pending'],
    ['Will join', 'pending'],
    ['InService', 'active'],
    ['In service', 'active'],
    ['Leaving', 'active'],
    ['HasLeft', 'terminated'],
    ['Has left', 'terminated'],
  ])('%s → %s', (employmentStatus, status) => {
    expect((mapped({ employmentStatus }) as Employee).status).toBe(status)
  })

  it('maps exactly the five documented values', () => {
    expect(STATUS).toEqual({
      BeingHired: 'pending',
      WillJoin: 'pending',
      InService: 'active',
      Leaving: 'active',
      HasLeft: 'terminated',
    })
  })

  it('a notice period keeps the person active with the last day as termination date, until it passes', () => {
    expect(mapped({ employmentStatus: 'Leaving', lastDayOfEmployment: '2026-11-25' })).toMatchObject({
      status: 'active',
      terminationDate: '2026-11-25',
    })
    expect(mapped({ employmentStatus: 'Leaving', lastDayOfEmployment: '2026-11-24' })).toMatchObject({
      status: 'terminated',
    })
  })

  it.each([
    [{ dateOfJoining: '2027-01-04' }, 'pending'],
    [{ dateOfJoining: '2020-01-06' }, 'active'],
    [{ dateOfJoining: '2020-01-06', lastDayOfEmployment: '2026-11-01' }, 'terminated'],
  ])('without a status, the dates decide: %o → %s', (dates, status) => {
    expect((mapped({ employmentStatus: null, ...dates }) as Employee).status).toBe(status)
  })

  it('an undocumented status is skipped, naming the value as Hailey sent it', () => {
    expect(skipped({ employmentStatus: 'On leave' })).toEqual({
      remoteId: '3f0e1c52-7a14-4d0b-9a63-5b2c8e4d0002',
      email: 'zoe.muller@example.com',
      reason: 'unmapped_status',
      message: 'employmentStatus "On leave" is not one of BeingHired, WillJoin, InService, Leaving, HasLeft',
    })
  })
})

describe('Hailey HR mapping', () => {
  it('names the department and the first title from /Company', () => {
    expect(mapped({})).toMatchObject({ department: 'Customer Success', jobTitle: 'Head of Customer Success' })
    expect(mapped({ departmentId: 'unknown', titleIds: [] })).toMatchObject({
      department: null,
      jobTitle: null,
    })
  })

  it('uses the company email only, and references the manager by employeeId', () => {
    expect(
      mapped({ companyEmail: '', managerEmployeeId: '3f0e1c52-7a14-4d0b-9a63-5b2c8e4d0001' }),
    ).toMatchObject({
      email: null,
      managerRemoteId: '3f0e1c52-7a14-4d0b-9a63-5b2c8e4d0001',
      managerEmail: null,
    })
  })

  it('a record without an id or with an unreadable date is skipped, not fatal', () => {
    expect(skipped({ employeeId: undefined })).toMatchObject({ remoteId: '(none)', reason: 'invalid_record' })
    expect(skipped({ dateOfJoining: '02.09.2019' })).toMatchObject({
      remoteId: '3f0e1c52-7a14-4d0b-9a63-5b2c8e4d0002',
      reason: 'invalid_record',
    })
  })
})

describe('Hailey HR connection settings', () => {
  it('fills the production host by default', () => {
    expect(validateConfig(hailey, { apiKey: 'token' })).toEqual({
      apiKey: 'token',
      baseUrl: 'https://api.haileyhr.app',
    })
  })

  it('refuses a host outside Hailey HR', async () => {
    const result = await pullEmployees(hailey, {
      apiKey: 'token',
      baseUrl: 'https://demo.api.haileyhr.example',
    }).catch((error: unknown) => error)
    expect(result).toMatchObject({ code: 'host_not_allowed' })
  })
})

describe('Hailey HR over documented exchanges', () => {
  it('hands the one-answer company on in pages of 25', async () => {
    const { result } = await replayFixture(hailey, fixture('happy-multipage'), { now })
    expect(result?.pages).toBe(2)
    expect(result?.employees).toHaveLength(27)
    expect(result?.employees.slice(0, 6).map((e) => [e.firstName, e.status, e.terminationDate])).toEqual([
      ['Ebba', 'active', null],
      ['Zoë', 'active', null],
      ['Łukasz', 'active', null],
      ['Søren', 'pending', null],
      ['Linnea', 'active', '2026-12-31'],
      ['Oskar', 'terminated', '2026-06-30'],
    ])
  })

  it('a 404 from /Employees fails the pull instead of emptying the company', async () => {
    const { result, error } = await replayFixture(hailey, fixture('company-not-found'), { now })
    expect(result).toBeUndefined()
    expect(error?.message).toMatch(/found no company or no employees for this access token/)
  })

  it('checkConnection explains each failure in its own words', async () => {
    // replays share nock's interceptors, so they run one after the other
    const answers: string[] = []
    for (const name of ['auth-failure', 'employment-data-hidden']) {
      const check = await checkFixture(hailey, fixture(name), { now })
      answers.push(check.ok ? 'ok' : `${check.code}: ${check.message}`)
    }
    expect(answers[0]).toMatch(
      /^invalid_credentials: Hailey HR rejected the access token at https:\/\/api\.haileyhr\.app/,
    )
    expect(answers[1]).toMatch(/^missing_scope: .*without their employment status or dates/)
    expect(await checkFixture(hailey, fixture('connection-ok'), { now })).toEqual({ ok: true })
  })
})

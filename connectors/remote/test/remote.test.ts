import { fileURLToPath } from 'node:url'
import { pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import remote, { type RemoteEmployment, STATUS, terminationDates, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(remote, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: '1.0.0',
})

const employment = (fields: Partial<RemoteEmployment>): RemoteEmployment => ({
  id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  full_name: 'Ada Lovelace',
  work_email: 'ada@example.com',
  status: 'active',
  provisional_start_date: '2024-01-08',
  ...fields,
})
const map = (fields: Partial<RemoteEmployment>, terminationDate: string | null = null) =>
  toEmployee(employment(fields), terminationDate, now) as Employee

describe('Remote status table', () => {
  it.each(Object.entries(STATUS))('%s → %s', (status, expected) => {
    expect(map({ status }).status).toBe(expected)
  })

  it('an active or offboarding employment whose termination date has passed is terminated', () => {
    expect(map({ status: 'active' }, '2026-11-24').status).toBe('terminated')
    expect(map({ status: 'offboarding' }, '2026-11-24').status).toBe('terminated')
    expect(map({ status: 'offboarding' }, '2026-11-25').status).toBe('active')
  })

  it('issue 23: an employment archived before its termination date is still employed, leaving on that date', () => {
    expect(map({ status: 'archived' }, '2027-01-31')).toMatchObject({
      status: 'active',
      terminationDate: '2027-01-31',
    })
    expect(map({ status: 'archived' }, '2026-10-31')).toMatchObject({
      status: 'terminated',
      terminationDate: '2026-10-31',
    })
    expect(map({ status: 'archived' }).status).toBe('terminated')
  })

  it('issue 23: an active employment whose provisional start is ahead has not started', () => {
    expect(map({ status: 'active', provisional_start_date: '2027-01-04' }).status).toBe('pending')
  })

  it('a status outside the enum is reported per person', () => {
    expect(() => toEmployee(employment({ status: 'suspended' }), null, now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'unmapped_status',
        email: 'ada@example.com',
        message: `Remote employment status "suspended" is not in Remote's enum`,
      }),
    )
  })
})

describe('Remote field mapping', () => {
  it.each([
    ['Anna Maria Silva', 'Anna', 'Maria Silva'],
    ['Madonna', 'Madonna', null],
    ['  Zoë   Müller ', 'Zoë', 'Müller'],
  ])('full_name "%s" → %s / %s', (full_name, firstName, lastName) => {
    expect(map({ full_name })).toMatchObject({ firstName, lastName })
  })

  it('never uses the personal email, and reads an object department by name', () => {
    const person = toEmployee(
      {
        ...employment({ work_email: null, department: { name: 'Finance' } }),
        personal_email: 'ada@mail.example.com',
      } as RemoteEmployment,
      null,
      now,
    ) as Employee
    expect(person).toMatchObject({ email: null, department: 'Finance' })
  })
})

describe('Remote termination dates (issue 23)', () => {
  it('come from the latest offboarding of each employment that was not canceled', () => {
    const dates = terminationDates([
      {
        employment_id: 'a',
        status: 'done',
        submitted_at: '2026-01-05T10:00:00Z',
        termination_date: '2026-02-28',
      },
      {
        employment_id: 'b',
        status: 'canceled',
        submitted_at: '2026-03-01T10:00:00Z',
        termination_date: '2026-04-30',
      },
      {
        employment_id: 'c',
        status: 'submitted',
        submitted_at: '2026-03-01T10:00:00Z',
        termination_date: '2026-05-31',
      },
      {
        employment_id: 'c',
        status: 'in_review',
        submitted_at: '2026-06-01T10:00:00Z',
        termination_date: '2026-07-31',
      },
      {
        employment_id: 'd',
        status: 'submitted',
        submitted_at: '2026-06-01T10:00:00Z',
        termination_date: null,
      },
    ])
    expect(Object.fromEntries(dates)).toEqual({ a: '2026-02-28', c: '2026-07-31' })
  })
})

describe('Remote requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends the bearer token, page and page_size, reads the offboardings with confidential ones, then one detail call per employment', async () => {
    nock.disableNetConnect()
    const id = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d'
    const scope = nock('https://gateway.remote-sandbox.com', {
      reqheaders: { authorization: 'Bearer ra_test_abc' },
    })
      .get('/v1/employments')
      .query({ page: '1', page_size: '50' })
      .reply(200, { data: { employments: [{ id }], current_page: 1, total_pages: 1, total_count: 1 } })
      .get('/v1/offboardings')
      .query({ include_confidential: 'true', page: '1', page_size: '50' })
      .reply(200, { data: { offboardings: [], current_page: 1, total_pages: 1, total_count: 0 } })
      .get(`/v1/employments/${id}`)
      .reply(200, { data: { employment: employment({}) } })
    const result = await pullEmployees(
      remote,
      { apiToken: 'ra_test_abc', baseUrl: 'https://gateway.remote-sandbox.com', pageSize: 50 },
      { now, sleep: async () => {} },
    )
    expect(scope.isDone()).toBe(true)
    expect(result.employees.map((e) => e.remoteId)).toEqual([id])
  })
})

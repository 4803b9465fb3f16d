import { fileURLToPath } from 'node:url'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import peoplehr, { dv, PAGE_SIZE, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-01-15T09:00:00.000Z')

runContractSuite(peoplehr, {
  fixturesDir,
  now,
  statusTable: STATUS,
  // one POST answers everyone: there is no page before the failure to read
  vendorHas: { pages: false },
  vendorApiVersion: 'People HR API (Employee service)',
  connectorVersion: packageJson.version,
})

describe('People HR status rules', () => {
  it('maps the date-derived values to canonical statuses', () => {
    expect(STATUS).toEqual({ employed: 'active', notStarted: 'pending', left: 'terminated' })
  })

  it.each([
    ['2020-01-01', '', 'active'],
    ['2020-01-01', '2026-01-14', 'terminated'],
    ['2020-01-01', '2026-01-15', 'active'], // the leaving date is the last working day
    ['2020-01-01', '2026-03-31', 'active'], // serving notice
    ['2026-01-16', '', 'pending'],
  ])('start %s, leaving %s → %s', (start, leaving, status) => {
    const mapped = toEmployee(
      { EmployeeId: { DisplayValue: 'A1' }, StartDate: { DisplayValue: start }, LeavingDate: leaving },
      now,
    )
    expect(mapped).toMatchObject({ status })
  })

  it('reads DisplayValue wrappers and plain strings alike, "" as null', () => {
    expect(dv({ DisplayValue: 'Sales' })).toBe('Sales')
    expect(dv('2023-06-30')).toBe('2023-06-30')
    expect(dv({ DisplayValue: '' })).toBeNull()
    expect(dv(undefined)).toBeNull()
  })
})

describe('People HR requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  const person = (id: number) => ({
    EmployeeId: { DisplayValue: `E${id}` },
    StartDate: { DisplayValue: '2020-01-01' },
  })

  it('posts the key and action in the body, with leavers, and hands a large answer on page by page', async () => {
    nock.disableNetConnect()
    const bodies: unknown[] = []
    nock('https://api.peoplehr.net')
      .post('/Employee', (body) => {
        bodies.push(body)
        return true
      })
      .reply(200, {
        isError: false,
        Status: 0,
        Message: 'The request processed successfully.',
        Result: Array.from({ length: PAGE_SIZE * 2 + 1 }, (_, i) => person(i)),
      })
    const result = await pullEmployees(peoplehr, { apiKey: 'key-abc' }, { now })
    expect(bodies).toEqual([{ APIKey: 'key-abc', Action: 'GetAllEmployeeDetail', IncludeLeavers: 'true' }])
    expect(result.pages).toBe(3)
    expect(result.employees).toHaveLength(PAGE_SIZE * 2 + 1)
  })

  it('checks the connection on current staff only', async () => {
    nock.disableNetConnect()
    const bodies: unknown[] = []
    nock('https://api.peoplehr.net')
      .post('/Employee', (body) => {
        bodies.push(body)
        return true
      })
      .reply(200, { isError: false, Status: 0, Message: 'ok', Result: [] })
    expect(await checkConnection(peoplehr, { apiKey: 'key-abc' })).toEqual({ ok: true })
    expect(bodies).toEqual([{ APIKey: 'key-abc', Action: 'GetAllEmployeeDetail', IncludeLeavers: 'false' }])
  })

  it('an error envelope it cannot place is a vendor error carrying the message', async () => {
    nock.disableNetConnect()
    nock('https://api.peoplehr.net')
      .post('/Employee')
      .reply(200, { isError: true, Status: 99, Message: 'Service temporarily unavailable.', Result: null })
    await expect(pullEmployees(peoplehr, { apiKey: 'key-abc' }, { now })).rejects.toMatchObject({
      code: 'vendor_error',
      message: expect.stringContaining('Service temporarily unavailable.'),
    })
  })
})

import { fileURLToPath } from 'node:url'
import { checkFixture, loadFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import lucca, { contractState, FIELDS, STATUS } from '../src/index.js'
import { toEmployee } from '../src/mapping.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(lucca, { fixturesDir, now, statusTable: STATUS, vendorApiVersion: 'v3 (legacy)' })

describe('Lucca connector', () => {
  it('is a branded definition limited to Lucca instances', () => {
    expect(isConnector(lucca)).toBe(true)
    expect(lucca.allowedHosts).toContain('*.ilucca.net')
    expect(lucca.allowedHosts).toContain('*.ilucca.ch')
  })

  it.each([
    ['2019-01-07', null, 'underContract'],
    ['2019-01-07', '2026-11-24', 'contractEnded'],
    ['2019-01-07', '2026-11-25', 'underContract'],
    ['2019-01-07', '2027-03-31', 'underContract'],
    ['2026-11-26', null, 'contractNotStarted'],
    [null, null, 'underContract'],
  ] as const)('contract from %s to %s → %s', (start, end, state) => {
    expect(contractState(start, end, now)).toBe(state)
  })

  it('issue 23: reads 250 users a page unless told otherwise, well inside the 5 seconds Lucca allows a request', () => {
    expect(lucca.config.properties.pageSize.default).toBe(250)
  })

  it('issue 23: a page aborted with 408 is read again at half the size, and so is the rest of the sync', async () => {
    const { result, error } = await replayFixture(lucca, `${fixturesDir}timeout-halves-page.json`, { now })
    expect(error).toBeUndefined()
    expect(result?.employees).toHaveLength(7)
    const { interactions } = loadFixture(`${fixturesDir}timeout-halves-page.json`)
    expect(interactions.map((i) => `${/paging=([\d,]+)/.exec(i.path)?.[1]} ${i.status}`)).toEqual([
      '0,4 200',
      '4,4 408',
      '4,4 408',
      '4,4 408',
      '4,2 200',
      '6,2 200',
    ])
  })

  it('maps the three contract states', () => {
    expect(STATUS).toEqual({
      contractNotStarted: 'pending',
      underContract: 'active',
      contractEnded: 'terminated',
    })
  })

  it('keeps the calendar day of zone-less date-times and stringifies ids', () => {
    const person = toEmployee(
      { id: 5, mail: '', dtContractStart: '2019-01-07T00:00:00', dtContractEnd: null, manager: { id: 3 } },
      now,
    )
    expect(person).toMatchObject({
      remoteId: '5',
      email: null,
      startDate: '2019-01-07',
      managerRemoteId: '3',
    })
  })

  it('asks for former employees and the needed fields, paging offset,limit in one parameter', () => {
    const { interactions } = loadFixture(`${fixturesDir}happy-multipage.json`)
    expect(interactions.map((i) => i.path)).toEqual(
      [0, 3, 6].map((o) => `/api/v3/users?formerEmployees=true&fields=${FIELDS.join(',')}&paging=${o},3`),
    )
  })

  it('reads a future start as pending, a past end as terminated and a future end as active', async () => {
    const { result } = await replayFixture(lucca, `${fixturesDir}statuses.json`, { now })
    const byId = new Map(result?.employees.map((e) => [e.remoteId, e]))
    expect(byId.get('420')).toMatchObject({ status: 'terminated', terminationDate: '2025-06-30' })
    expect(byId.get('431')).toMatchObject({ status: 'pending', startDate: '2027-01-04' })
    expect(byId.get('433')).toMatchObject({ status: 'active', terminationDate: '2027-03-31' })
    expect(byId.get('415')).toMatchObject({ email: null, firstName: 'Renée' })
  })

  it("explains a 403 as the key's role", async () => {
    const check = await checkFixture(lucca, `${fixturesDir}missing-permission.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/former employees/)
  })

  it('refuses an instance URL outside Lucca', () => {
    expect(
      () => lucca.config.properties.baseUrl.pattern && new RegExp(lucca.config.properties.baseUrl.pattern),
    ).not.toThrow()
    expect(new RegExp(lucca.config.properties.baseUrl.pattern ?? '').test('https://evil.example.com')).toBe(
      false,
    )
    expect(new RegExp(lucca.config.properties.baseUrl.pattern ?? '').test('https://acme.ilucca.ch')).toBe(
      true,
    )
  })
})

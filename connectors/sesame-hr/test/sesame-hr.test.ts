import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runContractSuite } from '@hrsync/connector-testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import sesame, { contractDates, firstDepartments, primaryManagers, STATUS, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-06-15T10:00:00Z')

runContractSuite(sesame, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'core v3',
  connectorVersion: packageJson.version,
})

describe('Sesame HR status table', () => {
  it.each([
    ['active', 'active'],
    ['inactive', 'terminated'],
  ])('%s → %s', (vendor, canonical) => {
    expect(STATUS[vendor as keyof typeof STATUS]).toBe(canonical)
  })

  it('maps exactly the documented enum', () => {
    expect(Object.keys(STATUS).sort()).toEqual(['active', 'inactive'])
  })
})

describe('Sesame HR mapping', () => {
  const joins = { managerOf: new Map(), departmentOf: new Map() }
  const noDates = { startDate: null, lastEndDate: null }

  it('takes the absence approver with the smallest order as the manager', () => {
    const managers = primaryManagers([
      { employee: { id: 'e1' }, manager: { id: 'm-second' }, order: 1 },
      { employee: { id: 'e1' }, manager: { id: 'm-first' }, order: 0 },
      { employee: { id: 'e2' }, manager: { id: 'e2' }, order: 0 },
    ])
    expect(managers.get('e1')).toBe('m-first')
    expect(managers.has('e2')).toBe(false)
  })

  it('keeps the first department assignation of a person', () => {
    const departments = firstDepartments([
      { employee: { id: 'e1' }, department: { name: 'Ventas' } },
      { employee: { id: 'e1' }, department: { name: 'Marketing' } },
    ])
    expect(departments.get('e1')).toBe('Ventas')
  })

  it('joins both surnames into the last name', () => {
    const person = toEmployee(
      { id: 'e1', firstName: 'Núria', lastName: 'Ferrer', secondLastName: 'Puig', status: 'active' },
      joins,
      noDates,
      now,
    )
    expect(person).toMatchObject({ firstName: 'Núria', lastName: 'Ferrer Puig' })
  })

  it('reads dates from the contracts: the first start, the end of the latest one', () => {
    expect(
      contractDates([
        { startAt: '2019-06-01', endAt: null },
        { startAt: '2018-06-01', endAt: '2019-05-31' },
      ]),
    ).toEqual({ startDate: '2018-06-01', lastEndDate: null })
    expect(contractDates([{ startDate: '2018-01-08', endDate: '2025-12-31' }])).toEqual({
      startDate: '2018-01-08',
      lastEndDate: '2025-12-31',
    })
  })

  it('an active person whose first contract starts later is pending', () => {
    const person = toEmployee(
      { id: 'e1', status: 'active' },
      joins,
      { startDate: '2026-07-01', lastEndDate: null },
      now,
    )
    expect(person).toMatchObject({ status: 'pending', startDate: '2026-07-01' })
  })

  it('issue 23: an active person whose contract ends later is active and leaving on that date', () => {
    const person = toEmployee(
      { id: 'e1', status: 'active' },
      joins,
      { startDate: '2022-05-16', lastEndDate: '2026-09-30' },
      now,
    )
    expect(person).toMatchObject({ status: 'active', terminationDate: '2026-09-30' })
  })

  it("an active person's contract end that has passed is no termination date: HR has not set them inactive", () => {
    const person = toEmployee(
      { id: 'e1', status: 'active' },
      joins,
      { startDate: '2022-05-16', lastEndDate: '2026-01-31' },
      now,
    )
    expect(person).toMatchObject({ status: 'active', terminationDate: null })
  })

  it('an inactive person is terminated with the end of the last contract', () => {
    const person = toEmployee(
      { id: 'e1', status: 'inactive' },
      joins,
      { startDate: '2018-01-08', lastEndDate: '2025-12-31' },
      now,
    )
    expect(person).toMatchObject({ status: 'terminated', terminationDate: '2025-12-31' })
  })

  it('ignores the personal email', () => {
    const person = toEmployee(
      { id: 'e1', status: 'active', email: null, personalMail: 'someone@example.org' },
      joins,
      noDates,
      now,
    )
    expect(person).toMatchObject({ email: null })
  })
})

describe('Sesame HR requests', () => {
  const happy = JSON.parse(
    readFileSync(fileURLToPath(new URL('./fixtures/happy-multipage.json', import.meta.url)), 'utf8'),
  ) as { interactions: Array<{ path: string }> }
  const paths = happy.interactions.map((i) => i.path)

  it('asks for active and then inactive employees, page by page with the configured limit', () => {
    const lists = paths.filter((p) => p.startsWith('/core/v3/employees'))
    expect(lists).toEqual([
      '/core/v3/employees?status=active&page=1&limit=2',
      '/core/v3/employees?status=active&page=2&limit=2',
      '/core/v3/employees?status=active&page=3&limit=2',
      '/core/v3/employees?status=inactive&page=1&limit=2',
    ])
  })

  it('reads only the absence approvers (permission=vacation)', () => {
    const managers = paths.filter((p) => p.startsWith('/core/v3/employee-managers'))
    expect(managers.length).toBeGreaterThan(1)
    for (const path of managers) expect(path).toContain('permission=vacation')
  })

  it('calls the region host only', () => {
    expect(sesame.baseUrl?.({ apiToken: 't', region: 'eu2', pageSize: 100 })).toBe(
      'https://api-eu2.sesametime.com',
    )
  })
})

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ConnectorError, type Employee, Employee as EmployeeSchema, isConnector } from '@hrsync/core'
import { Value } from '@sinclair/typebox/value'
import { describe, expect, it } from 'vitest'
import csv, { STATUS } from '../src/index.js'
import { parseCsv } from '../src/parse.js'

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const demo = fileURLToPath(new URL('../../../examples/demo-org.csv', import.meta.url))

const ctx = (config: Record<string, unknown>) => ({
  config: { dateFormat: 'YYYY-MM-DD', ...config } as never,
  http: { request: () => Promise.reject(new Error('the csv connector makes no HTTP request')) },
  log: { debug() {}, info() {}, warn() {}, error() {} },
  signal: new AbortController().signal,
  now: new Date('2026-11-25T12:00:00Z'),
})

async function pull(config: Record<string, unknown>) {
  const employees: Employee[] = []
  const skipped: unknown[] = []
  let pages = 0
  for await (const page of csv.listEmployees(ctx(config))) {
    pages += 1
    if (Array.isArray(page)) employees.push(...page)
    else {
      employees.push(...page.employees)
      skipped.push(...(page.skipped ?? []))
    }
  }
  return { employees, skipped, pages }
}

describe('csv connector', () => {
  it('is a branded connector definition', () => {
    expect(isConnector(csv)).toBe(true)
    expect(csv.capabilities.listEmployees.statuses).toEqual(Object.keys(STATUS))
  })

  it('parses quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
    ])
  })

  it('maps every documented status, non-ASCII names, missing email and dates in DD/MM/YYYY', async () => {
    const { employees, skipped } = await pull({ path: fixture('statuses.csv'), dateFormat: 'DD/MM/YYYY' })
    expect(employees.map((e) => [e.remoteId, e.status])).toEqual([
      ['1', 'active'],
      ['2', 'leave'],
      ['3', 'pending'],
      ['4', 'terminated'],
      ['5', 'pending'],
      ['6', 'terminated'],
    ])
    expect(employees[0]).toMatchObject({ firstName: 'Zoë', lastName: 'Müller', startDate: '2019-02-01' })
    expect(employees[2]).toMatchObject({
      email: null,
      firstName: 'Renée, Jr.',
      lastName: 'O"Brien',
      managerRemoteId: '2',
    })
    expect(employees[3]).toMatchObject({ terminationDate: '2026-03-31' })
    expect(skipped).toEqual([
      expect.objectContaining({
        remoteId: '7',
        reason: 'unmapped_status',
        message: expect.stringContaining('freelance'),
      }),
    ])
    for (const e of employees) expect(Value.Check(EmployeeSchema, e)).toBe(true)
  })

  it('reads the demo organisation in pages, with a 4-level manager chain', async () => {
    const { employees, pages } = await pull({ path: demo })
    expect(employees.length).toBe(152)
    expect(pages).toBe(1)
    const byId = new Map(employees.map((e) => [e.remoteId, e]))
    const depth = (e: Employee, seen = new Set<string>()): number => {
      if (!e.managerRemoteId || seen.has(e.remoteId)) return 1
      seen.add(e.remoteId)
      const manager = byId.get(e.managerRemoteId)
      return manager ? 1 + depth(manager, seen) : 1
    }
    expect(Math.max(...employees.filter((e) => e.jobTitle !== 'Contractor').map((e) => depth(e)))).toBe(4)
    expect(employees.filter((e) => e.email === null)).toHaveLength(1)
    expect(employees.filter((e) => e.status === 'pending')).toHaveLength(1)
  })

  it('pages a large export 500 rows at a time', async () => {
    const rows = Array.from({ length: 1201 }, (_, i) => `${i + 1},p${i + 1}@example.com,P,${i + 1},active`)
    const { employees, pages } = await pull({
      content: `employee_id,email,first_name,last_name,status\n${rows.join('\n')}`,
    })
    expect(employees).toHaveLength(1201)
    expect(pages).toBe(3)
  })

  it('an empty export with only a header yields no one', async () => {
    const { employees } = await pull({ content: 'employee_id,email,status\n' })
    expect(employees).toEqual([])
  })

  it('fails clearly on a missing file, a missing column, a bad date and a row without id', async () => {
    await expect(pull({ path: '/nonexistent/export.csv' })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('does not exist'),
    })
    await expect(pull({ content: 'id,name\n1,x' })).rejects.toMatchObject({
      code: 'malformed_response',
      message: expect.stringContaining('no email column'),
    })
    await expect(
      pull({ content: 'id,email,status,start_date\n1,a@example.com,active,31/12/2020' }),
    ).rejects.toThrow(/Line 2: "31\/12\/2020" is not a date/)
    await expect(pull({ content: 'id,email,status\n,a@example.com,active' })).rejects.toBeInstanceOf(
      ConnectorError,
    )
    await expect(pull({ content: 'id,email,status\n"1,a@example.com,active' })).rejects.toThrow(
      /not valid CSV/,
    )
  })

  it('checkConnection accepts a readable export and names what is wrong otherwise', async () => {
    await expect(csv.checkConnection(ctx({ path: demo }))).resolves.toBeUndefined()
    await expect(csv.checkConnection(ctx({ content: 'foo\n' }))).rejects.toThrow(/no employee_id column/)
    expect(readFileSync(demo, 'utf8').split('\n')[0]).toContain('employee_id')
  })
})

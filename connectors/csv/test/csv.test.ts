import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConnectorError, type Employee, Employee as EmployeeSchema, isConnector } from '@hrsync/core'
import { Value } from '@sinclair/typebox/value'
import { afterAll, describe, expect, it } from 'vitest'
import csv, { MAX_EXPORT_BYTES, STATUS } from '../src/index.js'
import { parseCsv } from '../src/parse.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
const fixture = (name: string) => join(fixtures, name)
const demo = fileURLToPath(new URL('../../../examples/demo-org.csv', import.meta.url))

/** the import folder the runner gives: the fixtures, or the examples folder for the demo export */
const importDirOf = (config: Record<string, unknown>) => (config.path === demo ? dirname(demo) : fixtures)

const ctx = (config: Record<string, unknown>, importDir: string | undefined = importDirOf(config)) => ({
  ...(importDir === undefined ? {} : { importDir }),
  config: { dateFormat: 'YYYY-MM-DD', ...config } as never,
  http: { request: () => Promise.reject(new Error('the csv connector makes no HTTP request')) },
  log: { debug() {}, info() {}, warn() {}, error() {} },
  signal: new AbortController().signal,
  now: new Date('2026-11-25T12:00:00Z'),
})

async function pull(config: Record<string, unknown>, importDir?: string) {
  const employees: Employee[] = []
  const skipped: unknown[] = []
  let pages = 0
  for await (const page of csv.listEmployees(ctx(config, importDir ?? importDirOf(config)))) {
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

  it('issue 21: csv-parse reads semicolons and tabs from the header, keeps ragged rows and drops blank ones', () => {
    expect(parseCsv('a;b;c\n1;"x; y"\n   \n;;\n2;z;w\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x; y'],
      ['2', 'z', 'w'],
    ])
    expect(parseCsv('a\tb\n1\t" two "\n')).toEqual([
      ['a', 'b'],
      ['1', ' two '],
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
    await expect(pull({ path: 'nonexistent.csv' })).rejects.toMatchObject({
      code: 'unreachable',
      message: 'The export file nonexistent.csv was not found in the import folder.',
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

  describe('#18.9: reads only regular files inside the import folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'hrsync-csv-'))
    const imports = join(root, 'imports')
    const outside = join(root, 'secret.key')
    const header = 'employee_id,email,status\n1,a@example.com,active\n'
    mkdirSync(join(imports, 'hr'), { recursive: true })
    writeFileSync(join(imports, 'hr', 'people.csv'), header)
    writeFileSync(outside, 'employee_id,email,status\n')
    symlinkSync(outside, join(imports, 'key.csv'))
    symlinkSync('/dev/zero', join(imports, 'zero.csv'))
    symlinkSync(join(imports, 'hr', 'people.csv'), join(imports, 'latest.csv'))
    afterAll(() => rmSync(root, { recursive: true, force: true }))

    const failure = async (path: string, importDir: string | undefined = imports) => {
      const error = await pull({ path }, importDir).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(ConnectorError)
      return error as ConnectorError
    }

    it('#18.9: a name inside the folder, relative, absolute or through a symlink inside it, is read', async () => {
      for (const path of ['hr/people.csv', join(imports, 'hr', 'people.csv'), 'latest.csv']) {
        expect((await pull({ path }, imports)).employees.map((e) => e.remoteId)).toEqual(['1'])
      }
    })

    it('#18.9: a file outside answers exactly like a missing one: keys, /proc, devices, ../ and symlinks out', async () => {
      const outsiders = [
        outside,
        '../secret.key',
        'hr/../../secret.key',
        'key.csv',
        'zero.csv',
        '/dev/zero',
        '/proc/self/environ',
        join(homedir(), '.ssh', 'id_rsa'),
        fixture('statuses.csv'),
      ]
      for (const path of [...outsiders, 'missing.csv', '/nonexistent/export.csv']) {
        const error = await failure(path)
        expect({ path, code: error.code, message: error.message }).toEqual({
          path,
          code: 'unreachable',
          message: `The export file ${path} was not found in the import folder.`,
        })
      }
      const check = await csv.checkConnection(ctx({ path: outside }, imports)).catch((e: Error) => e)
      expect((check as Error).message).toBe(`The export file ${outside} was not found in the import folder.`)
    })

    it('#18.9: a folder, a FIFO or a file over the size limit inside the folder is refused', async () => {
      mkdirSync(join(imports, 'folder.csv'))
      execFileSync('mkfifo', [join(imports, 'pipe.csv')])
      writeFileSync(join(imports, 'huge.csv'), '')
      truncateSync(join(imports, 'huge.csv'), MAX_EXPORT_BYTES + 1)
      for (const path of ['folder.csv', 'pipe.csv']) {
        expect(await failure(path)).toMatchObject({
          code: 'invalid_config',
          message: `The export ${path} is not a regular file.`,
        })
      }
      expect(MAX_EXPORT_BYTES).toBe(50 * 1024 * 1024)
      expect(await failure('huge.csv')).toMatchObject({
        code: 'invalid_config',
        message: 'The export huge.csv is larger than 50 MB, the most a CSV import may be.',
      })
    })

    it('#18.9: without an import folder, a path is refused and content still works', async () => {
      expect(await failure('people.csv', '')).toMatchObject({
        code: 'invalid_config',
        message: expect.stringContaining('no import folder'),
      })
      expect(await csv.checkConnection(ctx({ content: header }, undefined))).toBeUndefined()
    })
  })
})

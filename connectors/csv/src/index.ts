import { mapRecords, skipPerson } from '@hrsync/connector-kit'
import {
  ConnectorError,
  defineConnector,
  type Employee,
  type EmployeeStatus,
  employee,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { readImport } from './file.js'
import { parseCsv } from './parse.js'

export { MAX_EXPORT_BYTES } from './file.js'

/** The status values an export may carry, and what they mean. Documented in the README. */
export const STATUS = statusTable({
  active: 'active',
  leave: 'leave',
  on_leave: 'leave',
  pending: 'pending',
  onboarding: 'pending',
  terminated: 'terminated',
  left: 'terminated',
})

/** Accepted header names per field (compared lower-cased, spaces and dashes as underscores). */
export const COLUMNS = {
  remoteId: ['employee_id', 'id', 'remote_id', 'employee_number'],
  email: ['email', 'work_email'],
  firstName: ['first_name', 'firstname', 'given_name'],
  lastName: ['last_name', 'lastname', 'family_name', 'surname'],
  status: ['status', 'employment_status'],
  managerRemoteId: ['manager_id', 'manager_employee_id', 'supervisor_id'],
  managerEmail: ['manager_email', 'supervisor_email'],
  department: ['department'],
  jobTitle: ['job_title', 'title', 'position'],
  startDate: ['start_date', 'hire_date'],
  terminationDate: ['termination_date', 'end_date', 'leave_date'],
} as const satisfies Record<keyof Employee, readonly string[]>

const config = Type.Object({
  path: Type.Optional(
    Type.String({
      minLength: 1,
      description: "Name of the CSV export in the runner's import folder (HRSYNC_IMPORT_DIR)",
    }),
  ),
  content: Type.Optional(
    Type.String({ minLength: 1, description: 'The CSV text itself (an uploaded export)' }),
  ),
  dateFormat: Type.Union(
    [Type.Literal('YYYY-MM-DD'), Type.Literal('DD/MM/YYYY'), Type.Literal('MM/DD/YYYY')],
    {
      default: 'YYYY-MM-DD',
      description: 'How dates are written in the file',
    },
  ),
})
type CsvConfig = Static<typeof config>

const PAGE_SIZE = 500

async function readExport(cfg: CsvConfig, importDir: string | undefined): Promise<string> {
  if (cfg.content !== undefined) return cfg.content
  if (cfg.path === undefined) throw new ConnectorError('invalid_config', 'Give either `path` or `content`.')
  return readImport(importDir, cfg.path)
}

type Header = Partial<Record<keyof Employee, number>>

function readHeader(cells: string[]): Header {
  const names = cells.map((c) =>
    c
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  )
  const header: Header = {}
  for (const [field, aliases] of Object.entries(COLUMNS) as [keyof Employee, readonly string[]][]) {
    const index = names.findIndex((n) => aliases.includes(n))
    if (index >= 0) header[field] = index
  }
  for (const required of ['remoteId', 'email', 'status'] as const) {
    if (header[required] === undefined) {
      throw new ConnectorError(
        'malformed_response',
        `The export has no ${COLUMNS[required][0]} column (accepted names: ${COLUMNS[required].join(', ')}).`,
      )
    }
  }
  return header
}

function toDate(value: string, format: CsvConfig['dateFormat'], line: number): string | null {
  const v = value.trim()
  if (v === '') return null
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(v)
  if (format === 'YYYY-MM-DD' && iso) return `${iso[1]}-${iso[2]}-${iso[3]}`
  const parts = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v)
  if (format !== 'YYYY-MM-DD' && parts) {
    const [day, month] = format === 'DD/MM/YYYY' ? [parts[1], parts[2]] : [parts[2], parts[1]]
    return `${parts[3]}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`
  }
  throw new ConnectorError(
    'malformed_response',
    `Line ${line}: "${v}" is not a date in the format ${format}.`,
  )
}

/** One line of the export, read: its cells by field, its id, and its dates in the configured format. */
interface ExportLine {
  line: number
  remoteId: string
  cell: (field: keyof Employee) => string | null
  startDate: string | null
  terminationDate: string | null
}

/**
 * Reads one line. A line without an id or with a date in another format means the export itself is
 * wrong, and fails the pull with the line number rather than skip a person.
 */
function readLine(cells: string[], header: Header, cfg: CsvConfig, line: number): ExportLine {
  const cell = (field: keyof Employee): string | null => {
    const index = header[field]
    const value = index === undefined ? '' : (cells[index] ?? '').trim()
    return value === '' ? null : value
  }
  const remoteId = cell('remoteId')
  if (remoteId === null) throw new ConnectorError('malformed_response', `Line ${line} has no employee id.`)
  return {
    line,
    remoteId,
    cell,
    startDate: toDate(cell('startDate') ?? '', cfg.dateFormat, line),
    terminationDate: toDate(cell('terminationDate') ?? '', cfg.dateFormat, line),
  }
}

/** One line as an Employee; a status the README does not list is refused with skipPerson. */
function toEmployee({ line, remoteId, cell, startDate, terminationDate }: ExportLine): Employee {
  const rawStatus = (cell('status') ?? '').toLowerCase().replace(/[\s-]+/g, '_')
  const status: EmployeeStatus | undefined = STATUS[rawStatus as keyof typeof STATUS]
  if (status === undefined) {
    skipPerson(
      `Line ${line}: status "${cell('status') ?? ''}" is not one of ${Object.keys(STATUS).join(', ')}.`,
      { remoteId, email: cell('email'), reason: 'unmapped_status' },
    )
  }
  return employee({
    remoteId,
    email: cell('email'),
    firstName: cell('firstName'),
    lastName: cell('lastName'),
    status,
    managerRemoteId: cell('managerRemoteId'),
    managerEmail: cell('managerEmail'),
    department: cell('department'),
    jobTitle: cell('jobTitle'),
    startDate,
    terminationDate,
  })
}

function readRows(text: string): string[][] {
  try {
    return parseCsv(text)
  } catch (error) {
    throw new ConnectorError(
      'malformed_response',
      `The export is not valid CSV: ${(error as Error).message}.`,
    )
  }
}

export default defineConnector({
  id: 'csv',
  name: 'CSV export',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/csv#readme',
  config,
  allowedHosts: [],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  async checkConnection(ctx) {
    const rows = readRows(await readExport(ctx.config, ctx.importDir))
    if (rows.length === 0)
      throw new ConnectorError('malformed_response', 'The export is empty: it has no header line.')
    readHeader(rows[0]!)
  },
  async *listEmployees(ctx) {
    const rows = readRows(await readExport(ctx.config, ctx.importDir))
    if (rows.length === 0)
      throw new ConnectorError('malformed_response', 'The export is empty: it has no header line.')
    const header = readHeader(rows[0]!)
    for (let start = 1; start < rows.length; start += PAGE_SIZE) {
      const lines = rows
        .slice(start, start + PAGE_SIZE)
        .map((cells, i) => readLine(cells, header, ctx.config, start + i + 1))
      yield mapRecords(lines, toEmployee)
    }
  },
})

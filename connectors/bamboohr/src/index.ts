import {
  cleanString,
  emailFrom,
  idString,
  mapRecords,
  mapStatus,
  paginatePage,
  reword,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  type EmployeeStatus,
  employee,
  HostPart,
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/**
 * The two values of the dataset's `status` field (the employee's account status). Future hires are
 * `Inactive` too, so the hire date and the employment status refine it: see `employeeStatus`.
 */
export const STATUS = statusTable({
  Active: 'active',
  Inactive: 'terminated',
})

/** Tenant-defined employment statuses that mean "employed, away": matched on the `employmentStatus` name. */
export const LEAVE_PATTERN = /leave|furlough|sabbatical/i

/** Names in the `employee` dataset vocabulary (not the Get Employee names: `email`, not `workEmail`). */
export const FIELDS = [
  'eeid',
  'firstName',
  'lastName',
  'email',
  'status',
  'employmentStatus',
  'jobInformationJobTitle',
  'jobInformationDepartment',
  'supervisorEid',
  'hireDate',
  'terminationDate',
] as const

const config = Type.Object({
  companyDomain: HostPart(
    Type.String({
      pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$',
      description: 'Your BambooHR subdomain: `acme` when you sign in at acme.bamboohr.com',
    }),
  ),
  apiKey: Secret(
    Type.String({
      minLength: 1,
      description: 'API key of a BambooHR user who can see every employee record',
    }),
  ),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 1000,
    description: 'Employees per request (1–1000)',
  }),
})
type BambooConfig = Static<typeof config>

type FieldName = (typeof FIELDS)[number]
interface DatasetRow {
  fields?: Partial<Record<FieldName, unknown>>
  _restrictedFields?: string[]
}
interface DatasetPage {
  data?: DatasetRow[]
  links?: { next?: string; prev?: string }
  meta?: { page?: number; pageSize?: number; totalPages?: number; totalItems?: number }
}

const DATASET_URL = 'v2/datasets/employee/data'

function query(page: number, pageSize: number, fields: readonly string[] = FIELDS) {
  return {
    fields,
    filter: "status in ('Active','Inactive')",
    orderBy: 'eeid asc',
    page,
    pageSize,
  }
}

/** BambooHR answers 404 to the dataset query when the key's user may not read it: a permission, not a bug. */
function explainError(error: ConnectorError): ConnectorError | undefined {
  if (error.details?.status !== 404) return undefined
  return reword(
    error,
    'BambooHR accepted the API key but its user may not read the employee dataset (HTTP 404).',
    'missing_scope',
  )
}

/** Status from `status`, the hire date and the employment status; an undocumented `status` skips the person. */
function employeeStatus(
  fields: Partial<Record<FieldName, unknown>>,
  dates: { hireDate: string | null; terminationDate: string | null },
  person: { remoteId: string; email: string | null },
  now: Date,
): EmployeeStatus {
  const mapped = mapStatus(STATUS, fields.status, person)
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  if (dates.hireDate !== null && dates.hireDate > todayIn('UTC', now)) return 'pending'
  const employment = cleanString(fields.employmentStatus)
  const status: EmployeeStatus =
    mapped.status === 'active' && employment !== null && LEAVE_PATTERN.test(employment)
      ? 'leave'
      : mapped.status
  return terminatedIfPast(status, dates.terminationDate, now)
}

/** A dataset row keyed by eeid, the column the query orders by. */
const eeidOf = (row: DatasetRow): string | null => idString(row.fields?.eeid)

/**
 * Every row carries its eeid: a row without one means BambooHR changed its answer, and the pull fails
 * rather than skip people it cannot name.
 */
function requireEeids(rows: DatasetRow[]): void {
  if (rows.some((row) => eeidOf(row) === null))
    throw new ConnectorError('malformed_response', 'BambooHR sent a dataset row without an eeid')
}

/** What a row is known by before it is mapped: a person skipped later is reported under it. */
export function identify(row: DatasetRow): { remoteId: string | null; email: string | null } {
  return { remoteId: eeidOf(row), email: emailFrom(row.fields?.email) }
}

/**
 * One dataset row as an Employee. A status BambooHR does not document is refused with skipPerson, an
 * unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(row: DatasetRow, now: Date): Employee {
  const fields = row.fields ?? {}
  const { remoteId, email } = identify(row)
  if (remoteId === null) skipPerson('a dataset row without an eeid', { email })
  const hireDate = toIsoDate(fields.hireDate)
  const terminationDate = toIsoDate(fields.terminationDate)
  // A rehire keeps the termination date of the earlier employment; it says nothing about this one.
  const currentTermination =
    terminationDate !== null && hireDate !== null && terminationDate < hireDate ? null : terminationDate
  const status = employeeStatus(
    fields,
    { hireDate, terminationDate: currentTermination },
    { remoteId, email },
    now,
  )
  return employee({
    remoteId,
    email,
    firstName: cleanString(fields.firstName),
    lastName: cleanString(fields.lastName),
    status,
    managerRemoteId: idString(fields.supervisorEid),
    department: cleanString(fields.jobInformationDepartment),
    jobTitle: cleanString(fields.jobInformationJobTitle),
    startDate: hireDate,
    terminationDate: currentTermination,
  })
}

/** Dataset pages; page and pageSize travel in the POST body. */
function datasetPages(ctx: ConnectorContext<BambooConfig>) {
  return paginatePage<DatasetRow, DatasetPage>(ctx, {
    method: 'POST',
    url: DATASET_URL,
    pageSize: ctx.config.pageSize,
    body: (page) => query(page, ctx.config.pageSize),
    items: (body) => body?.data ?? [],
    // the last page has no links.next; meta.totalPages and an empty page end it too
    hasMore: (body, rows) => {
      const page = body?.meta?.page ?? 1
      const last =
        body?.links?.next === undefined || page >= (body.meta?.totalPages ?? Number.POSITIVE_INFINITY)
      return !last && rows.length > 0
    },
  })
}

export default defineConnector({
  id: 'bamboohr',
  name: 'BambooHR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/bamboohr#readme',
  config,
  allowedHosts: ['{companyDomain}.bamboohr.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => `https://${cfg.companyDomain}.bamboohr.com/api`,
  // the key is the user name; BambooHR ignores the password
  auth: (cfg) => ({ type: 'basic', username: cfg.apiKey, password: 'x' }),
  // the dataset query is a read-only POST, safe to retry
  http: { retryMethods: ['POST'] },
  errorHints: {
    invalid_credentials: 'Check the company domain and create a new API key if this one was revoked.',
    missing_scope:
      'Create the key as a user with full access to every employee record, such as a full admin.',
  },
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({ method: 'POST', url: DATASET_URL, json: query(1, 1, ['eeid', 'status']) })
  },
  async *listEmployees(ctx) {
    const restricted = new Set<string>()
    for await (const rows of datasetPages(ctx)) {
      for (const row of rows) {
        for (const field of row._restrictedFields ?? []) restricted.add(field)
      }
      requireEeids(rows)
      yield mapRecords(rows, (row) => toEmployee(row, ctx.now), { identify })
    }
    if (restricted.size > 0) {
      ctx.log.warn('BambooHR withheld fields the API key may not read; they arrive empty', {
        fields: [...restricted].sort(),
      })
    }
  },
})

import { mapRecords, paginatePage, readAll } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type EmployeePage,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  contractDates,
  firstDepartments,
  identify,
  type Joins,
  primaryManagers,
  type SesameContract,
  type SesameDepartmentAssignment,
  type SesameEmployee,
  type SesameManagerAssignment,
  type SesameStatus,
  STATUS,
  toEmployee,
} from './mapping.js'

export { contractDates, firstDepartments, identify, primaryManagers, STATUS, toEmployee } from './mapping.js'

const config = Type.Object({
  apiToken: Secret(
    Type.String({
      minLength: 1,
      description: 'API token from app.sesametime.com > Settings > Integrations > API',
    }),
  ),
  region: HostPart(
    Type.String({
      default: 'eu1',
      pattern: '^[a-z]{2,3}[0-9]{1,2}$',
      description: 'Data-centre region of the company, as in its API host api-<region>.sesametime.com',
    }),
  ),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+\\.sesametime\\.com/?$',
      description: 'Overrides the API host; default https://api-<region>.sesametime.com',
    }),
  ),
  pageSize: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 100,
    description: 'Records per page (`limit`)',
  }),
})
type SesameConfig = Static<typeof config>
type Context = ConnectorContext<SesameConfig>

/** Sesame's list envelope (https://apidocs.sesametime.com/api-reference/core/listroles). */
interface SesamePage<T> {
  data?: T[]
  meta?: { currentPage?: number; lastPage?: number; total?: number; perPage?: number }
}

/** The employee statuses the list is asked for one by one: without `status` it returns active people only. */
const LISTED_STATUSES: SesameStatus[] = ['active', 'inactive']

function records<T>(body: SesamePage<T> | null, what: string): T[] {
  if (!Array.isArray(body?.data)) {
    throw new ConnectorError('malformed_response', `Sesame HR answered the ${what} list without a data array`)
  }
  return body.data
}

function pages<T>(ctx: Context, url: string, what: string, searchParams: Record<string, string> = {}) {
  return paginatePage<T, SesamePage<T> | null>(ctx, {
    url,
    searchParams,
    pageSize: ctx.config.pageSize,
    pageSizeParam: 'limit',
    items: (body) => records(body, what),
    totalPages: (body) => body?.meta?.lastPage,
  })
}

/** An employee with their contracts, which hold the start and end dates. */
interface ContractedEmployee {
  record: SesameEmployee
  contracts: SesameContract[]
}

/** The employee's contracts, one list per employee; none for a record without an id to ask by. */
async function withContracts(ctx: Context, record: SesameEmployee): Promise<ContractedEmployee> {
  if (typeof record.id !== 'string' || record.id === '') return { record, contracts: [] }
  const url = `contract/v1/contracts/${encodeURIComponent(record.id)}`
  return { record, contracts: await readAll(pages<SesameContract>(ctx, url, 'contract')) }
}

async function* employeePages(ctx: Context): AsyncGenerator<EmployeePage> {
  // managers and departments live in their own collections: read them whole, then join page by page
  const assignments = await readAll(
    pages<SesameManagerAssignment>(ctx, 'core/v3/employee-managers', 'employee manager', {
      permission: 'vacation',
    }),
  )
  const departments = await readAll(
    pages<SesameDepartmentAssignment>(
      ctx,
      'core/v3/employee-department-assignations',
      'department assignation',
    ),
  )
  const joins: Joins = {
    managerOf: primaryManagers(assignments),
    departmentOf: firstDepartments(departments),
  }
  for (const status of LISTED_STATUSES) {
    for await (const page of pages<SesameEmployee>(ctx, 'core/v3/employees', 'employee', { status })) {
      const contracted: ContractedEmployee[] = []
      for (const record of page) contracted.push(await withContracts(ctx, record))
      // a malformed contract date (toIsoDate) skips this person only
      yield mapRecords(
        contracted,
        ({ record, contracts }) => toEmployee(record, joins, contractDates(contracts), ctx.now),
        { identify: ({ record }) => identify(record) },
      )
    }
  }
}

export default defineConnector({
  id: 'sesame-hr',
  name: 'Sesame HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/sesame-hr#readme',
  config,
  allowedHosts: ['api-{region}.sesametime.com', '*.sesametime.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // 1,000 requests a minute per company, shared by all its tokens (https://apidocs.sesametime.com/rate-limiting)
  http: { requestsPerSecond: 15 },
  baseUrl: (cfg) => cfg.baseUrl ?? `https://api-${cfg.region}.sesametime.com`,
  auth: (cfg) => ({ type: 'bearer', token: cfg.apiToken }),
  errorHints: {
    invalid_credentials:
      "A token only works in its company's region: check the token under Settings > Integrations > API and that the region setting is the company's.",
    missing_scope:
      'The token must be created by an administrator, and the company needs the Sesame API add-on.',
    unreachable: 'Check the region: each company is served from api-<region>.sesametime.com.',
  },
  async checkConnection(ctx) {
    const { body } = await ctx.http.request<SesamePage<SesameEmployee>>({
      url: 'core/v3/employees',
      searchParams: { status: 'active', page: 1, limit: 1 },
    })
    records(body, 'employee')
  },
  async *listEmployees(ctx) {
    yield* employeePages(ctx)
  },
})

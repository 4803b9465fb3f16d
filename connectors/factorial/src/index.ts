import { mapRecords, paginatePage, readAll, rewordByCode } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type EmployeePage,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  type FactorialContractVersion,
  type FactorialEmployee,
  type FactorialTeam,
  identify,
  type Joins,
  latestContracts,
  STATUS,
  teamsByEmployee,
  toEmployee,
} from './mapping.js'

export { condition, identify, latestContracts, STATUS, teamsByEmployee, toEmployee } from './mapping.js'

export const DEFAULT_BASE_URL = 'https://api.factorialhr.com'
/** The current dated version; 2025-07-01 is supported only until 1 July 2026. */
export const DEFAULT_API_VERSION = '2026-04-01'

const config = Type.Object({
  apiKey: Secret(Type.String({ minLength: 1, description: 'Company API key from Settings > API keys' })),
  baseUrl: Type.String({
    default: DEFAULT_BASE_URL,
    pattern: '^https://api\\.(demo\\.)?factorialhr\\.com/?$',
    description: 'https://api.factorialhr.com, or https://api.demo.factorialhr.com for a demo company',
  }),
  apiVersion: Type.String({
    default: DEFAULT_API_VERSION,
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'Dated API version, e.g. 2026-04-01',
  }),
  pageSize: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 100,
    description: 'Records per page (`limit`, at most 100)',
  }),
})
type FactorialConfig = Static<typeof config>
type Context = ConnectorContext<FactorialConfig>

/** Offset pagination (https://apidoc.factorialhr.com/docs/how-does-it-work#offset-pagination). */
interface FactorialPage<T> {
  data?: T[]
  meta?: { has_next_page?: unknown; has_previous_page?: unknown; total?: number; limit?: number }
}

function records<T>(body: FactorialPage<T> | null, what: string): T[] {
  if (!Array.isArray(body?.data)) {
    throw new ConnectorError('malformed_response', `Factorial answered the ${what} list without a data array`)
  }
  return body.data
}

function pages<T>(ctx: Context, url: string, what: string) {
  return paginatePage<T, FactorialPage<T> | null>(ctx, {
    url,
    pageSize: ctx.config.pageSize,
    pageSizeParam: 'limit',
    items: (body) => records(body, what),
    // Factorial always says whether more pages follow; a page without the flag is malformed_response
    hasMore: (body) => {
      const more = body?.meta?.has_next_page
      return typeof more === 'boolean' ? more : undefined
    },
    requireHasMore: true,
  })
}

/** A 404 on a collection means the dated API version in the config is not served (any more). */
const explainError = rewordByCode<FactorialConfig>({
  vendor_error: (error, { config }) =>
    error.details?.status === 404
      ? `${error.message} Check the API version "${config.apiVersion}": Factorial serves each dated version for a year.`
      : undefined,
})

async function* employeePages(ctx: Context): AsyncGenerator<EmployeePage> {
  // teams and contracts are separate collections: read them whole, then join page by page
  const teams = await readAll(pages<FactorialTeam>(ctx, 'teams/teams', 'team'))
  const versions = await readAll(
    pages<FactorialContractVersion>(ctx, 'contracts/contract_versions', 'contract version'),
  )
  const joins: Joins = { teamOf: teamsByEmployee(teams), contractOf: latestContracts(versions) }
  for await (const page of pages<FactorialEmployee>(ctx, 'employees/employees', 'employee')) {
    yield mapRecords(page, (record) => toEmployee(record, joins, ctx.now), { identify })
  }
}

export default defineConnector({
  id: 'factorial',
  name: 'Factorial',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/factorial#readme',
  config,
  allowedHosts: ['api.factorialhr.com', 'api.demo.factorialhr.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => `${cfg.baseUrl.replace(/\/+$/, '')}/api/${cfg.apiVersion}/resources`,
  auth: (cfg) => ({ type: 'header', name: 'x-api-key', value: cfg.apiKey }),
  errorHints: {
    invalid_credentials: 'Check the API key under Settings > API keys; a deleted key stops working at once.',
    missing_scope: 'Use a company API key created by an administrator: it reads every employee.',
  },
  explainError,
  async checkConnection(ctx) {
    const { body } = await ctx.http.request<FactorialPage<FactorialEmployee>>({
      url: 'employees/employees',
      searchParams: { page: 1, limit: 1 },
    })
    records(body, 'employee')
  },
  async *listEmployees(ctx) {
    yield* employeePages(ctx)
  },
})

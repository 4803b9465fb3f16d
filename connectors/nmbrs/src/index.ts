import { mapRecords, paginatePage, reword } from '@hrsync/connector-kit'
import { type ConnectorError, defineConnector, type ErrorContext, HostPart, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type Histories, identify, neverEmployed, type PersonalInfo, STATUS, toEmployee } from './mapping.js'

export { NOT_EMPLOYED, STATUS } from './mapping.js'

const config = Type.Object({
  clientId: Type.String({
    minLength: 1,
    description: 'Client id of the app registered in the Nmbrs developer portal',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, description: 'Client secret of that app' })),
  refreshToken: Secret(
    Type.String({
      minLength: 1,
      description: 'Refresh token from the one-time consent of a Nmbrs user (offline_access)',
    }),
  ),
  subscriptionKey: Secret(
    Type.String({
      minLength: 1,
      description: 'Key of the API product subscription in the Nmbrs developer portal',
    }),
  ),
  companyId: HostPart(Type.String({ minLength: 1, description: 'Nmbrs company id (UUID) to sync' })),
  baseUrl: Type.String({
    default: 'https://api.nmbrsapp.com',
    pattern: '^https://',
    description: 'Nmbrs REST API host',
  }),
  pageSize: Type.Integer({
    default: 100,
    minimum: 1,
    maximum: 1000,
    description: 'Records per page of every list',
  }),
})
type NmbrsConfig = Static<typeof config>

const TOKEN_URL = 'https://identityservice.nmbrs.com/connect/token'

interface ListPage<T> {
  pagination?: { pageNumber?: number; totalPages?: number }
  data?: T[]
}
type EmployeeRow<K extends string, T> = { employeeId?: string } & { [key in K]?: T[] }

function listOptions(cfg: NmbrsConfig, list: string) {
  return {
    url: `api/companies/${encodeURIComponent(cfg.companyId)}/employees/${list}`,
    headers: { 'X-Subscription-Key': cfg.subscriptionKey },
    pageSize: cfg.pageSize,
    firstPage: 1 as const,
    pageParam: 'pageNumber',
    pageSizeParam: 'pageSize',
  }
}

/** A 404 means the company is not among those the consent covers: a setting to fix, not a vendor failure. */
function explainError(
  error: ConnectorError,
  { config }: ErrorContext<NmbrsConfig>,
): ConnectorError | undefined {
  if (error.code !== 'vendor_error' || error.details?.status !== 404) return undefined
  return reword(
    error,
    `Nmbrs has no company ${config.companyId} for these credentials; check companyId (GET /api/companies lists them).`,
    'invalid_config',
  )
}

/** Reads a whole employee-history list into employeeId → records. */
async function readHistory<K extends string, T>(
  ctx: Parameters<typeof paginatePage>[0],
  cfg: NmbrsConfig,
  list: string,
  key: K,
): Promise<Map<string, T[]>> {
  const byEmployee = new Map<string, T[]>()
  const pages = paginatePage<EmployeeRow<K, T>, ListPage<EmployeeRow<K, T>>>(ctx, {
    ...listOptions(cfg, list),
    items: (body) => body?.data as EmployeeRow<K, T>[],
    totalPages: (body) => body?.pagination?.totalPages,
  })
  for await (const rows of pages) {
    for (const row of rows) {
      if (typeof row.employeeId === 'string')
        byEmployee.set(row.employeeId, (row[key] as T[] | undefined) ?? [])
    }
  }
  return byEmployee
}

export default defineConnector({
  id: 'nmbrs',
  name: 'Nmbrs',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/nmbrs#readme',
  config,
  allowedHosts: ['api.nmbrsapp.com', 'identityservice.nmbrs.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'email',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({
    type: 'oauth2-refresh-token',
    tokenUrl: TOKEN_URL,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    refreshToken: cfg.refreshToken,
  }),
  // two credentials per call, granular scopes, one company
  errorHints: {
    invalid_credentials:
      'Nmbrs needs a valid refresh token (it changes at every refresh) and the subscription key of the API product; either one wrong gives HTTP 401.',
    missing_scope:
      'The consent must include employee.info.read, employee.employment.read and employee.orgstructure.read for this company.',
  },
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({
      ...listOptions(ctx.config, 'personalinfo'),
      searchParams: { pageNumber: 1, pageSize: 1 },
    })
  },
  async *listEmployees(ctx) {
    const cfg = ctx.config
    const [employments, functions, departments, managers] = [
      await readHistory<'employments', NonNullable<Histories['employments']>[number]>(
        ctx,
        cfg,
        'employments',
        'employments',
      ),
      await readHistory<'functions', NonNullable<Histories['functions']>[number]>(
        ctx,
        cfg,
        'functions',
        'functions',
      ),
      await readHistory<'departments', NonNullable<Histories['departments']>[number]>(
        ctx,
        cfg,
        'departments',
        'departments',
      ),
      await readHistory<'managers', NonNullable<Histories['managers']>[number]>(
        ctx,
        cfg,
        'managers',
        'managers',
      ),
    ]
    const pages = paginatePage<
      EmployeeRow<'info', PersonalInfo>,
      ListPage<EmployeeRow<'info', PersonalInfo>>
    >(ctx, {
      ...listOptions(cfg, 'personalinfo'),
      items: (body) => body?.data as EmployeeRow<'info', PersonalInfo>[],
      totalPages: (body) => body?.pagination?.totalPages,
    })
    const historiesOf = (id = ''): Histories => ({
      employments: employments.get(id),
      functions: functions.get(id),
      departments: departments.get(id),
      managers: managers.get(id),
    })
    for await (const rows of pages) {
      yield mapRecords(
        rows.filter((row) => !neverEmployed(row.info, ctx.now)),
        (row) => toEmployee(row.employeeId, row.info, historiesOf(row.employeeId), ctx.now),
        { identify: (row) => identify(row.employeeId, row.info, ctx.now) },
      )
    }
  },
})

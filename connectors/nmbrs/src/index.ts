import { paginatePage } from '@hrsync/connector-kit'
import {
  ConnectorError,
  defineConnector,
  type Employee,
  HostPart,
  Secret,
  type SkippedPerson,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type Histories, type PersonalInfo, STATUS, toEmployee } from './mapping.js'

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
async function explained<T>(cfg: NmbrsConfig, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    if (error instanceof ConnectorError && error.code === 'vendor_error' && error.details?.status === 404) {
      throw new ConnectorError(
        'invalid_config',
        `Nmbrs has no company ${cfg.companyId} for these credentials; check companyId (GET /api/companies lists them).`,
        error.details,
        { cause: error },
      )
    }
    throw error
  }
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
  async checkConnection(ctx) {
    const cfg = ctx.config
    await explained(cfg, () =>
      ctx.http.request({
        ...listOptions(cfg, 'personalinfo'),
        searchParams: { pageNumber: 1, pageSize: 1 },
      }),
    )
  },
  async *listEmployees(ctx) {
    const cfg = ctx.config
    const [employments, functions, departments, managers] = await explained(cfg, async () => [
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
    ])
    const pages = paginatePage<
      EmployeeRow<'info', PersonalInfo>,
      ListPage<EmployeeRow<'info', PersonalInfo>>
    >(ctx, {
      ...listOptions(cfg, 'personalinfo'),
      items: (body) => body?.data as EmployeeRow<'info', PersonalInfo>[],
      totalPages: (body) => body?.pagination?.totalPages,
    })
    const iterator = pages[Symbol.asyncIterator]()
    for (;;) {
      const next = await explained(cfg, () => iterator.next())
      if (next.done) return
      const employees: Employee[] = []
      const skipped: SkippedPerson[] = []
      for (const row of next.value) {
        const id = row.employeeId ?? ''
        const person = toEmployee(
          row.employeeId,
          row.info,
          {
            employments: employments.get(id),
            functions: functions.get(id),
            departments: departments.get(id),
            managers: managers.get(id),
          },
          ctx.now,
        )
        if (person === null) continue
        if ('reason' in person) skipped.push(person)
        else employees.push(person)
      }
      yield { employees, skipped }
    }
  },
})

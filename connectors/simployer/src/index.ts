import { cleanString, idString, mapRecords, paginateOffset } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { EMPLOYEE_FIELDS, identify, STATUS, toEmployee } from './mapping.js'
import type { DepartmentRecord, EmployeeRecord, ListResponse } from './vendor.js'

export { EMPLOYEE_FIELDS, employeeState, identify, STATUS, toEmployee } from './mapping.js'
export type { DepartmentRecord, EmployeeRecord, ListResponse } from './vendor.js'

export const DEFAULT_BASE_URL = 'https://api.alexishr.com'
const DEPARTMENT_PAGE_SIZE = 100

export const SimployerConfig = Type.Object({
  accessToken: Secret(
    Type.String({
      minLength: 1,
      title: 'Access token',
      description:
        'Made by an Owner in Simployer One (AlexisHR) under Settings > Access tokens, with Public API access',
    }),
  ),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://api\\.(sandbox\\.)?alexishr\\.com/?$',
      default: DEFAULT_BASE_URL,
      title: 'API origin',
      description: 'https://api.sandbox.alexishr.com for a sandbox account',
    }),
  ),
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 500, default: 100, title: 'Employees per request' }),
  ),
})
export type SimployerConfig = Static<typeof SimployerConfig>
type Context = ConnectorContext<SimployerConfig>

function data<T>(what: string) {
  return (body: ListResponse<T> | null): T[] => {
    if (!Array.isArray(body?.data)) {
      throw new ConnectorError('malformed_response', `Simployer answered the ${what} list without data`)
    }
    return body.data
  }
}

const employeePages = (ctx: Context, limit: number) =>
  paginateOffset<EmployeeRecord, ListResponse<EmployeeRecord> | null>(ctx, {
    url: 'v1/employee',
    searchParams: { select: EMPLOYEE_FIELDS.join(',') },
    limit,
    items: data('employee'),
    total: (body) => body?.total,
  })

async function departmentNames(ctx: Context): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for await (const page of paginateOffset<DepartmentRecord, ListResponse<DepartmentRecord> | null>(ctx, {
    url: 'v1/department',
    searchParams: { select: 'id,name' },
    limit: DEPARTMENT_PAGE_SIZE,
    items: data('department'),
    total: (body) => body?.total,
  })) {
    for (const department of page) {
      const id = idString(department.id)
      const name = cleanString(department.name)
      if (id !== null && name !== null) names.set(id, name)
    }
  }
  return names
}

export default defineConnector({
  id: 'simployer',
  name: 'Simployer',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://docs.alexishr.com',
  config: SimployerConfig,
  allowedHosts: ['api.alexishr.com', 'api.sandbox.alexishr.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (config) => config.baseUrl ?? DEFAULT_BASE_URL,
  auth: (config) => ({ type: 'bearer', token: config.accessToken }),

  errorHints: {
    invalid_credentials:
      'The access token may have been revoked, or its owner lost the Owner role or left: an Owner creates a new one under Settings > Access tokens.',
    missing_scope:
      'Create the token with access to the Public API (not only the Provisioning API), as an Owner.',
    unreachable: 'Check the API origin.',
  },

  async checkConnection(ctx: Context) {
    for await (const _ of employeePages(ctx, 1)) break
  },

  async *listEmployees(ctx: Context) {
    const departments = await departmentNames(ctx)
    for await (const records of employeePages(ctx, ctx.config.pageSize ?? 100)) {
      yield mapRecords(records, (record) => toEmployee(record, departments, ctx.now), { identify })
    }
  },
})

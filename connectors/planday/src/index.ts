import { mapRecords, paginateOffset } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type EmployeeList, identify, type Lookups, STATUS, toEmployee } from './mapping.js'
import type { Page, PlandayDepartment, PlandayEmployee, PlandaySupervisor } from './vendor.js'

export { type EmployeeList, identify, type Lookups, STATUS, toEmployee } from './mapping.js'
export type { Page, PlandayDepartment, PlandayEmployee, PlandaySupervisor } from './vendor.js'

export const DEFAULT_BASE_URL = 'https://openapi.planday.com'
export const TOKEN_URL = 'https://id.planday.com/connect/token'

export const PlandayConfig = Type.Object({
  clientId: Type.String({
    minLength: 1,
    title: 'App ID',
    description:
      'The App ID (client id) of the API app, under Settings > Integrations > API Access in Planday',
  }),
  refreshToken: Secret(
    Type.String({
      minLength: 1,
      title: 'Token',
      description: "The refresh token shown on the app's tile once a Planday administrator has authorised it",
    }),
  ),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+/?$',
      default: DEFAULT_BASE_URL,
      title: 'API base URL',
    }),
  ),
  pageSize: Type.Optional(
    // Planday returns at most 50 records per page (https://openapi.planday.com/gettingstarted/overview)
    Type.Integer({ minimum: 1, maximum: 50, default: 50, title: 'Records per request' }),
  ),
})
export type PlandayConfig = Static<typeof PlandayConfig>

const PATHS = {
  departments: '/hr/v1.0/departments',
  supervisors: '/hr/v1.0/employees/supervisors',
  active: '/hr/v1.0/employees',
  deactivated: '/hr/v1.0/employees/deactivated',
} as const

/** Every API call names the app as well as carrying its token; without it Planday answers 401. */
const clientHeader = (config: PlandayConfig) => ({ 'X-ClientId': config.clientId })

function pages<T>(ctx: ConnectorContext<PlandayConfig>, url: string): AsyncGenerator<T[]> {
  return paginateOffset<T, Page<T>>(ctx, {
    url,
    headers: clientHeader(ctx.config),
    limit: ctx.config.pageSize ?? 50,
    items: (body) => body?.data as T[],
    total: (body) => body?.paging?.total,
  })
}

async function readAll<T>(ctx: ConnectorContext<PlandayConfig>, url: string): Promise<T[]> {
  const all: T[] = []
  for await (const page of pages<T>(ctx, url)) all.push(...page)
  return all
}

async function readLookups(ctx: ConnectorContext<PlandayConfig>): Promise<Lookups> {
  const departments = await readAll<PlandayDepartment>(ctx, PATHS.departments)
  const supervisors = await readAll<PlandaySupervisor>(ctx, PATHS.supervisors)
  return {
    departments: new Map(departments.map((d) => [d.id, d.name])),
    supervisors: new Map(supervisors.map((s) => [s.id, s.employeeId])),
  }
}

export default defineConnector({
  id: 'planday',
  name: 'Planday',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://openapi.planday.com/api/hr',
  config: PlandayConfig,
  allowedHosts: ['openapi.planday.com', 'id.planday.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
      // only the deactivated list carries a deactivationDate: no planned last day for someone still employed
      terminationDates: 'past',
    },
  },
  // 10 requests a second and 500 a minute per portal, 100 a second and 2000 a minute per App ID (client id)
  // across portals; x-ratelimit-reset counts the seconds to wait (https://openapi.planday.com/gettingstarted/rate-limiting)
  http: {
    requestsPerSecond: 8,
    requestLimits: [
      { requests: 100, seconds: 1, scope: 'app' },
      { requests: 2000, seconds: 60, scope: 'app' },
    ],
    appIdentityKey: 'clientId',
    rateLimitResetHeader: 'x-ratelimit-reset',
  },
  baseUrl: (config) => config.baseUrl ?? DEFAULT_BASE_URL,
  // Planday's apps are public clients: the App ID and the portal's refresh token, no client secret.
  // Access tokens live an hour; refresh tokens do not expire and are reused as they are.
  auth: (config) => ({
    type: 'oauth2-refresh-token',
    tokenUrl: TOKEN_URL,
    clientId: config.clientId,
    refreshToken: config.refreshToken,
  }),
  errorHints: {
    invalid_credentials:
      'In Planday open Settings > Integrations > API Access, check the App ID and copy the token from the app again; a token stops working when the app is revoked or authorised anew.',
    missing_scope:
      'Edit the app under Settings > Integrations > API Access, add the read scopes for employees and departments, and authorise it again.',
    unreachable: 'Check the API base URL and that outbound HTTPS to Planday is allowed.',
  },

  async checkConnection(ctx: ConnectorContext<PlandayConfig>) {
    const { body } = await ctx.http.request<Page<PlandayEmployee>>({
      url: PATHS.active,
      headers: clientHeader(ctx.config),
      searchParams: { limit: 1, offset: 0 },
    })
    if (!Array.isArray(body?.data)) {
      throw new ConnectorError('malformed_response', 'Planday answered the employee list without data')
    }
  },

  async *listEmployees(ctx: ConnectorContext<PlandayConfig>) {
    const lookups = await readLookups(ctx)
    const lists: Array<[EmployeeList, string]> = [
      ['active', PATHS.active],
      ['deactivated', PATHS.deactivated],
    ]
    for (const [list, url] of lists) {
      for await (const people of pages<PlandayEmployee>(ctx, url)) {
        yield mapRecords(people, (person) => toEmployee(person, list, lookups, ctx.now), { identify })
      }
    }
  },
})

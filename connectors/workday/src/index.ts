import { mapRecords, paginateSoapPages, reword } from '@hrsync/connector-kit'
import {
  type AuthSpec,
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type ErrorContext,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, STATUS, toEmployee } from './mapping.js'
import { child, getWorkersRequest, parseWorkersPage, type WorkersPage } from './soap.js'

export { STATUS, type WorkdayStatus, workdayStatus } from './mapping.js'
export { getWorkersRequest } from './soap.js'

export const WorkdayConfig = Type.Object({
  baseUrl: HostPart(
    Type.String({
      pattern: '^https://[A-Za-z0-9.-]+(:\\d+)?/?$',
      title: 'Web services host',
      description:
        'The tenant’s web-services host from the Public Web Services report, e.g. https://wd2-impl-services1.workday.com (not the host of the Workday UI)',
    }),
  ),
  tenant: HostPart(Type.String({ pattern: '^[A-Za-z0-9_-]+$', title: 'Tenant', description: 'e.g. acme1' })),
  apiVersion: Type.String({
    pattern: '^v\\d+(\\.\\d+)?$',
    default: 'v43.0',
    title: 'Human_Resources version',
  }),
  username: Type.Optional(
    Type.String({
      minLength: 1,
      title: 'ISU user name',
      description: 'The Integration System User, written ISU_name@tenant',
    }),
  ),
  password: Type.Optional(Secret(Type.String({ minLength: 1, title: 'ISU password' }))),
  clientId: Type.Optional(
    Type.String({ minLength: 1, title: 'API client ID', description: 'Instead of an ISU password' }),
  ),
  clientSecret: Type.Optional(Secret(Type.String({ minLength: 1, title: 'API client secret' }))),
  refreshToken: Type.Optional(
    Secret(Type.String({ minLength: 1, title: 'Refresh token', description: 'Non-expiring, for an ISU' })),
  ),
  pageSize: Type.Integer({ minimum: 1, maximum: 999, default: 100, title: 'Workers per page' }),
  departmentOrgType: Type.String({
    minLength: 1,
    default: 'Supervisory',
    title: 'Department organization type',
    description: 'The Organization_Type_ID read as the department, e.g. Supervisory or Cost_Center',
  }),
})
export type WorkdayConfig = Static<typeof WorkdayConfig>

const hasOAuth = (c: WorkdayConfig) => Boolean(c.clientId && c.clientSecret && c.refreshToken)
const servicesHost = (c: WorkdayConfig) => c.baseUrl.replace(/\/+$/, '')

/** The ISU credentials for the WS-Security header, unless the connection uses OAuth. */
function isuCredentials(c: WorkdayConfig): { username: string; password: string } | undefined {
  if (hasOAuth(c)) return undefined
  if (c.username && c.password) return { username: c.username, password: c.password }
  throw new ConnectorError(
    'invalid_config',
    'Give either username and password (Integration System User) or clientId, clientSecret and refreshToken (API client)',
    { keys: ['username', 'password', 'clientId', 'clientSecret', 'refreshToken'] },
  )
}

const workersUrl = (config: WorkdayConfig) =>
  `ccx/service/${config.tenant}/Human_Resources/${config.apiVersion}`

function workersRequest(ctx: ConnectorContext<WorkdayConfig>, page: number, count: number): string {
  const { config } = ctx
  return getWorkersRequest({
    version: config.apiVersion,
    page,
    count,
    asOf: ctx.now,
    isu: isuCredentials(config),
  })
}

async function fetchPage(ctx: ConnectorContext<WorkdayConfig>, page: number, count: number) {
  const { body } = await ctx.http.request<string>({
    method: 'POST',
    url: workersUrl(ctx.config),
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: workersRequest(ctx, page, count),
    responseType: 'text',
  })
  return parseWorkersPage(body)
}

/**
 * Workday-specific sentences for what a customer can fix. Workday answers a WS-Security login failure
 * with a SOAP fault and HTTP 500; the kit does not hand the fault text on, so a 500 on the very first
 * request of an ISU connection (no page read yet, in the check or the pull) is reported as the login
 * failure it almost always is.
 */
function explainError(
  error: ConnectorError,
  { config, pagesRead }: ErrorContext<WorkdayConfig>,
): ConnectorError | undefined {
  if (
    error.code === 'vendor_error' &&
    error.details?.status === 500 &&
    pagesRead === 0 &&
    !hasOAuth(config)
  ) {
    return reword(
      error,
      'Workday refused the first request with a SOAP fault (HTTP 500). For an Integration System User this means the user name (written ISU_name@tenant) or the password is wrong, or the tenant or services host does not belong to these credentials.',
      'invalid_credentials',
    )
  }
  switch (error.code) {
    case 'invalid_credentials':
      return hasOAuth(config)
        ? reword(
            error,
            'Workday rejected the API client. Check the client ID and secret under View API Clients, and generate a new refresh token for the Integration System User if it was revoked.',
          )
        : undefined
    case 'missing_scope':
      return reword(
        error,
        'Workday accepted the credentials but refused access to Get_Workers. Give the Integration System User’s security group Get access to the Worker Data domains, and activate the pending security policy changes.',
      )
    case 'unreachable':
      return reword(
        error,
        `Could not reach Workday at ${servicesHost(config)}. Use the web-services host shown by the Public Web Services report (wdN-services1… or wdN-impl-services1…), not the host of the Workday UI.`,
      )
    default:
      return undefined
  }
}

export default defineConnector({
  id: 'workday',
  name: 'Workday',
  apiVersion: 1,
  mode: 'pull',
  docsUrl:
    'https://community.workday.com/sites/default/files/file-hosting/productionapi/Human_Resources/v43.0/Get_Workers.html',
  config: WorkdayConfig,
  allowedHosts: ['*.workday.com', '*.myworkday.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param', // Exclude_Inactive_Workers=false
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // Get_Workers is a read-only POST; tenants throttle with 429/503 and large pages are slow
  http: { retryMethods: ['POST'], timeoutMs: 120_000 },
  baseUrl: servicesHost,
  auth: (c): AuthSpec =>
    hasOAuth(c)
      ? {
          type: 'oauth2-refresh-token',
          tokenUrl: `${servicesHost(c)}/ccx/oauth2/${c.tenant}/token`,
          clientId: c.clientId as string,
          clientSecret: c.clientSecret as string,
          refreshToken: c.refreshToken as string,
          credentialsIn: 'basic',
        }
      : { type: 'none' },

  explainError,

  async checkConnection(ctx: ConnectorContext<WorkdayConfig>) {
    const page = await fetchPage(ctx, 1, 1)
    const worker = page.workers[0]
    if (worker && !child(child(child(worker, 'Worker_Data'), 'Employment_Data'), 'Worker_Status_Data')) {
      throw new ConnectorError(
        'missing_scope',
        'Workday returned workers without their employment data. Give the Integration System User’s security group Get access to the Worker Data domains (Current Staffing Information, Employment Data, Organization Information, Work Contact Information).',
      )
    }
  },

  async *listEmployees(ctx: ConnectorContext<WorkdayConfig>) {
    const options = { now: ctx.now, departmentOrgType: ctx.config.departmentOrgType }
    // Workday ends the list by Total_Pages; asking for a page past it is not documented, so it is never done
    let last: { text: string; parsed: WorkersPage } | undefined
    const parsed = (text: string): WorkersPage => {
      if (last?.text !== text) last = { text, parsed: parseWorkersPage(text) }
      return last.parsed
    }
    for await (const workers of paginateSoapPages(ctx, {
      url: workersUrl(ctx.config),
      body: (page) => workersRequest(ctx, page, ctx.config.pageSize),
      items: (text) => parsed(text).workers,
      totalPages: (text) => parsed(text).totalPages,
    })) {
      yield mapRecords(workers, (worker) => toEmployee(worker, options), { identify })
    }
  },
})

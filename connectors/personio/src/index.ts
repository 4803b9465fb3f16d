import { mapRecords, paginateOffset } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, PERSONIO_STATUS, REQUIRED_ATTRIBUTES, toEmployee } from './mapping.js'
import type { AuthResponse, EmployeesPage } from './vendor.js'

export { identify, PERSONIO_STATUS, toEmployee } from './mapping.js'
export type { EmployeeRecord, EmployeesPage } from './vendor.js'

export const DEFAULT_BASE_URL = 'https://api.personio.de'

/**
 * The employee list's documented limits: 300 requests a minute, at most 15 in a second
 * (https://developer.personio.de/changelog/rate-limits-on-get-employees-endpoint-may-6-2024).
 */
export const REQUEST_LIMITS = [
  { requests: 300, seconds: 60 },
  { requests: 15, seconds: 1 },
]

/**
 * Pages requested ahead once the first page gives the total: one second's burst less the page being
 * read, so a second's worth of pages wait on their answers together.
 */
export const PAGES_AHEAD = 14

export const PersonioConfig = Type.Object({
  clientId: Type.String({
    minLength: 1,
    title: 'Client ID',
    description: 'Settings > Integrations > API credentials in Personio',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, title: 'Client Secret' })),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+/?$',
      default: DEFAULT_BASE_URL,
      title: 'API base URL',
      description: 'Only change this if Personio tells you to (e.g. https://api.personio.com)',
    }),
  ),
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 100, default: 100, title: 'Employees per request' }),
  ),
  partnerId: Type.Optional(Type.String({ title: 'Partner ID', description: 'Marketplace partners only' })),
  appId: Type.Optional(Type.String({ title: 'App ID', description: 'Marketplace partners only' })),
})
export type PersonioConfig = Static<typeof PersonioConfig>

/** Sent on every call when set, as Personio asks of marketplace partners. */
function partnerHeaders(config: PersonioConfig): Record<string, string> {
  return {
    ...(config.partnerId ? { 'X-Personio-Partner-ID': config.partnerId } : {}),
    ...(config.appId ? { 'X-Personio-App-ID': config.appId } : {}),
  }
}

function readPage(body: EmployeesPage): EmployeesPage['data'] {
  if (body?.success !== true || !Array.isArray(body.data)) {
    throw new ConnectorError(
      'malformed_response',
      'Personio answered the employee list without success and data',
    )
  }
  return body.data
}

export default defineConnector({
  id: 'personio',
  name: 'Personio',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://developer.personio.de/reference/get_company-employees',
  config: PersonioConfig,
  allowedHosts: ['api.personio.de', 'api.personio.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(PERSONIO_STATUS),
      incremental: false,
    },
  },
  http: { requestLimits: REQUEST_LIMITS },
  baseUrl: (config) => config.baseUrl ?? DEFAULT_BASE_URL,
  errorHints: {
    invalid_credentials:
      'Copy the Client ID and Client Secret again from Settings > Integrations > API credentials; a regenerated secret replaces the old one.',
    missing_scope:
      'Give the API credential read access to employee data (Personnel data) and whitelist the readable attributes listed in the setup guide.',
    unreachable: 'Check the API base URL.',
  },
  auth: (config) => ({
    type: 'token-exchange',
    // the token is valid for 24 hours and may be reused in parallel
    async exchange(http) {
      const { body } = await http.request<AuthResponse>({
        method: 'POST',
        url: '/v1/auth',
        headers: partnerHeaders(config),
        json: { client_id: config.clientId, client_secret: config.clientSecret },
      })
      const token = body?.data?.token
      if (body?.success !== true || typeof token !== 'string' || token === '') {
        throw new ConnectorError(
          'invalid_credentials',
          'Personio did not issue a token for these credentials',
        )
      }
      return { token, expiresInSeconds: 24 * 60 * 60 }
    },
  }),

  async checkConnection(ctx: ConnectorContext<PersonioConfig>) {
    const body = await ctx.http
      .request<EmployeesPage>({
        url: '/v1/company/employees',
        searchParams: { limit: 1, offset: 0 },
        headers: partnerHeaders(ctx.config),
      })
      .then((response) => response.body)
    const [first] = readPage(body)
    const missing = first ? REQUIRED_ATTRIBUTES.filter((name) => !(name in (first.attributes ?? {}))) : []
    if (missing.length > 0) {
      throw new ConnectorError(
        'missing_scope',
        `Personio lets these credentials read employees but not the attributes ${missing.join(', ')}. Whitelist them as readable on the API credential.`,
        { missing },
      )
    }
  },

  async *listEmployees(ctx: ConnectorContext<PersonioConfig>) {
    const seen = new Set<string>()
    for await (const records of paginateOffset(ctx, {
      url: '/v1/company/employees',
      limit: ctx.config.pageSize ?? 100,
      headers: partnerHeaders(ctx.config),
      items: readPage,
      total: (body: EmployeesPage) => body.metadata?.total_elements,
      fetchAhead: PAGES_AHEAD,
    })) {
      for (const record of records) {
        for (const name of Object.keys(record.attributes ?? {})) seen.add(name)
      }
      yield mapRecords(records, (record) => toEmployee(record, ctx.now), { identify })
    }
    const missing = seen.size > 0 ? REQUIRED_ATTRIBUTES.filter((name) => !seen.has(name)) : []
    if (missing.length > 0) {
      ctx.log.warn(
        `Personio never returned the attributes ${missing.join(', ')}: whitelist them on the API credential`,
      )
    }
  },
})

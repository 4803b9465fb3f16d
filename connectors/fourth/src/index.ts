import { mapRecords, paginateScim, rewordByCode } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, HostPart, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, STATUS, toEmployee } from './mapping.js'
import type { ListResponse, ScimUser } from './vendor.js'

export { STATUS, toEmployee, workEmail } from './mapping.js'
export { ENTERPRISE, type ListResponse, type ScimUser } from './vendor.js'

export const DEFAULT_TOKEN_URL = 'https://api.fourth.com/oauth/connect/token'

export const FourthConfig = Type.Object({
  clientId: Type.String({
    minLength: 1,
    title: 'OAuth client ID',
    description: 'Issued by Fourth for this customer and environment',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, title: 'OAuth client secret' })),
  scimBaseUrl: HostPart(
    Type.String({
      pattern: '^https://[^/]+(/.*)?$',
      title: 'SCIM root URL',
      description: 'The root URL Fourth gives for the test or live environment, without /Users',
    }),
  ),
  tokenUrl: Type.Optional(
    Type.String({ pattern: '^https://', default: DEFAULT_TOKEN_URL, title: 'OAuth token URL' }),
  ),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, default: 100, title: 'Users per request (count)' })),
})
export type FourthConfig = Static<typeof FourthConfig>

/** Fourth-specific sentences for what a customer can fix themselves. */
const explainError = rewordByCode<FourthConfig>({
  invalid_credentials: () =>
    'Fourth rejected the OAuth client ID and secret. Check them against what Fourth issued for this customer; test and live environments have different credentials.',
  missing_scope: () =>
    "Fourth accepted the credentials but does not let them read this customer's users. The OAuth client needs the scim scope for this customer: ask the Fourth customer to request it from Fourth.",
  unreachable: (error) => `${error.message}. Check the SCIM root URL Fourth gave for this environment.`,
  vendor_error: (error, { config }) =>
    error.details?.status === 404
      ? `Fourth has no SCIM Users list at ${config.scimBaseUrl.replace(/\/+$/, '')}/Users (HTTP 404). The SCIM root URL must end just before /Users.`
      : undefined,
})

function resources(body: ListResponse): ScimUser[] {
  if (!Array.isArray(body?.Resources) && body?.totalResults !== 0) {
    throw new ConnectorError('malformed_response', 'Fourth answered the Users list without Resources')
  }
  return body.Resources ?? []
}

/** SCIM index paging: 1-based `startIndex`; the end is `totalResults`, never a short page (RFC 7644 §3.4.2.4). */
function users(ctx: ConnectorContext<FourthConfig>): AsyncGenerator<ScimUser[]> {
  return paginateScim<ScimUser>(ctx, { url: 'Users', count: ctx.config.pageSize ?? 100, vendor: 'Fourth' })
}

export default defineConnector({
  id: 'fourth',
  name: 'Fourth',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://developer.fourth.com/en-gb/docs/fourth-account-scim-api/guide',
  config: FourthConfig,
  // Fourth gives each customer the SCIM root URL privately; only the token host is published, so an operator
  // may add a customer's root host (HRSYNC_ALLOWED_HOSTS_FOURTH)
  allowedHosts: ['api.fourth.com', '*.fourth.com'],
  allowedHostsExtensible: true,
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      // the Fourth Account SCIM API returns identity data only: no manager
      managerRef: 'none',
      statuses: Object.keys(STATUS),
      incremental: false,
      // SCIM users carry an `active` flag, no employment dates
      terminationDates: 'none',
    },
  },
  baseUrl: (config) => config.scimBaseUrl,
  auth: (config) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: config.tokenUrl ?? DEFAULT_TOKEN_URL,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scope: 'scim',
  }),

  explainError,

  async checkConnection(ctx: ConnectorContext<FourthConfig>) {
    const { body } = await ctx.http.request<ListResponse>({
      url: 'Users',
      searchParams: { startIndex: 1, count: 1 },
    })
    resources(body)
  },

  async *listEmployees(ctx: ConnectorContext<FourthConfig>) {
    for await (const page of users(ctx)) {
      yield mapRecords(page, toEmployee, { identify })
    }
  },
})

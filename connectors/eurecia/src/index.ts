import { fetchDetails, mapRecords, paginateCursor } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { departmentNames, identify, STATUS, toEmployee } from './mapping.js'
import { exchangeApiKey } from './session.js'
import type { DepartmentTree, UserRecord, UserSummary, UsersPage } from './vendor.js'

export {
  DEFAULT_TIME_ZONE,
  departmentNames,
  identify,
  localDate,
  STATUS,
  toEmployee,
  userState,
} from './mapping.js'
export type { DepartmentTree, UserRecord, UsersPage } from './vendor.js'

export const DEFAULT_BASE_URL = 'https://api.eurecia.com'
/** Detail calls in flight at once; Eurécia publishes no rate limit, so stay gentle. */
const DETAIL_CONCURRENCY = 4

export const EureciaConfig = Type.Object({
  apiToken: Secret(
    Type.String({
      minLength: 1,
      title: 'API key',
      description:
        "The key generated on an administrator's employee record in Eurécia (Administration tab); it has that user's rights",
    }),
  ),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+\\.eurecia\\.com/?$',
      default: DEFAULT_BASE_URL,
      title: 'API host',
      description: 'Only change this if Eurécia gave your company its own API host',
    }),
  ),
})
export type EureciaConfig = Static<typeof EureciaConfig>
type Context = ConnectorContext<EureciaConfig>

function content(body: UsersPage | null): UserSummary[] {
  if (!Array.isArray(body?.content)) {
    throw new ConnectorError('malformed_response', 'Eurécia answered the user list without a content list')
  }
  return body.content
}

/** Spring Data pages: the next page exists until `last`, or until `totalPages` is reached. */
function nextPage(body: UsersPage | null): string | null {
  if (!body || body.last === true) return null
  const next = body.number + 1
  return Number.isInteger(next) && next < body.totalPages ? String(next) : null
}

async function* users(ctx: Context) {
  const departments = departmentNames(
    (await ctx.http.request<DepartmentTree>({ url: 'v4/departments' })).body,
  )
  // the list gives no dates and no manager: read it whole, then one detail call per user, in list order
  const pages: UserSummary[][] = []
  for await (const page of paginateCursor<UserSummary, UsersPage | null>(ctx, {
    url: 'v4/users',
    searchParams: { page: 0 },
    cursorParam: 'page',
    items: content,
    next: nextPage,
  })) {
    pages.push(page)
  }
  for (const page of pages) {
    const records = await fetchDetails(ctx, page, {
      concurrency: DETAIL_CONCURRENCY,
      fetch: async (summary) => {
        const { body } = await ctx.http.request<UserRecord>({
          url: `v4/users/${encodeURIComponent(summary.id)}`,
        })
        return body
      },
    })
    yield mapRecords(records, (record) => toEmployee(record, departments, ctx.now), { identify })
  }
}

export default defineConnector({
  id: 'eurecia',
  name: 'Eurécia',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://api.eurecia.com/eurecia/fw/swagger/index.html',
  config: EureciaConfig,
  allowedHosts: ['api.eurecia.com', '*.eurecia.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (config) => `${(config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}/eurecia/rest`,
  auth: (config) => ({
    type: 'token-exchange',
    header: { name: 'token' },
    exchange: (http) => exchangeApiKey(http, config.apiToken),
  }),
  errorHints: {
    missing_scope:
      "The key has the rights of the employee it was generated for: generate it on an administrator's record (Administration tab).",
    unreachable: 'Check the API host.',
  },

  async checkConnection(ctx: Context) {
    const { body } = await ctx.http.request<UsersPage>({ url: 'v4/users', searchParams: { page: 0 } })
    content(body)
  },

  async *listEmployees(ctx: Context) {
    yield* users(ctx)
  },
})

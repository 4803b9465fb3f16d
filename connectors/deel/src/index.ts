import { mapRecords, paginateOffset } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type EmployeePage,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type DeelPerson, identify, STATUS, toEmployee } from './mapping.js'

export { identify, STATUS, toEmployee, workEmail } from './mapping.js'

export const DEFAULT_BASE_URL = 'https://api.letsdeel.com/rest/v2'

const config = Type.Object({
  apiToken: Secret(
    Type.String({
      minLength: 1,
      description: 'Organization API token with the people:read scope (Developer > Access tokens)',
    }),
  ),
  baseUrl: Type.String({
    default: DEFAULT_BASE_URL,
    pattern: '^https://(api\\.letsdeel\\.com|api-sandbox\\.demo\\.deel\\.com)/rest(/v2)?/?$',
    description:
      'https://api.letsdeel.com/rest/v2, or https://api-sandbox.demo.deel.com/rest/v2 for the sandbox',
  }),
  pageSize: Type.Integer({
    default: 50,
    minimum: 1,
    maximum: 200,
    description: 'People per page (`limit`, at most 200)',
  }),
})
type DeelConfig = Static<typeof config>
type Context = ConnectorContext<DeelConfig>

/** `GET /people`: offset/limit pages with the running total in `page`. */
interface PeoplePage {
  data?: DeelPerson[]
  page?: { offset?: number; total_rows?: number; items_per_page?: number }
}

function people(body: PeoplePage | null): DeelPerson[] {
  if (!Array.isArray(body?.data)) {
    throw new ConnectorError('malformed_response', 'Deel answered the people list without a data array')
  }
  return body.data
}

async function* personPages(ctx: Context): AsyncGenerator<EmployeePage> {
  for await (const page of paginateOffset<DeelPerson, PeoplePage | null>(ctx, {
    url: 'people',
    limit: ctx.config.pageSize,
    items: people,
    total: (body) => body?.page?.total_rows,
  })) {
    yield mapRecords(page, (record) => toEmployee(record, ctx.now), { identify })
  }
}

export default defineConnector({
  id: 'deel',
  name: 'Deel',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/deel#readme',
  config,
  allowedHosts: ['api.letsdeel.com', 'api-sandbox.demo.deel.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // 5 requests a second per organization, shared by all its tokens, and no rate-limit headers
  // (https://developer.deel.com/api/rate-limits)
  http: { requestsPerSecond: 4 },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'bearer', token: cfg.apiToken }),
  errorHints: {
    invalid_credentials:
      'Use an organization token from More > Developer > Access tokens; a deleted or expired token stops working at once.',
    missing_scope:
      'The token needs the people:read scope, and a personal token only sees what its user sees: use an organization token.',
  },
  async checkConnection(ctx) {
    const { body } = await ctx.http.request<PeoplePage>({
      url: 'people',
      searchParams: { limit: 1, offset: 0 },
    })
    people(body)
  },
  async *listEmployees(ctx) {
    yield* personPages(ctx)
  },
})

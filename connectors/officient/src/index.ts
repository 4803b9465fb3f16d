import { mapRecords, paginatePage } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  identify,
  type OfficientListPerson,
  type OfficientPersonDetail,
  STATUS,
  toEmployee,
} from './mapping.js'

export { STATUS } from './mapping.js'

const config = Type.Object({
  clientId: Type.String({
    minLength: 1,
    description:
      'Client id of the app registered in Officient (account menu → Developers → Register a new app)',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, description: "The Officient app's client secret" })),
  refreshToken: Secret(
    Type.String({
      minLength: 1,
      description: 'Refresh token from the one-time authorization of the app by an Officient admin',
    }),
  ),
  baseUrl: Type.String({
    default: 'https://api.officient.io/1.0',
    pattern: '^https://',
    description: 'Officient API base URL, version included',
  }),
})
type OfficientConfig = Static<typeof config>

interface PeoplePage {
  data?: OfficientListPerson[]
  total_record_count?: number
}

const base = (cfg: OfficientConfig) => cfg.baseUrl.replace(/\/+$/, '')

/** A person of the list with the detail the list leaves out (dates, manager, team). */
interface ListedPerson {
  item: OfficientListPerson
  detail: OfficientPersonDetail
}

async function withDetail(
  ctx: ConnectorContext<OfficientConfig>,
  item: OfficientListPerson,
): Promise<ListedPerson> {
  const { body } = await ctx.http.request<{ data?: OfficientPersonDetail }>({
    url: `people/${encodeURIComponent(String(item.id))}/detail`,
  })
  if (!body?.data) {
    throw new ConnectorError('malformed_response', `Officient's detail of person ${item.id} has no data`)
  }
  return { item, detail: body.data }
}

export default defineConnector({
  id: 'officient',
  name: 'Officient',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/officient#readme',
  config,
  allowedHosts: ['api.officient.io'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // 30 calls every 5 seconds (https://apidocs.officient.io/docs/rate-limiting)
  http: { requestsPerSecond: 6 },
  baseUrl: base,
  // the reference documents a JSON body for POST /1.0/token; a refresh that answers a new refresh token
  // hands it to the runner through onCredentialsChanged
  auth: (cfg) => ({
    type: 'oauth2-refresh-token',
    tokenUrl: `${base(cfg)}/token`,
    clientId: cfg.clientId,
    clientSecret: cfg.clientSecret,
    refreshToken: cfg.refreshToken,
    bodyFormat: 'json',
  }),
  errorHints: {
    invalid_credentials:
      "Officient needs the app's client id and secret and a refresh token from authorizing that app; an app that is not verified by Officient only works on its own account.",
    missing_scope:
      'Give the Officient app the Read permission (account menu → Developers → the app → Permissions) and authorize it again.',
  },
  async checkConnection(ctx) {
    await ctx.http.request<PeoplePage>({ url: 'people/list', searchParams: { page: 0 } })
  },
  async *listEmployees(ctx) {
    let seen = 0
    let page = -1
    // the page size is fixed by Officient (30) and not sent; an empty page or total_record_count ends the list
    const pages = paginatePage<OfficientListPerson, PeoplePage | null>(ctx, {
      url: 'people/list',
      searchParams: { include_archived: 1 },
      firstPage: 0,
      pageSizeParam: null,
      items: (body) => {
        page++
        if (!Array.isArray(body?.data)) {
          throw new ConnectorError(
            'malformed_response',
            `Officient's people list page ${page} has no data array`,
          )
        }
        return body.data
      },
      hasMore: (body, people) => {
        seen += people.length
        const total = body?.total_record_count
        return people.length > 0 && !(typeof total === 'number' && seen >= total)
      },
    })
    for await (const people of pages) {
      // one detail request at a time, in list order
      const listed: ListedPerson[] = []
      for (const item of people) listed.push(await withDetail(ctx, item))
      yield mapRecords(listed, ({ item, detail }) => toEmployee(item, detail, ctx.now), {
        identify: ({ item, detail }) => identify(item, detail),
      })
    }
  },
})

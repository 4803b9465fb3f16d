import { mapRecords, paginateOffset } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  HostPart,
  isConnectorError,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { FIELDS, identify, type LuccaUser, STATUS, toEmployee } from './mapping.js'

export { contractState, FIELDS, STATUS } from './mapping.js'

/** Lucca aborts a request past 5 seconds; a page of 250 users keeps well inside it on large tenants. */
const DEFAULT_PAGE_SIZE = 250

const config = Type.Object({
  apiKey: Secret(
    Type.String({ minLength: 1, description: 'API key created in Lucca (settings → API keys)' }),
  ),
  baseUrl: HostPart(
    Type.String({
      pattern: '^https://[^/]+\\.ilucca(-test|-demo)?\\.(net|ch)/?$',
      description: 'Your Lucca instance, e.g. https://acme.ilucca.net',
    }),
  ),
  pageSize: Type.Integer({
    default: DEFAULT_PAGE_SIZE,
    minimum: 1,
    maximum: 1000,
    description: 'Users per page (at most 1000); halved for the rest of a sync when Lucca takes too long',
  }),
})
type LuccaConfig = Static<typeof config>

interface UsersPage {
  data?: { items?: LuccaUser[] }
}

/** `paging` is one parameter, `offset,limit`; commas stay unencoded as in Lucca's own examples. */
function usersUrl(offset: number, limit: number): string {
  return `api/v3/users?formerEmployees=true&fields=${FIELDS.join(',')}&paging=${offset},${limit}`
}

/** Lucca's answer to a request that ran past 5 seconds (https://developers.lucca.fr/documentation/limits). */
function timedOut(error: unknown): boolean {
  return isConnectorError(error) && error.details?.status === 408
}

const items = (body: UsersPage | null, offset: number): LuccaUser[] => {
  const list = body?.data?.items
  if (!Array.isArray(list)) {
    throw new ConnectorError(
      'malformed_response',
      `Lucca's users page at offset ${offset} has no data.items list`,
    )
  }
  return list
}

export default defineConnector({
  id: 'lucca',
  name: 'Lucca',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/lucca#readme',
  config,
  allowedHosts: [
    '*.ilucca.net',
    '*.ilucca-test.net',
    '*.ilucca-demo.net',
    '*.ilucca.ch',
    '*.ilucca-test.ch',
    '*.ilucca-demo.ch',
  ],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // Lucca allows 50 requests a minute per instance (https://developers.lucca.fr/documentation/limits):
  // at 250 users a page, halved after a 408, 10,000 people take 41 requests; a 429 is retried after
  // the wait Lucca asks for
  baseUrl: (cfg: LuccaConfig) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'header', name: 'authorization', value: `lucca application=${cfg.apiKey}` }),
  errorHints: {
    invalid_credentials:
      'Lucca did not recognise the API key for this instance; check the key and the instance URL.',
    missing_scope:
      "The API key's role must be allowed to see co-workers, including future and former employees, their department, job and manager (Lucca: role administration → the key's role).",
  },
  async checkConnection(ctx) {
    const { body } = await ctx.http.request<UsersPage>({ url: usersUrl(0, 1) })
    items(body, 0)
  },
  async *listEmployees(ctx) {
    let limit = ctx.config.pageSize
    let read = 0
    for (;;) {
      try {
        for await (const users of usersFrom(ctx, read, limit)) {
          read += users.length
          yield mapRecords(users, (user) => toEmployee(user, ctx.now), { identify })
        }
        return
      } catch (error) {
        // a page Lucca aborted after 5 seconds is read again at half the size, and so is the rest
        if (!timedOut(error) || limit === 1) throw error
        limit = Math.ceil(limit / 2)
        ctx.log.warn(`Lucca aborted a page of users after 5 seconds; reading ${limit} a page from now on`)
      }
    }
  },
})

/** The users from `start` on, `limit` a page. */
function usersFrom(ctx: ConnectorContext<LuccaConfig>, start: number, limit: number) {
  let offset = start
  return paginateOffset<LuccaUser, UsersPage | null>(ctx, {
    url: 'api/v3/users',
    searchParams: { formerEmployees: 'true', fields: FIELDS.join(',') },
    limit,
    startOffset: start,
    // `paging` is one parameter, `offset,limit`; the kit leaves its comma unencoded
    params: (at, size) => {
      offset = at
      return { paging: `${at},${size}` }
    },
    items: (body) => items(body, offset),
  })
}

import { mapRecords, paginatePage, rewordByCode } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  type ActiveEmployee,
  identify,
  mapActive,
  mapTerminated,
  STATUS,
  type TerminatedEmployee,
} from './mapping.js'

export {
  type ActiveEmployee,
  identify,
  mapActive,
  mapTerminated,
  type SageHrStatus,
  STATUS,
  type TerminatedEmployee,
} from './mapping.js'

export const SageHrConfig = Type.Object({
  subdomain: HostPart(
    Type.String({
      pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
      title: 'Subdomain',
      description: 'The acme in https://acme.sage.hr',
    }),
  ),
  apiKey: Secret(
    Type.String({
      minLength: 1,
      title: 'API key',
      description: 'Settings > Integrations > API, after "Enable API access"',
    }),
  ),
})
export type SageHrConfig = Static<typeof SageHrConfig>

/** Every Sage HR list answers with `data` and this `meta`; the server fixes the page size. */
interface ListPage<T> {
  data?: T[]
  meta?: { current_page?: number; next_page?: number | null; total_pages?: number }
}

/** The next page number, or nothing on the last page. */
function nextPage(body: ListPage<unknown>): string | undefined {
  const meta = body?.meta
  if (!meta || meta.next_page === null || meta.next_page === undefined) return undefined
  if (
    meta.current_page !== undefined &&
    meta.total_pages !== undefined &&
    meta.current_page >= meta.total_pages
  )
    return undefined
  return String(meta.next_page)
}

function pages<T>(ctx: ConnectorContext<SageHrConfig>, url: string) {
  return paginatePage<T, ListPage<T>>(ctx, {
    url,
    // the server fixes the page size: none is sent
    pageSizeParam: null,
    items: (body) => {
      if (!Array.isArray(body?.data))
        throw new ConnectorError('malformed_response', `Sage HR answered ${url} without a data list`)
      return body.data
    },
    hasMore: (body) => nextPage(body) !== undefined,
  })
}

/** The page without the employees an earlier page already gave: a person on both lists is kept once. */
function firstListed<P extends { employees: Employee[] }>(page: P, seen: Set<string>): P {
  const employees = page.employees.filter((person) => !seen.has(person.remoteId))
  for (const person of employees) seen.add(person.remoteId)
  return { ...page, employees }
}

/** Sage HR-specific sentences for what a customer can fix. */
const explainError = rewordByCode<SageHrConfig>({
  invalid_credentials: () =>
    'Sage HR rejected the API key. Copy it again from Settings > Integrations > API; turning API access off and on again issues new keys and the old one stops working.',
  missing_scope: () =>
    'Sage HR accepted the API key but refused to list employees. Use the key of an administrator who can see every employee.',
  unreachable: (_error, { config }) =>
    `Could not reach Sage HR at ${config.subdomain}.sage.hr. Check the subdomain: it is the first part of the address you use to sign in.`,
})

export default defineConnector({
  id: 'sage-hr',
  name: 'Sage HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://developer.sage.com/hr/reference/',
  config: SageHrConfig,
  allowedHosts: ['{subdomain}.sage.hr'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
      // only terminated employees carry a termination_date: no planned last day for someone still employed
      terminationDates: 'past',
    },
  },
  baseUrl: (c) => `https://${c.subdomain}.sage.hr/api`,
  auth: (c) => ({ type: 'header', name: 'X-Auth-Token', value: c.apiKey }),

  explainError,

  async checkConnection(ctx: ConnectorContext<SageHrConfig>) {
    const { body } = await ctx.http.request<ListPage<ActiveEmployee>>({
      url: 'employees',
      searchParams: { page: 1 },
    })
    if (!Array.isArray(body?.data)) {
      throw new ConnectorError('malformed_response', 'Sage HR answered the employee list without a data list')
    }
  },

  async *listEmployees(ctx: ConnectorContext<SageHrConfig>) {
    const seen = new Set<string>()
    // the active list has team and manager; leavers are only on the terminated list
    for await (const records of pages<ActiveEmployee>(ctx, 'employees')) {
      yield firstListed(
        mapRecords(records, (record) => mapActive(record, ctx.now), { identify }),
        seen,
      )
    }
    for await (const records of pages<TerminatedEmployee>(ctx, 'terminated-employees')) {
      yield firstListed(mapRecords(records, mapTerminated, { identify }), seen)
    }
  },
})

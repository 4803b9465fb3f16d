import { paginatePage } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  HostPart,
  isConnectorError,
  Secret,
  type SkippedPerson,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  type ActiveEmployee,
  type Mapped,
  mapActive,
  mapTerminated,
  STATUS,
  type TerminatedEmployee,
} from './mapping.js'

export {
  type ActiveEmployee,
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

function split(results: Mapped[], seen: Set<string>): { employees: Employee[]; skipped: SkippedPerson[] } {
  const employees: Employee[] = []
  const skipped: SkippedPerson[] = []
  for (const result of results) {
    if ('skipped' in result) skipped.push(result.skipped)
    else if (!seen.has(result.employee.remoteId)) {
      seen.add(result.employee.remoteId)
      employees.push(result.employee)
    }
  }
  return { employees, skipped }
}

/** Sage HR-specific sentences for what a customer can fix. */
function explain(error: unknown, config: SageHrConfig): unknown {
  if (!isConnectorError(error)) return error
  const again = (code: 'invalid_credentials' | 'missing_scope' | 'unreachable', message: string) =>
    new ConnectorError(code, message, error.details, { cause: error })
  switch (error.code) {
    case 'invalid_credentials':
      return again(
        'invalid_credentials',
        'Sage HR rejected the API key. Copy it again from Settings > Integrations > API; turning API access off and on again issues new keys and the old one stops working.',
      )
    case 'missing_scope':
      return again(
        'missing_scope',
        'Sage HR accepted the API key but refused to list employees. Use the key of an administrator who can see every employee.',
      )
    case 'unreachable':
      return again(
        'unreachable',
        `Could not reach Sage HR at ${config.subdomain}.sage.hr. Check the subdomain: it is the first part of the address you use to sign in.`,
      )
    default:
      return error
  }
}

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

  async checkConnection(ctx: ConnectorContext<SageHrConfig>) {
    try {
      const { body } = await ctx.http.request<ListPage<ActiveEmployee>>({
        url: 'employees',
        searchParams: { page: 1 },
      })
      if (!Array.isArray(body?.data)) {
        throw new ConnectorError(
          'malformed_response',
          'Sage HR answered the employee list without a data list',
        )
      }
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },

  async *listEmployees(ctx: ConnectorContext<SageHrConfig>) {
    const seen = new Set<string>()
    try {
      // the active list has team and manager; leavers are only on the terminated list
      for await (const records of pages<ActiveEmployee>(ctx, 'employees')) {
        yield split(
          records.map((record) => mapActive(record, ctx.now)),
          seen,
        )
      }
      for await (const records of pages<TerminatedEmployee>(ctx, 'terminated-employees')) {
        yield split(records.map(mapTerminated), seen)
      }
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },
})

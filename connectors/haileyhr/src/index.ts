import { inPages } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  isConnectorError,
  Secret,
  type SkippedPerson,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { isSkipped, type Lookups, STATUS, toEmployee } from './mapping.js'
import type { Company, EmployeeListItem, Named } from './vendor.js'

export { type Lookups, STATUS, toEmployee } from './mapping.js'
export type { Company, EmployeeListItem, Named } from './vendor.js'

export const DEFAULT_BASE_URL = 'https://api.haileyhr.app'
/** Hailey answers the whole company at once; hrsync hands it on in pages of this size. */
export const PAGE_SIZE = 25

export const HaileyConfig = Type.Object({
  apiKey: Secret(
    Type.String({
      minLength: 1,
      title: 'Personal access token',
      description: 'Generated in Hailey HR under your profile > Access tokens',
    }),
  ),
  baseUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+/?$',
      default: DEFAULT_BASE_URL,
      title: 'API base URL',
      description: 'https://api.demo.haileyhr.app for a token of the demo environment',
    }),
  ),
})
export type HaileyConfig = Static<typeof HaileyConfig>

/** Hailey-specific sentences that name the API host; the other hints are errorHints. */
function explain(error: unknown, config: HaileyConfig): unknown {
  if (!isConnectorError(error)) return error
  const host = config.baseUrl ?? DEFAULT_BASE_URL
  const rewrite = (message: string) =>
    new ConnectorError(error.code, message, error.details, { cause: error })
  switch (error.code) {
    case 'invalid_credentials':
      return rewrite(
        `Hailey HR rejected the access token at ${host}. Tokens expire after a year and belong to one environment: a token of the demo environment only works with https://api.demo.haileyhr.app. Generate a new one under your profile > Access tokens.`,
      )
    case 'vendor_error':
      if (error.details?.status !== 404) return error
      // the documented answer when the token's company or its employees cannot be found
      return rewrite(
        `Hailey HR found no company or no employees for this access token at ${host} (HTTP 404). Check that the token belongs to this environment.`,
      )
    default:
      return error
  }
}

function lookup(items: Named[] | null | undefined): Map<string, string> {
  return new Map(
    (items ?? []).flatMap((item) => (item.id && item.name ? [[item.id, item.name] as const] : [])),
  )
}

async function readEmployees(ctx: ConnectorContext<HaileyConfig>): Promise<EmployeeListItem[]> {
  const { body } = await ctx.http.request<EmployeeListItem[]>({ url: '/Employees' })
  if (!Array.isArray(body)) {
    throw new ConnectorError(
      'malformed_response',
      'Hailey HR answered /Employees without a list of employees',
    )
  }
  return body
}

export default defineConnector({
  id: 'haileyhr',
  name: 'Hailey HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://api.haileyhr.app/docs/index.html',
  config: HaileyConfig,
  allowedHosts: ['api.haileyhr.app', 'api.demo.haileyhr.app'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // /Employees has no paging: a large company arrives in one long answer
  http: { timeoutMs: 120_000 },
  baseUrl: (config) => config.baseUrl ?? DEFAULT_BASE_URL,
  auth: (config) => ({ type: 'bearer', token: config.apiKey }),

  errorHints: {
    missing_scope:
      'The token has the rights of the user who generated it: generate it as an administrator, or as a user allowed to see all employees.',
    unreachable: 'Check the API base URL and that outbound HTTPS to Hailey HR is allowed.',
  },
  async checkConnection(ctx: ConnectorContext<HaileyConfig>) {
    const people = await readEmployees(ctx).catch((error: unknown) => {
      throw explain(error, ctx.config)
    })
    // a user without the right to see employment data gets the list without status and dates
    const blind =
      people.length > 0 && people.every((p) => p.employmentStatus == null && p.dateOfJoining == null)
    if (blind) {
      throw new ConnectorError(
        'missing_scope',
        'Hailey HR lists the employees for this access token but without their employment status or dates. Generate the token as a user allowed to see employment data of all employees.',
      )
    }
  },

  async *listEmployees(ctx: ConnectorContext<HaileyConfig>) {
    let lookups: Lookups
    let people: EmployeeListItem[]
    try {
      const { body: company } = await ctx.http.request<Company>({ url: '/Company' })
      lookups = { departments: lookup(company?.departments), titles: lookup(company?.titles) }
      people = await readEmployees(ctx)
    } catch (error) {
      throw explain(error, ctx.config)
    }
    for (const page of inPages(people, PAGE_SIZE)) {
      const employees: Employee[] = []
      const skipped: SkippedPerson[] = []
      for (const person of page) {
        const mapped = toEmployee(person, lookups, ctx.now)
        if (isSkipped(mapped)) skipped.push(mapped)
        else employees.push(mapped)
      }
      yield { employees, skipped }
    }
  },
})

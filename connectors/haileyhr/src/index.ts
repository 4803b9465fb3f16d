import { inPages, mapRecords, rewordByCode } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, type Lookups, STATUS, toEmployee } from './mapping.js'
import type { Company, EmployeeListItem, Named } from './vendor.js'

export { identify, type Lookups, STATUS, toEmployee } from './mapping.js'
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
const explainError = rewordByCode<HaileyConfig>({
  invalid_credentials: (_error, { config }) =>
    `Hailey HR rejected the access token at ${apiHost(config)}. Tokens expire after a year and belong to one environment: a token of the demo environment only works with https://api.demo.haileyhr.app. Generate a new one under your profile > Access tokens.`,
  // the documented answer when the token's company or its employees cannot be found
  vendor_error: (error, { config }) =>
    error.details?.status === 404
      ? `Hailey HR found no company or no employees for this access token at ${apiHost(config)} (HTTP 404). Check that the token belongs to this environment.`
      : undefined,
})

function apiHost(config: HaileyConfig): string {
  return config.baseUrl ?? DEFAULT_BASE_URL
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
  baseUrl: apiHost,
  auth: (config) => ({ type: 'bearer', token: config.apiKey }),

  errorHints: {
    missing_scope:
      'The token has the rights of the user who generated it: generate it as an administrator, or as a user allowed to see all employees.',
    unreachable: 'Check the API base URL and that outbound HTTPS to Hailey HR is allowed.',
  },
  explainError,
  async checkConnection(ctx: ConnectorContext<HaileyConfig>) {
    const people = await readEmployees(ctx)
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
    const { body: company } = await ctx.http.request<Company>({ url: '/Company' })
    const lookups: Lookups = { departments: lookup(company?.departments), titles: lookup(company?.titles) }
    const people = await readEmployees(ctx)
    for (const page of inPages(people, PAGE_SIZE)) {
      yield mapRecords(page, (person) => toEmployee(person, lookups, ctx.now), { identify })
    }
  },
})

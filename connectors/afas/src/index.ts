import { mapRecords, paginateOffset, reword } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type ErrorContext,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, onePerEmployee, REQUIRED_FIELDS, STATUS, toEmployee } from './mapping.js'
import type { EmployeeRow, GetConnectorMetainfo, GetConnectorPage } from './vendor.js'

export {
  employmentState,
  identify,
  onePerEmployee,
  REQUIRED_FIELDS,
  STATUS,
  surname,
  toEmployee,
} from './mapping.js'
export type { EmployeeRow, GetConnectorMetainfo, GetConnectorPage } from './vendor.js'

/** The REST host of each kind of Profit environment. */
export const ENVIRONMENT_HOSTS = {
  production: 'rest',
  test: 'resttest',
  accept: 'restaccept',
} as const

export const AfasConfig = Type.Object({
  environmentId: HostPart(
    Type.String({
      pattern: '^\\d+$',
      title: 'Environment number',
      description: 'The digits of your Profit environment: 12345 for O12345AA',
    }),
  ),
  environmentType: Type.Optional(
    Type.Union(
      Object.keys(ENVIRONMENT_HOSTS).map((type) => Type.Literal(type as keyof typeof ENVIRONMENT_HOSTS)),
      { default: 'production', title: 'Environment type' },
    ),
  ),
  token: Secret(
    Type.String({
      minLength: 1,
      title: 'App Connector token',
      description: 'The user token of the App Connector: the value inside <data>, or the whole <token> XML',
    }),
  ),
  connectorId: Type.String({
    pattern: '^[A-Za-z0-9_]+$',
    title: 'GetConnector',
    description: 'The id of the GetConnector built for hrsync, as added to the App Connector',
  }),
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, default: 100, title: 'Rows per request' }),
  ),
})
export type AfasConfig = Static<typeof AfasConfig>
type Context = ConnectorContext<AfasConfig>

/** The AfasToken header value: the token XML, base64-encoded as UTF-8. */
export function afasTokenHeader(token: string): string {
  const trimmed = token.trim()
  const xml = trimmed.startsWith('<token>')
    ? trimmed
    : `<token><version>1</version><data>${trimmed}</data></token>`
  return `AfasToken ${Buffer.from(xml, 'utf8').toString('base64')}`
}

function rows(body: GetConnectorPage | null): EmployeeRow[] {
  if (!Array.isArray(body?.rows)) {
    throw new ConnectorError('malformed_response', 'AFAS answered the GetConnector without rows')
  }
  return body.rows
}

/**
 * AFAS-specific sentences that name the environment and GetConnector, or depend on the status; the kit already
 * quotes Profit's own `externalMessage`, and adds the unreachable hint (errorHints).
 */
function explainError(
  error: ConnectorError,
  { config }: ErrorContext<AfasConfig>,
): ConnectorError | undefined {
  const status = error.details?.status
  switch (error.code) {
    case 'invalid_credentials':
      return reword(
        error,
        `AFAS refused the token for environment ${config.environmentId} (HTTP 401). Check the token (copy it whole; Profit shows it only once), the environment number and type, and that GetConnector ${config.connectorId} is added to the App Connector.`,
      )
    case 'missing_scope':
      if (status !== 403) return undefined
      return reword(
        error,
        'AFAS refused access (HTTP 403): the App Connector may be restricted to other IP addresses. Allow the addresses hrsync calls from, or lift the restriction.',
      )
    case 'vendor_error':
      if (status === 404) {
        return reword(
          error,
          `AFAS does not know GetConnector ${config.connectorId} in environment ${config.environmentId} (HTTP 404). Check its id and the environment type.`,
        )
      }
      if (status === 500) {
        // Profit answers 500 for functional errors; the details are in the Profit log
        return reword(
          error,
          `${error.message}. Profit uses this answer for functional errors, such as GetConnector ${config.connectorId} not being added to the App Connector or a field the request sorts on missing from it: look up the request in Profit's log (logboek).`,
        )
      }
      return undefined
    default:
      return undefined
  }
}

/** Reads the GetConnector's fields and fails, naming them, when any of the required ones is missing. */
async function checkFields(ctx: Context): Promise<void> {
  const { body } = await ctx.http.request<GetConnectorMetainfo>({
    url: `metainfo/get/${ctx.config.connectorId}`,
  })
  if (!Array.isArray(body?.fields)) {
    throw new ConnectorError('malformed_response', 'AFAS answered the metainfo request without fields')
  }
  const present = new Set(body.fields.map((field) => field.id))
  const missing = REQUIRED_FIELDS.filter((field) => !present.has(field))
  if (missing.length > 0) {
    throw new ConnectorError(
      'missing_scope',
      `GetConnector ${ctx.config.connectorId} lacks the fields ${missing.join(', ')}. Add them to the GetConnector in Profit (or rename their labels to these ids) as the setup guide lists.`,
      { missing },
    )
  }
}

const pages = (ctx: Context, take: number) =>
  paginateOffset<EmployeeRow, GetConnectorPage | null>(ctx, {
    url: `connectors/${ctx.config.connectorId}`,
    // without a sort order Profit may return rows in a different order on every page
    searchParams: { orderbyfieldids: 'Medewerker' },
    offsetParam: 'skip',
    limitParam: 'take',
    limit: take,
    items: rows,
  })

export default defineConnector({
  id: 'afas',
  name: 'AFAS Profit',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://docs.afas.help/apidoc/en/GetConnector',
  config: AfasConfig,
  allowedHosts: [
    '{environmentId}.rest.afas.online',
    '{environmentId}.resttest.afas.online',
    '{environmentId}.restaccept.afas.online',
  ],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (config) =>
    `https://${config.environmentId}.${ENVIRONMENT_HOSTS[config.environmentType ?? 'production']}.afas.online/profitrestservices`,
  auth: (config) => ({ type: 'header', name: 'authorization', value: afasTokenHeader(config.token) }),

  errorHints: { unreachable: 'Check the environment number and type.' },
  explainError,

  async checkConnection(ctx: Context) {
    await checkFields(ctx)
    for await (const _ of pages(ctx, 1)) break
  },

  async *listEmployees(ctx: Context) {
    await checkFields(ctx)
    const read: EmployeeRow[][] = []
    for await (const page of pages(ctx, ctx.config.pageSize ?? 100)) read.push(page)
    // one person can span two pages (one row per employment), so choose among all rows first
    const chosen = new Set(onePerEmployee(read.flat()))
    for (const page of read) {
      const rows = page.filter((row) => chosen.has(row))
      yield mapRecords(rows, (row) => toEmployee(row, ctx.now), { identify })
    }
  },
})

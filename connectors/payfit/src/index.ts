import { idString, mapRecords, paginateCursor, reword } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type EmployeePage,
  type ErrorContext,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  type Collaborator,
  contractsOf,
  identify,
  type PayFitContract,
  STATUS,
  toEmployee,
} from './mapping.js'

export {
  type Collaborator,
  type ContractState,
  type ContractSummary,
  contractsOf,
  identify,
  type PayFitContract,
  type PayFitEmail,
  STATUS,
  selectContract,
  toEmployee,
  workEmail,
} from './mapping.js'

export const BASE_URL = 'https://partner-api.payfit.com'
/** PayFit's largest page (`maxResults` 1–50). */
export const PAGE_SIZE = 50

const config = Type.Object({
  apiKey: Secret(
    Type.String({
      minLength: 1,
      description:
        'API key created in PayFit (Integrations → API Access), or a partner OAuth access token; sent as a bearer token',
    }),
  ),
  companyId: HostPart(
    Type.String({
      minLength: 1,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'PayFit company id, as in /companies/{companyId}/…',
    }),
  ),
})
type PayFitConfig = Static<typeof config>
type Context = ConnectorContext<PayFitConfig>

interface CollaboratorsPage {
  collaborators?: Collaborator[]
  meta?: { nextPageToken?: string | null }
}
interface ContractsPage {
  contracts?: PayFitContract[]
  meta?: { nextPageToken?: string | null }
}

const companyPath = (cfg: PayFitConfig, list: 'collaborators' | 'contracts') =>
  `companies/${encodeURIComponent(cfg.companyId)}/${list}`

function listOf<T>(body: unknown, key: 'collaborators' | 'contracts'): T[] {
  const list = (body as Record<string, unknown> | null)?.[key]
  if (!Array.isArray(list)) {
    throw new ConnectorError('malformed_response', `PayFit's ${key} page has no ${key} list`)
  }
  return list as T[]
}

/** Says which setting is wrong when PayFit does not know the company, or which scope a 403 lacks. */
function explainError(
  error: ConnectorError,
  { config }: ErrorContext<PayFitConfig>,
): ConnectorError | undefined {
  if (error.code === 'vendor_error' && error.details?.status === 404) {
    return reword(
      error,
      `PayFit has no company "${config.companyId}" for this key (HTTP 404). Check companyId: a customer API key reads only the company that created it.`,
      'invalid_config',
    )
  }
  const list = error.code === 'missing_scope' ? refusedList(error) : undefined
  if (list === undefined) return undefined
  return reword(
    error,
    `${error.message} Reading ${list} needs the ${list}:read scope, and the key must belong to company "${config.companyId}".`,
  )
}

/** The list a 403 refused: the kit's message names the refused request by its path. */
function refusedList(error: ConnectorError): 'collaborators' | 'contracts' | undefined {
  const list = /\/(collaborators|contracts)\b/.exec(error.message)?.[1]
  return list === 'collaborators' || list === 'contracts' ? list : undefined
}

function pages<T>(ctx: Context, list: 'collaborators' | 'contracts') {
  return paginateCursor<T, CollaboratorsPage | ContractsPage | null>(ctx, {
    url: companyPath(ctx.config, list),
    searchParams: { maxResults: PAGE_SIZE },
    cursorParam: 'nextPageToken',
    items: (body) => listOf<T>(body, list),
    next: (body) => {
      const token = body?.meta?.nextPageToken
      return typeof token === 'string' ? token : null
    },
  })
}

async function* collaboratorPages(ctx: Context): AsyncGenerator<EmployeePage> {
  // the job title lives only on the contract list: read it once, then join by contract id
  const byId = new Map<string, PayFitContract>()
  const byCollaborator = new Map<string, PayFitContract[]>()
  for await (const page of pages<PayFitContract>(ctx, 'contracts')) {
    for (const contract of page) {
      const id = idString(contract?.id)
      if (id === null) continue
      byId.set(id, { ...contract, id })
      const owner = idString(contract.collaboratorId)
      if (owner !== null)
        byCollaborator.set(owner, [...(byCollaborator.get(owner) ?? []), { ...contract, id }])
    }
  }
  for await (const page of pages<Collaborator>(ctx, 'collaborators')) {
    yield mapRecords(
      page,
      (collaborator) => toEmployee(collaborator, contractsOf(collaborator, byId, byCollaborator), ctx.now),
      { identify },
    )
  }
}

export default defineConnector({
  id: 'payfit',
  name: 'PayFit',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/payfit#readme',
  config,
  allowedHosts: ['partner-api.payfit.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // PayFit allows 50 read requests a second per client application, answering 429 beyond
  // (https://developers.payfit.io/docs/rate-limits); an older version of that page said 20 for all requests
  http: { requestsPerSecond: 20, limitScope: 'app' },
  baseUrl: () => BASE_URL,
  auth: (cfg) => ({ type: 'bearer', token: cfg.apiKey }),
  errorHints: {
    invalid_credentials:
      'PayFit did not accept the API key: create a new one in PayFit under Integrations → API Access (a revoked or expired key stops working at once).',
  },
  async checkConnection(ctx) {
    // both lists are read by a sync, so both scopes are checked, one record each
    for (const list of ['collaborators', 'contracts'] as const) {
      const { body } = await ctx.http.request({
        url: companyPath(ctx.config, list),
        searchParams: { maxResults: 1 },
      })
      listOf(body, list)
    }
  },
  explainError,
  listEmployees: collaboratorPages,
})

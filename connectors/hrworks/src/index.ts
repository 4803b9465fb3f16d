import { idString, mapRecords, paginateLinkHeader } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  type EmployeePage,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type HrWorksPerson, identify, personIdsByNumber, STATUS, toEmployee } from './mapping.js'

export { condition, identify, personIdsByNumber, STATUS, toEmployee } from './mapping.js'

export const DEFAULT_BASE_URL = 'https://api.hrworks.de/v2'

const config = Type.Object({
  accessKey: Type.String({
    minLength: 1,
    description:
      'Access Key of an HR WORKS API key pair (Administrator > Basics > Integrations > HR WORKS-API)',
  }),
  secretAccessKey: Secret(
    Type.String({ minLength: 1, description: 'Secret Access Key of the same key pair' }),
  ),
  baseUrl: Type.String({
    default: DEFAULT_BASE_URL,
    pattern: '^https://api\\.(demo-)?hrworks\\.de/v2/?$',
    description: 'API base URL; https://api.demo-hrworks.de/v2 for a demo account',
  }),
})
type HrWorksConfig = Static<typeof config>
type Context = ConnectorContext<HrWorksConfig>

/** `GET /v2/persons/master-data`; pages are chained by the Link header. */
interface MasterDataPage {
  persons?: HrWorksPerson[]
}

/** Documented as 15 minutes; the kit renews a minute early and once more after a 401. */
const TOKEN_LIFETIME_SECONDS = 15 * 60

function persons(body: MasterDataPage | null): HrWorksPerson[] {
  if (!Array.isArray(body?.persons)) {
    throw new ConnectorError(
      'malformed_response',
      'HR WORKS answered the master data request without a persons list',
    )
  }
  return body.persons
}

async function* personPages(ctx: Context): AsyncGenerator<EmployeePage> {
  // superiors are named by personnel number: read every page before resolving them
  const pages: HrWorksPerson[][] = []
  for await (const page of paginateLinkHeader<HrWorksPerson, MasterDataPage | null>(ctx, {
    url: 'persons/master-data',
    searchParams: { onlyActive: false },
    items: persons,
  })) {
    pages.push(page)
  }
  const idsByNumber = personIdsByNumber(pages.flat())
  const toPerson = (record: HrWorksPerson): Employee => {
    const person = toEmployee(record, idsByNumber, ctx.now)
    const superior = idString(record.superior?.personnelNumber)
    if (superior !== null && person.managerRemoteId === null) {
      ctx.log.warn(`HR WORKS person ${person.remoteId}: superior ${superior} is not among the persons read`)
    }
    return person
  }
  for (const page of pages) yield mapRecords(page, toPerson, { identify })
}

export default defineConnector({
  id: 'hrworks',
  name: 'HR WORKS',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/hrworks#readme',
  config,
  allowedHosts: ['api.hrworks.de', 'api.demo-hrworks.de'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({
    type: 'token-exchange',
    async exchange(http) {
      const { body } = await http.request<{ token?: unknown }>({
        method: 'POST',
        url: 'authentication',
        json: { accessKey: cfg.accessKey, secretAccessKey: cfg.secretAccessKey },
      })
      if (typeof body?.token !== 'string' || body.token === '') {
        throw new ConnectorError('malformed_response', 'HR WORKS answered the authentication without a token')
      }
      return { token: body.token, expiresInSeconds: TOKEN_LIFETIME_SECONDS }
    },
  }),
  errorHints: {
    missing_scope:
      "Allow the API key pair to read person master data (Administrator > Basics > Integrations > HR WORKS-API, the key's permissions).",
  },
  async checkConnection(ctx) {
    const { body } = await ctx.http.request<MasterDataPage>({
      url: 'persons/master-data',
      searchParams: { onlyActive: true, page: 1 },
    })
    persons(body)
  },
  async *listEmployees(ctx) {
    yield* personPages(ctx)
  },
})

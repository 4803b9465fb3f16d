import { mapRecords, paginateOData, reword } from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  type ConnectorError,
  defineConnector,
  type ErrorContext,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, STATUS, type SympaEmployee, toEmployee } from './mapping.js'

export { employmentState, identify, STATUS, type SympaEmployee, toEmployee } from './mapping.js'

export const DEFAULT_BASE_URL = 'https://api.sympahr.net/api'
/** Records asked for per window; the Generic API documents no page size of its own. */
export const PAGE_SIZE = 100

export const SympaConfig = Type.Object({
  // the Basic-auth user name; core treats every key named like an API key as a secret
  apiKey: Secret(
    Type.String({
      minLength: 1,
      title: 'API key',
      description: 'The API key Sympa assigned to the integration',
    }),
  ),
  apiSecret: Secret(Type.String({ minLength: 1, title: 'API secret' })),
  interfaceName: Type.String({
    pattern: '^[A-Za-z0-9_]+(\\s*,\\s*[A-Za-z0-9_]+)*$',
    default: 'Employees',
    title: 'Employee interface',
    description:
      'The name of your employee interface, as listed in the service document at the base URL; several country interfaces separated by commas (EmployeesFI, EmployeesSE)',
  }),
  baseUrl: Type.String({
    pattern: '^https://[^/]+(/[^?#]*)?$',
    default: DEFAULT_BASE_URL,
    title: 'Service root',
    description: 'Only change this if Sympa tells you to',
  }),
})
export type SympaConfig = Static<typeof SympaConfig>

export const interfaces = (c: SympaConfig) =>
  c.interfaceName
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')

/**
 * The interface a failure concerns. The kit names the request's path in a refused or failed request
 * (HTTP 403, 404, 5xx), so with several interfaces the one in the message is it; a 401 names no path,
 * and then every configured interface is named.
 */
export function failedInterface(error: ConnectorError, c: SympaConfig): string {
  const names = interfaces(c)
  // names are letters, digits and underscores (the config's pattern), so each is a literal pattern
  const named = names.find((name) => new RegExp(`/${name}(?!\\w)`).test(error.message))
  return named ?? names.join(', ')
}

/** Sympa-specific sentences for what a customer can fix, naming the interface and the service root. */
function explainError(
  error: ConnectorError,
  { config: c }: ErrorContext<SympaConfig>,
): ConnectorError | undefined {
  const name = failedInterface(error, c)
  switch (error.code) {
    case 'invalid_credentials':
      return reword(
        error,
        `Sympa rejected the API key and secret for the interface ${name}. Check both with Sympa; a key that is valid but not granted ${name} is refused the same way, so ask Sympa to grant it too. Failed logins do not appear in Sympa's API Activity Log.`,
      )
    case 'missing_scope':
      return reword(
        error,
        `Sympa accepted the API key but refused the interface ${name}. Each key is granted specific interfaces: ask Sympa to grant the employee interface to this key.`,
      )
    case 'unreachable':
      return reword(error, `Could not reach Sympa at ${c.baseUrl}. Check the service root.`)
    case 'vendor_error':
      if (error.details?.status !== 404) return undefined
      return reword(
        error,
        `Sympa has no interface named ${name}. Interface names are set up per customer (multinational entities add a country suffix): the service document at ${c.baseUrl} lists the ones this key may call.`,
        'invalid_config',
      )
    default:
      return undefined
  }
}

export default defineConnector({
  id: 'sympa',
  name: 'Sympa',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://documenter.getpostman.com/view/33639379/2sA3kXG1vX',
  config: SympaConfig,
  // one host serves every customer: the API key selects the customer
  allowedHosts: ['api.sympahr.net'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (c) => c.baseUrl,
  auth: (c) => ({ type: 'basic', username: c.apiKey, password: c.apiSecret }),

  explainError,

  async checkConnection(ctx: ConnectorContext<SympaConfig>) {
    for (const name of interfaces(ctx.config)) {
      await ctx.http.request({ url: name, searchParams: { $top: 1 } })
    }
  },

  async *listEmployees(ctx: ConnectorContext<SympaConfig>) {
    for (const name of interfaces(ctx.config)) {
      for await (const records of paginateOData<SympaEmployee>(ctx, {
        url: name,
        searchParams: {},
        window: { pageSize: PAGE_SIZE },
        vendor: 'Sympa',
      })) {
        yield mapRecords(records, (record) => toEmployee(record, ctx.now), { identify })
      }
    }
  },
})

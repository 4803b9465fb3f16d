import { paginateOData } from '@hrsync/connector-kit'
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
import { isSkipped, STATUS, type SympaEmployee, toEmployee } from './mapping.js'

export { employmentState, STATUS, type SympaEmployee, toEmployee } from './mapping.js'

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

/** Sympa-specific sentences for what a customer can fix. */
function explain(error: unknown, c: SympaConfig, name: string): unknown {
  if (!isConnectorError(error)) return error
  const again = (code: ConnectorError['code'], message: string) =>
    new ConnectorError(code, message, error.details, { cause: error })
  switch (error.code) {
    case 'invalid_credentials':
      return again(
        'invalid_credentials',
        `Sympa rejected the API key and secret for the interface ${name}. Check both with Sympa; a key that is valid but not granted ${name} is refused the same way, so ask Sympa to grant it too. Failed logins do not appear in Sympa's API Activity Log.`,
      )
    case 'missing_scope':
      return again(
        'missing_scope',
        `Sympa accepted the API key but refused the interface ${name}. Each key is granted specific interfaces: ask Sympa to grant the employee interface to this key.`,
      )
    case 'unreachable':
      return again('unreachable', `Could not reach Sympa at ${c.baseUrl}. Check the service root.`)
    case 'vendor_error':
      return error.details?.status === 404
        ? again(
            'invalid_config',
            `Sympa has no interface named ${name}. Interface names are set up per customer (multinational entities add a country suffix): the service document at ${c.baseUrl} lists the ones this key may call.`,
          )
        : error
    default:
      return error
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

  async checkConnection(ctx: ConnectorContext<SympaConfig>) {
    for (const name of interfaces(ctx.config)) {
      try {
        await ctx.http.request({ url: name, searchParams: { $top: 1 } })
      } catch (error) {
        throw explain(error, ctx.config, name)
      }
    }
  },

  async *listEmployees(ctx: ConnectorContext<SympaConfig>) {
    for (const name of interfaces(ctx.config)) {
      try {
        for await (const records of paginateOData<SympaEmployee>(ctx, {
          url: name,
          searchParams: {},
          window: { pageSize: PAGE_SIZE },
          vendor: 'Sympa',
        })) {
          const employees: Employee[] = []
          const skipped: SkippedPerson[] = []
          for (const record of records) {
            const mapped = toEmployee(record, ctx.now)
            if (isSkipped(mapped)) skipped.push(mapped)
            else employees.push(mapped)
          }
          yield { employees, skipped }
        }
      } catch (error) {
        throw explain(error, ctx.config, name)
      }
    }
  },
})

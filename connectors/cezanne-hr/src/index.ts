import { paginateOData } from '@hrsync/connector-kit'
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
import { type CezannePerson, FIELDS, isSkipped, STATUS, toEmployee } from './mapping.js'

export { type CezannePerson, employmentState, FIELDS, STATUS, toEmployee } from './mapping.js'

export const CezanneConfig = Type.Object({
  subdomain: HostPart(
    Type.String({
      pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$',
      title: 'Subdomain',
      description: 'The part before .cezanneondemand.com in the address you sign in at, often w3',
    }),
  ),
  clientId: Type.String({
    minLength: 1,
    title: 'Client ID',
    description: 'Administration > Security Settings > Authorised Applications in Cezanne HR',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, title: 'Client Secret' })),
  tokenUrl: Type.Optional(
    Type.String({
      pattern: '^https://[^/]+\\.cezanneondemand\\.com/',
      title: 'Token URL',
      description:
        'The OAuth token endpoint; leave empty for https://{subdomain}.cezanneondemand.com/cezanneondemand/oauth/token',
    }),
  ),
  pageSize: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, default: 100, title: 'People per request' }),
  ),
})
export type CezanneConfig = Static<typeof CezanneConfig>

const host = (c: CezanneConfig) => `https://${c.subdomain.toLowerCase()}.cezanneondemand.com`
export const serviceRoot = (c: CezanneConfig) => `${host(c)}/cezanneondemand/v7/dataservice.svc`
export const tokenUrl = (c: CezanneConfig) => c.tokenUrl ?? `${host(c)}/cezanneondemand/oauth/token`

// a stable order keeps $skip windows from skipping or repeating people
const PEOPLE_QUERY = { $select: FIELDS.join(','), $orderby: 'Id' }

/** Cezanne-specific sentences for what a customer can fix. */
function explain(error: unknown, c: CezanneConfig): unknown {
  if (!isConnectorError(error)) return error
  const again = (message: string) => new ConnectorError(error.code, message, error.details, { cause: error })
  switch (error.code) {
    case 'invalid_credentials':
      return again(
        `Cezanne HR did not accept the Client ID and Client Secret at ${tokenUrl(c)}. Copy both again from Administration > Security Settings > Authorised Applications (the secret is shown once; Regenerate issues a new one), check that the application's Service Account User has a password that has not expired, and set the token URL if Cezanne's API documentation names another one.`,
      )
    case 'unreachable':
      return again(
        `Could not reach Cezanne HR at ${host(c)}. Check the subdomain: it is the part before .cezanneondemand.com in the address you sign in at.`,
      )
    case 'vendor_error':
      return error.details?.status === 400
        ? again(
            `Cezanne HR refused the People query (HTTP 400): this tenant's data service may name the fields ${FIELDS.join(', ')} differently. Compare them with ${serviceRoot(c)}/$metadata. ${error.message}`,
          )
        : error
    default:
      return error
  }
}

export default defineConnector({
  id: 'cezanne-hr',
  name: 'Cezanne HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://api.cezannehr.com/',
  config: CezanneConfig,
  allowedHosts: ['{subdomain}.cezanneondemand.com', '*.cezanneondemand.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: serviceRoot,
  auth: (c) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: tokenUrl(c),
    clientId: c.clientId,
    clientSecret: c.clientSecret,
  }),

  errorHints: {
    missing_scope:
      'In the Authorised Application turn on the scopes "Token Information" and "API read access", and pick a Service Account User (ideally an External HR Professional user) who can see everyone in Cezanne: the API shows what that user sees.',
  },
  async checkConnection(ctx: ConnectorContext<CezanneConfig>) {
    try {
      await ctx.http.request({ url: 'People', searchParams: { ...PEOPLE_QUERY, $top: 1 } })
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },

  async *listEmployees(ctx: ConnectorContext<CezanneConfig>) {
    try {
      for await (const people of paginateOData<CezannePerson>(ctx, {
        url: 'People',
        searchParams: PEOPLE_QUERY,
        window: { pageSize: ctx.config.pageSize ?? 100 },
        vendor: 'Cezanne HR',
      })) {
        const employees: Employee[] = []
        const skipped: SkippedPerson[] = []
        for (const person of people) {
          const mapped = toEmployee(person, ctx.now)
          if (isSkipped(mapped)) skipped.push(mapped)
          else employees.push(mapped)
        }
        yield { employees, skipped }
      }
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },
})

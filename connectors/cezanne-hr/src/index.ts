import { mapRecords, paginateOData, rewordByCode } from '@hrsync/connector-kit'
import { type ConnectorContext, defineConnector, HostPart, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type CezannePerson, FIELDS, identify, STATUS, toEmployee } from './mapping.js'

export { type CezannePerson, employmentState, FIELDS, identify, STATUS, toEmployee } from './mapping.js'

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

/** Cezanne-specific sentences for what a customer can fix, naming the subdomain and token URL. */
const explainError = rewordByCode<CezanneConfig>({
  invalid_credentials: (_, { config: c }) =>
    `Cezanne HR did not accept the Client ID and Client Secret at ${tokenUrl(c)}. Copy both again from Administration > Security Settings > Authorised Applications (the secret is shown once; Regenerate issues a new one), check that the application's Service Account User has a password that has not expired, and set the token URL if Cezanne's API documentation names another one.`,
  unreachable: (_, { config: c }) =>
    `Could not reach Cezanne HR at ${host(c)}. Check the subdomain: it is the part before .cezanneondemand.com in the address you sign in at.`,
  vendor_error: (error, { config: c }) =>
    error.details?.status === 400
      ? `Cezanne HR refused the People query (HTTP 400): this tenant's data service may name the fields ${FIELDS.join(', ')} differently. Compare them with ${serviceRoot(c)}/$metadata. ${error.message}`
      : undefined,
})

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
  explainError,

  async checkConnection(ctx: ConnectorContext<CezanneConfig>) {
    await ctx.http.request({ url: 'People', searchParams: { ...PEOPLE_QUERY, $top: 1 } })
  },

  async *listEmployees(ctx: ConnectorContext<CezanneConfig>) {
    for await (const people of paginateOData<CezannePerson>(ctx, {
      url: 'People',
      searchParams: PEOPLE_QUERY,
      window: { pageSize: ctx.config.pageSize ?? 100 },
      vendor: 'Cezanne HR',
    })) {
      yield mapRecords(people, (person) => toEmployee(person, ctx.now), { identify })
    }
  },
})

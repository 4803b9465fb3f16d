import { mapRecords, paginateOData, rewordByCode } from '@hrsync/connector-kit'
import { type ConnectorContext, defineConnector, HostPart, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, isGuest, STATUS, toEmployee } from './mapping.js'
import type { GraphUser } from './vendor.js'

export const ENTRA_HOSTS = ['login.microsoftonline.com', 'graph.microsoft.com']

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'

export const EntraPullConfig = Type.Object({
  tenantId: HostPart(
    Type.String({
      pattern: `^(${GUID}|[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+)$`,
      title: 'Tenant ID',
      description:
        'Directory (tenant) ID from the app registration overview, or a verified domain such as contoso.onmicrosoft.com',
    }),
  ),
  clientId: Type.String({
    pattern: `^${GUID}$`,
    title: 'Application (client) ID',
    description: 'From the app registration overview; the app needs the application permission User.Read.All',
  }),
  clientSecret: Secret(
    Type.String({
      minLength: 1,
      title: 'Client secret',
      description: 'Certificates & secrets > Client secrets: the secret Value, not the Secret ID',
    }),
  ),
})
export type EntraPullConfig = Static<typeof EntraPullConfig>

export const GRAPH = 'https://graph.microsoft.com/v1.0'
export const USERS_QUERY = {
  $select:
    'id,accountEnabled,userType,givenName,surname,mail,userPrincipalName,jobTitle,department,employeeId,employeeHireDate,employeeLeaveDateTime',
  $expand: 'manager($select=id,mail,userPrincipalName)',
  // with $expand Graph serves at most 100 users a page, whatever $top says
  $top: 100,
}

/** Microsoft's words for what an admin can fix, naming the app and tenant; other errors pass through. */
const explainError = rewordByCode<EntraPullConfig>({
  invalid_credentials: (error, { config }) =>
    `Microsoft Entra ID did not issue a token for app ${config.clientId} in tenant ${config.tenantId} (${error.message}). Check the tenant ID, the application (client) ID and that the client secret is the secret's Value and has not expired.`,
  missing_scope: () =>
    'Microsoft Graph refused to list users (HTTP 403). In the app registration, add the Microsoft Graph application permissions User.Read.All and User-LifeCycleInfo.Read.All and click "Grant admin consent".',
  unreachable: (error) => `Could not reach Microsoft Entra ID or Microsoft Graph: ${error.message}`,
})

/** The optional pull mode: reads the directory through Microsoft Graph instead of waiting for SCIM pushes. */
export const pull = defineConnector({
  id: 'entra-id',
  name: 'Microsoft Entra ID',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/entra-id#pull-mode',
  config: EntraPullConfig,
  allowedHosts: ENTRA_HOSTS,
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: () => GRAPH,
  auth: (config) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: `https://login.microsoftonline.com/${encodeURIComponent(config.tenantId)}/oauth2/v2.0/token`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    scope: 'https://graph.microsoft.com/.default',
  }),

  explainError,

  async checkConnection(ctx: ConnectorContext<EntraPullConfig>) {
    await ctx.http.request({ url: `${GRAPH}/users`, searchParams: { ...USERS_QUERY, $top: 1 } })
  },

  async *listEmployees(ctx: ConnectorContext<EntraPullConfig>) {
    let guests = 0
    for await (const users of paginateOData<GraphUser>(ctx, {
      url: `${GRAPH}/users`,
      searchParams: USERS_QUERY,
    })) {
      const members = users.filter((user) => !isGuest(user))
      guests += users.length - members.length
      yield mapRecords(members, (user) => toEmployee(user, ctx.now), { identify })
    }
    if (guests > 0) ctx.log.info(`Left out ${guests} guest accounts: they are not employees`)
  },
})

import { mapRecords, paginateLinkHeader, rewordByCode } from '@hrsync/connector-kit'
import { type ConnectorContext, defineConnector, type Employee, HostPart, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, managerDirectory, STATUS, toEmployee } from './mapping.js'
import type { OktaUser } from './vendor.js'

/** Okta's own org domains; a custom domain is an alias of one of these, which keeps working for the API. */
export const OKTA_HOSTS = ['*.okta.com', '*.oktapreview.com', '*.okta-emea.com']

export const OktaPullConfig = Type.Object({
  oktaDomain: HostPart(
    Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9-]*\\.(okta|oktapreview|okta-emea)\\.com$',
      title: 'Okta domain',
      description: 'The org host without https://, e.g. acme.okta.com or acme.oktapreview.com',
    }),
  ),
  apiToken: Secret(
    Type.String({
      minLength: 1,
      title: 'API token',
      description: 'Security > API > Tokens in the Okta Admin Console, created by a read-only administrator',
    }),
  ),
})
export type OktaPullConfig = Static<typeof OktaPullConfig>

const USERS = '/api/v1/users'
export const PAGE_SIZE = 200
/**
 * A plain list leaves out DEPROVISIONED users; a search naming every status returns them all
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers).
 */
export const ALL_STATUSES = Object.keys(STATUS)
  .map((status) => `status eq "${status}"`)
  .join(' or ')

/** Okta's words for what an admin can fix, naming the org; other errors pass through unchanged. */
const explainError = rewordByCode<OktaPullConfig>({
  invalid_credentials: (_, { config }) =>
    `Okta rejected the API token for ${config.oktaDomain}. Tokens are revoked when their administrator is deactivated and expire after 30 days without use: create a new one under Security > API > Tokens.`,
  missing_scope: (_, { config }) =>
    `Okta accepted the API token but may not list the users of ${config.oktaDomain}. Create the token while signed in as an administrator who can read every user (Read-only Administrator or higher).`,
  unreachable: (error, { config }) =>
    `Could not reach Okta at ${config.oktaDomain}: ${error.message.replace(/^Could not reach [^:]+: /, '')}. Check the Okta domain.`,
})

/** The optional pull mode: reads the Okta directory with an API token instead of waiting for SCIM pushes. */
export const pull = defineConnector({
  id: 'okta',
  name: 'Okta',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/okta#pull-mode',
  config: OktaPullConfig,
  allowedHosts: OKTA_HOSTS,
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
      // Okta records when an account was deactivated, never a planned last day
      terminationDates: 'past',
    },
  },
  // Okta reports the reset moment in epoch seconds (https://developer.okta.com/docs/reference/rl-best-practices/)
  http: { rateLimitResetHeader: 'x-rate-limit-reset' },
  baseUrl: (config) => `https://${config.oktaDomain}`,
  auth: (config) => ({ type: 'header', name: 'Authorization', value: `SSWS ${config.apiToken}` }),

  explainError,

  async checkConnection(ctx: ConnectorContext<OktaPullConfig>) {
    await ctx.http.request({ url: USERS, searchParams: { limit: 1 } })
  },

  async *listEmployees(ctx: ConnectorContext<OktaPullConfig>) {
    // managerId names the manager by employee number, which can sit on a later page: read everything first
    const pages: OktaUser[][] = []
    for await (const users of paginateLinkHeader<OktaUser>(ctx, {
      url: USERS,
      searchParams: { search: ALL_STATUSES, limit: PAGE_SIZE },
    })) {
      pages.push(users)
    }
    const managerOf = managerDirectory(pages.flat())
    const toPerson = (user: OktaUser): Employee => {
      const person = toEmployee(user, managerOf)
      if (person.managerRemoteId === null && user.profile?.managerId) {
        ctx.log.warn(`Okta user ${person.remoteId} names a manager no user's employee number or id matches`)
      }
      return person
    }
    for (const users of pages) yield mapRecords(users, toPerson, { identify })
  },
})

import { cleanString, idString, mapStatus, normaliseEmail, paginateCursor } from '@hrsync/connector-kit'
import {
  ConnectorError,
  defineConnector,
  type Employee,
  employee,
  HostPart,
  isConnectorError,
  Secret,
  type SkippedPerson,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { exchangeAssertion, SCOPE, signAssertion } from './jwt.js'

/**
 * Workspace has no employment status, only account states: `suspended` and `archived` booleans. Both mean the
 * account is blocked, which hrsync treats as gone; there is no leave or pre-hire state.
 */
export const STATUS = statusTable({
  active: 'active',
  suspended: 'terminated',
  archived: 'terminated',
})

const config = Type.Object({
  serviceAccountEmail: Type.String({
    pattern: '^[^@\\s]+@[^@\\s]+$',
    description: 'client_email of the service account (from its JSON key)',
  }),
  privateKey: Secret(
    Type.String({ minLength: 1, description: 'private_key of the service account JSON key (PEM)' }),
  ),
  adminEmail: Type.String({
    pattern: '^[^@\\s]+@[^@\\s]+$',
    description:
      'A Workspace admin the service account acts as (domain-wide delegation); must be allowed to read users',
  }),
  customerId: HostPart(
    Type.String({
      pattern: '^(my_customer|C[0-9A-Za-z]+)$',
      default: 'my_customer',
      description: "Customer ID (C0…), or my_customer for the admin's own account",
    }),
  ),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 500,
    default: 500,
    description: 'Users per request (1–500)',
  }),
})
type WorkspaceConfig = Static<typeof config>

interface Organization {
  title?: string
  department?: string
  primary?: boolean
}
interface WorkspaceUser {
  id?: unknown
  primaryEmail?: unknown
  name?: { givenName?: unknown; familyName?: unknown }
  suspended?: unknown
  archived?: unknown
  organizations?: Organization[]
  relations?: { value?: unknown; type?: unknown }[]
}
interface UsersPage {
  users?: WorkspaceUser[]
  nextPageToken?: string
}

const USERS_URL = 'users'

/** The account state as one vendor value: archived wins over suspended; a user without `suspended` has none. */
function accountState(user: WorkspaceUser): string | undefined {
  if (typeof user.suspended !== 'boolean') return undefined
  if (user.archived === true) return 'archived'
  return user.suspended ? 'suspended' : 'active'
}

/** One Directory user as an Employee, or a skipped person when its account state is missing. */
export function toEmployee(user: WorkspaceUser): Employee | SkippedPerson {
  const remoteId = idString(user.id)
  if (remoteId === null) throw new ConnectorError('malformed_response', 'Google sent a user without an id')
  const email = normaliseEmail(user.primaryEmail)
  const mapped = mapStatus(STATUS, accountState(user), { remoteId, email })
  if ('skipped' in mapped) return mapped.skipped
  const organizations = user.organizations ?? []
  const organization = organizations.find((o) => o.primary === true) ?? organizations[0]
  const manager = (user.relations ?? []).find((r) => r.type === 'manager')
  return employee({
    remoteId,
    email,
    firstName: cleanString(user.name?.givenName),
    lastName: cleanString(user.name?.familyName),
    status: mapped.status,
    // Google names the manager by email, which may be an alias; core resolves it against the whole list
    managerEmail: normaliseEmail(manager?.value),
    department: cleanString(organization?.department),
    jobTitle: cleanString(organization?.title),
  })
}

/** Google's words for what an admin can fix; other errors pass through unchanged. */
function explain(error: unknown, cfg: WorkspaceConfig): unknown {
  if (!isConnectorError(error)) return error
  const said = error.message
  if (/rate ?limit|quota/i.test(said) && error.code === 'missing_scope') {
    // Google signals its per-user quota with 403 userRateLimitExceeded / quotaExceeded, not 429
    return new ConnectorError(
      'rate_limited',
      `Google's Directory API quota is used up: ${said}`,
      error.details,
      {
        cause: error,
      },
    )
  }
  if (/unauthorized_client|not authorized for any of the scopes/i.test(said)) {
    return new ConnectorError(
      'missing_scope',
      `Google refused to let the service account act as ${cfg.adminEmail}: add its client ID with the scope ${SCOPE} under Admin console > Security > Access and data control > API controls > Domain-wide delegation.`,
      error.details,
      { cause: error },
    )
  }
  if (error.code === 'invalid_credentials') {
    return new ConnectorError(
      'invalid_credentials',
      `Google rejected the service account key or the admin to act as (${said}). Check serviceAccountEmail, privateKey and that ${cfg.adminEmail} is an active user of the domain.`,
      error.details,
      { cause: error },
    )
  }
  if (error.code === 'missing_scope') {
    return new ConnectorError(
      'missing_scope',
      `Google accepted the service account but ${cfg.adminEmail} may not list the users of customer ${cfg.customerId} (HTTP 403). Use an admin with the Users read privilege, or check the customer ID.`,
      error.details,
      { cause: error },
    )
  }
  return error
}

export default defineConnector({
  id: 'google-workspace',
  name: 'Google Workspace',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/google-workspace#readme',
  config,
  allowedHosts: ['oauth2.googleapis.com', 'admin.googleapis.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'email',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: () => 'https://admin.googleapis.com/admin/directory/v1',
  auth: (cfg) => ({
    type: 'token-exchange',
    exchange: (http) =>
      exchangeAssertion(
        http,
        signAssertion(
          { issuer: cfg.serviceAccountEmail, subject: cfg.adminEmail, scope: SCOPE },
          cfg.privateKey,
          Math.floor(Date.now() / 1000),
        ),
      ),
  }),
  async checkConnection(ctx) {
    try {
      await ctx.http.request({
        url: USERS_URL,
        searchParams: { customer: ctx.config.customerId, maxResults: 1 },
      })
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },
  async *listEmployees(ctx) {
    const pages = paginateCursor<WorkspaceUser, UsersPage>(ctx, {
      url: USERS_URL,
      // suspended users are listed by default; showDeleted would list deleted users only
      searchParams: { customer: ctx.config.customerId, maxResults: ctx.config.pageSize },
      cursorParam: 'pageToken',
      // an empty page has no `users` key at all
      items: (body) => body?.users ?? [],
      next: (body) => body?.nextPageToken,
    })
    try {
      for await (const users of pages) {
        const employees: Employee[] = []
        const skipped: SkippedPerson[] = []
        for (const user of users) {
          const person = toEmployee(user)
          if ('reason' in person) skipped.push(person)
          else employees.push(person)
        }
        yield { employees, skipped }
      }
    } catch (error) {
      throw explain(error, ctx.config)
    }
  },
})

import {
  cleanString,
  emailFrom,
  idString,
  mapRecords,
  mapStatus,
  paginateCursor,
  reword,
  skipPerson,
} from '@hrsync/connector-kit'
import {
  type ConnectorError,
  defineConnector,
  type Employee,
  type ErrorContext,
  employee,
  HostPart,
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { ASSERTION_LIFETIME, SCOPE, TOKEN_URL } from './jwt.js'

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

/** What a user is known by before it is mapped. */
export function identify(user: WorkspaceUser): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(user.id), email: emailFrom(user.primaryEmail) }
}

/** One Directory user as an Employee; a user whose account state is missing is refused with skipPerson. */
export function toEmployee(user: WorkspaceUser): Employee {
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('a Google user without an id', { email })
  const mapped = mapStatus(STATUS, accountState(user), { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
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
    managerEmail: emailFrom(manager?.value),
    department: cleanString(organization?.department),
    jobTitle: cleanString(organization?.title),
  })
}

/**
 * The token endpoint answers a missing domain-wide delegation with 401 unauthorized_client: the key is fine,
 * the service account may not act as the admin for this scope, which is a permission the admin grants.
 */
function explainError(
  error: ConnectorError,
  { config }: ErrorContext<WorkspaceConfig>,
): ConnectorError | undefined {
  if (error.code !== 'invalid_credentials') return undefined
  if (!/unauthorized_client|not authorized for any of the scopes/i.test(error.message)) return undefined
  return reword(
    error,
    `Google refused to let the service account act as ${config.adminEmail}: add its client ID with the scope ${SCOPE} under Admin console > Security > Access and data control > API controls > Domain-wide delegation.`,
    'missing_scope',
  )
}

/** Google signals its per-user and per-project quotas with 403 (userRateLimitExceeded, quotaExceeded), not 429. */
const QUOTA_REASONS = /"reason"\s*:\s*"(userRateLimitExceeded|rateLimitExceeded|quotaExceeded)"/

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
      // a directory account is on or suspended; it has no employment dates
      terminationDates: 'none',
    },
  },
  baseUrl: () => 'https://admin.googleapis.com/admin/directory/v1',
  auth: (cfg) => ({
    type: 'jwt-bearer',
    tokenUrl: TOKEN_URL,
    issuer: cfg.serviceAccountEmail,
    subject: cfg.adminEmail,
    scope: SCOPE,
    privateKey: cfg.privateKey,
    lifetime: ASSERTION_LIFETIME,
  }),
  http: { isRateLimited: (status, body) => status === 403 && QUOTA_REASONS.test(body) },
  errorHints: {
    invalid_config: "privateKey is the private_key value of the service account's JSON key file.",
    invalid_credentials:
      'Check serviceAccountEmail and privateKey, and that adminEmail is an active user of the domain.',
    missing_scope:
      'Check that adminEmail is an admin with the Users read privilege and that the customer ID is right.',
  },
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({
      url: USERS_URL,
      searchParams: { customer: ctx.config.customerId, maxResults: 1 },
    })
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
    for await (const users of pages) {
      // Google gives every user an id: a user without one is a broken answer and fails the pull
      yield mapRecords(users, toEmployee, { identify, requireId: 'Google sent a user without an id' })
    }
  },
})

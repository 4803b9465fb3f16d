import type { ScimFilter } from './filter.js'
import type { ScimUser, ScimUserRecord } from './user.js'

export interface ScimListQuery {
  /** null lists every live user; a store on SQL calls `filter.toSql(n)`, one in memory `filter.matches` */
  filter: ScimFilter | null
  /** 1-based, already clamped to ≥ 1 */
  startIndex: number
  /** already clamped to 0…MAX_RESULTS; 0 asks only for the total */
  count: number
}

export interface ScimPage {
  totalResults: number
  records: ScimUserRecord[]
}

/**
 * Where the SCIM users of each integration live. Every method is scoped by integration: an id of
 * another integration is "not found". Deleted (tombstoned) users are invisible to every method,
 * and their userName is free again.
 */
export interface ScimStore {
  /** live users matching the filter, ordered by created then id (stable across pages) */
  list(integrationId: string, query: ScimListQuery): Promise<ScimPage>
  get(integrationId: string, id: string): Promise<ScimUserRecord | null>
  /**
   * Issues an id, created = lastModified = now, version 1. Throws UserNameTakenError when a live
   * user of the integration has the same userName case-insensitively (a unique index on
   * `(integration_id, lower(user_name)) WHERE deleted_at IS NULL`, so racing POSTs give one user).
   */
  create(integrationId: string, user: ScimUser): Promise<ScimUserRecord>
  /** full replace; null when not found; UserNameTakenError when a rename collides */
  replace(integrationId: string, id: string, user: ScimUser): Promise<ScimUserRecord | null>
  /**
   * Read-modify-write inside one transaction (`SELECT … FOR UPDATE`): `change` gets the current
   * user and returns the next one, or throws (then nothing is written). Null when not found.
   */
  patch(
    integrationId: string,
    id: string,
    change: (current: ScimUser) => ScimUser,
  ): Promise<ScimUserRecord | null>
  /** marks the user deleted (kept for audit); false when not found */
  tombstone(integrationId: string, id: string): Promise<boolean>
  /** every live user of the integration (active and inactive), for the snapshot */
  users(integrationId: string): Promise<ScimUserRecord[]>
}

/**
 * The filterable columns of a record, named as in SCIM_USER_COLUMNS, with `emails` and `resource`
 * (the full user) as values: a SQL store writes these next to the full user (jsonb) so filters and
 * resources never disagree. scimUserRow has the two as JSON text.
 */
export function scimUserColumns(record: ScimUserRecord): {
  id: string
  user_name: string
  external_id: string | null
  display_name: string | null
  given_name: string | null
  family_name: string | null
  active: boolean
  employee_number: string | null
  emails: ScimUser['emails']
  created_at: string
  last_modified: string
  version: number
  resource: ScimUser
} {
  const { user } = record
  return {
    id: record.id,
    user_name: user.userName,
    external_id: user.externalId,
    display_name: user.displayName,
    given_name: user.name.givenName,
    family_name: user.name.familyName,
    active: user.active,
    employee_number: user.employeeNumber,
    emails: user.emails,
    created_at: record.created,
    last_modified: record.lastModified,
    version: record.version,
    resource: user,
  }
}

/** scimUserColumns with `emails` and `resource` as JSON text, for a statement's parameters. */
export function scimUserRow(
  record: ScimUserRecord,
): Omit<ReturnType<typeof scimUserColumns>, 'emails' | 'resource'> & { emails: string; resource: string } {
  const columns = scimUserColumns(record)
  return { ...columns, emails: JSON.stringify(columns.emails), resource: JSON.stringify(columns.resource) }
}

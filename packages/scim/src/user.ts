/** A work/home/other email as the IdP sent it; only the keys it sent are echoed back. */
export interface ScimEmail {
  value: string
  type?: string
  primary?: boolean
  display?: string
}

/**
 * The enterprise `manager` as the IdP sent it: Entra sends our id as a plain string, as `{value}`
 * or as `[{value, $ref}]`; Okta sends `{value, displayName}` where value is usually an HR number.
 * `shape` keeps the form so the echo matches (Entra re-sends a value whose echo differs).
 */
export interface ManagerRef {
  value: string
  displayName?: string
  $ref?: string
  shape: 'string' | 'object' | 'array'
}

export interface ScimName {
  givenName: string | null
  familyName: string | null
  formatted: string | null
}

/** The attributes of a SCIM User that hrsync stores; everything an IdP may set. */
export interface ScimUser {
  userName: string
  externalId: string | null
  active: boolean
  name: ScimName
  displayName: string | null
  title: string | null
  emails: ScimEmail[]
  employeeNumber: string | null
  department: string | null
  managerRef: ManagerRef | null
  /** other enterprise extension attributes (costCenter, division, organization, …), kept as sent */
  enterpriseExtra: Record<string, unknown>
  /** attributes of other schema extensions (custom Entra/Okta extensions), by URN, kept as sent */
  extensions: Record<string, Record<string, unknown>>
}

/** A stored user: the attributes plus what the service provider issues. */
export interface ScimUserRecord {
  /** our id: server-issued, stable, case-sensitive */
  id: string
  /** ISO 8601 */
  created: string
  /** ISO 8601 */
  lastModified: string
  /** incremented on every write; rendered as the weak ETag `W/"<version>"` in meta.version */
  version: number
  user: ScimUser
}

export function emptyName(): ScimName {
  return { givenName: null, familyName: null, formatted: null }
}

/** A user with only a userName; the starting point for parsing and for tests. */
export function scimUser(fields: Pick<ScimUser, 'userName'> & Partial<ScimUser>): ScimUser {
  return {
    externalId: null,
    active: true,
    name: emptyName(),
    displayName: null,
    title: null,
    emails: [],
    employeeNumber: null,
    department: null,
    managerRef: null,
    enterpriseExtra: {},
    extensions: {},
    ...fields,
  }
}

/** The email hrsync treats as the person's work email: type work, else the primary one, else the first. */
export function workEmail(user: ScimUser): string | null {
  const email =
    user.emails.find((e) => e.type?.toLowerCase() === 'work') ??
    user.emails.find((e) => e.primary === true) ??
    user.emails[0]
  return email?.value ?? null
}

/**
 * Shapes of the Fourth Account SCIM API, a read-only SCIM 2.0 service provider
 * (https://developer.fourth.com/en-gb/docs/fourth-account-scim-api/guide, RFC 7643 and RFC 7644).
 * Only the attributes hrsync reads are typed.
 */

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

export interface ScimEmail {
  value?: string | null
  type?: string | null
  primary?: boolean | null
}

/** The enterprise extension (RFC 7643 §4.3); Fourth puts the job division here. */
export interface EnterpriseExtension {
  division?: string | null
  department?: string | null
}

/** A `User` resource: the Fourth Account ID is `id`. */
export interface ScimUser {
  id?: string
  userName?: string | null
  name?: { givenName?: string | null; familyName?: string | null; formatted?: string | null } | null
  emails?: ScimEmail[] | null
  /** the job role */
  title?: string | null
  /** true or false; nothing else is documented */
  active?: boolean | string | null
  [ENTERPRISE]?: EnterpriseExtension | null
}

/** RFC 7644 §3.4.2: `startIndex` is 1-based and `totalResults` counts every match, not the page. */
export interface ListResponse {
  schemas?: string[]
  totalResults?: number
  itemsPerPage?: number
  startIndex?: number
  Resources?: ScimUser[]
}

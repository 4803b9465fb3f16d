/** Shapes of Microsoft Graph v1.0, as documented (https://learn.microsoft.com/en-us/graph/api/user-list). */

/** `$expand=manager($select=…)` gives a partial directory object; no `manager` key when there is none. */
export interface GraphManager {
  '@odata.type'?: string
  id?: string
  mail?: string | null
  userPrincipalName?: string
}

export interface GraphUser {
  id?: string
  accountEnabled?: boolean | null
  givenName?: string | null
  surname?: string | null
  mail?: string | null
  userPrincipalName?: string
  userType?: string | null
  jobTitle?: string | null
  department?: string | null
  employeeId?: string | null
  employeeHireDate?: string | null
  employeeLeaveDateTime?: string | null
  manager?: GraphManager | null
}

export interface GraphUsersPage {
  '@odata.context'?: string
  '@odata.nextLink'?: string
  value: GraphUser[]
}

/** Graph's error body; the token endpoint answers OAuth errors (`error`, `error_description`) instead. */
export interface GraphError {
  error?: { code?: string; message?: string; innerError?: Record<string, string> }
}

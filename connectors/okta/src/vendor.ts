/** Shapes of the Okta Users API, as documented (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/). */

/** The base profile; `managerId` is free text, usually the manager's employee number. */
export interface OktaProfile {
  login?: string
  email?: string | null
  firstName?: string | null
  lastName?: string | null
  title?: string | null
  department?: string | null
  employeeNumber?: string | null
  managerId?: string | null
  manager?: string | null
  [custom: string]: unknown
}

export interface OktaUser {
  id?: string
  status?: string
  created?: string
  activated?: string | null
  statusChanged?: string | null
  lastLogin?: string | null
  lastUpdated?: string
  passwordChanged?: string | null
  profile?: OktaProfile
}

/** Okta's error body, e.g. E0000011 "Invalid token provided". */
export interface OktaError {
  errorCode?: string
  errorSummary?: string
  errorLink?: string
  errorId?: string
  errorCauses?: { errorSummary?: string }[]
}

/** Shapes of Eurécia's REST API (api.eurecia.com/eurecia/rest), as the published responses show them. */

/** `GET /v1/Auth`: an XML document converted to JSON, so the text sits under a `$` key. */
export interface AuthResponse {
  eureciaResponse?: { temporaryToken?: { token?: { $?: string } } }
}

interface Sort {
  empty: boolean
  sorted: boolean
  unsorted: boolean
}

/** A Spring Data page: `page` is 0-based and the server decides its size. */
export interface UsersPage {
  content: UserSummary[]
  pageable?:
    | { sort: Sort; offset: number; pageNumber: number; pageSize: number; paged: boolean; unpaged: boolean }
    | string
  totalElements: number
  totalPages: number
  last: boolean
  number: number
  sort?: Sort
  size: number
  numberOfElements: number
  first: boolean
  empty: boolean
}

/** An item of `GET /v4/users`: no dates and no manager. */
export interface UserSummary {
  id: string
  email?: string | null
  firstName?: string | null
  lastName?: string | null
  jobTitle?: string | null
  /** a department id, named by `GET /v4/departments` */
  department?: string | null
  /** the legal entity or site, not the department */
  structure?: string | null
}

export interface ManagerSummary {
  id: string
  email?: string | null
  firstName?: string | null
  lastName?: string | null
}

/** `GET /v4/users/{id}`; only the fields the connector reads are listed. */
export interface UserRecord extends UserSummary {
  personalEmail?: string | null
  /** epoch milliseconds at midnight in the user's time zone */
  entryDate?: number | null
  hiringDate?: number | null
  departureDate?: number | null
  userDirectManagers?: string[] | null
  /** other approvers, not the line manager */
  userManagers?: unknown[] | null
  /** end of login access (often the year 3000), not a departure */
  dateEndAccess?: number | null
  timezone?: string | null
  archived?: boolean | null
  _embedded?: { userDirectManagers?: ManagerSummary[] | null } | null
}

export interface OrganizationNode {
  organizationDto: { id: string; name: string; type: string; typeLabel?: string }
  nodes?: OrganizationNode[] | null
}

/** `GET /v4/departments`: a tree. */
export interface DepartmentTree {
  nodes?: OrganizationNode[] | null
}

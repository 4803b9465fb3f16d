/** Shapes of the AlexisHR API v1 (preview) that Simployer One serves (https://docs.alexishr.com). */

/** Every list answers with this envelope; `total` counts all matches, `count` this page. */
export interface ListResponse<T> {
  status: string
  data: T[]
  total: number
  count: number
  offset?: number
  relations?: unknown
}

/** The employee fields the connector selects; a field left out of `select` is missing, not null. */
export interface EmployeeRecord {
  id: string
  firstName?: string | null
  lastName?: string | null
  workEmail?: string | null
  active?: boolean | null
  /** ISO date-times in UTC, e.g. `2021-09-01T00:00:00.000Z` */
  hireDate?: string | null
  endDate?: string | null
  title?: string | null
  managerEmployeeId?: string | null
  departmentId?: string | null
}

export interface DepartmentRecord {
  id: string
  name?: string | null
}

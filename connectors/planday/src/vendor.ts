/**
 * Shapes of Planday's HR API v1.0 as its list endpoints answer them
 * (https://openapi.planday.com/api/hr). Only the fields hrsync reads are typed.
 */

/** Every list endpoint wraps its records like this; `total` counts all records, not the page. */
export interface Page<T> {
  paging?: { offset?: number; limit?: number; total?: number }
  data?: T[]
}

/** An item of `GET /hr/v1.0/employees` and of `GET /hr/v1.0/employees/deactivated`. */
export interface PlandayEmployee {
  id: number
  firstName?: string | null
  lastName?: string | null
  /** the login name; often an email, but not necessarily the work email */
  userName?: string | null
  email?: string | null
  departments?: number[] | null
  primaryDepartmentId?: number | null
  /** the first working day, `YYYY-MM-DD` */
  hiredFrom?: string | null
  /** the hire date under the name Planday's reference samples give list items */
  hiredDate?: string | null
  jobTitle?: string | null
  /** the id of a supervisor record (see {@link PlandaySupervisor}), not of an employee */
  supervisorId?: number | null
  /** the supervisor's employee id, where Planday sends it */
  supervisorEmployeeId?: number | null
  /** the last day of employment; set on deactivated employees */
  deactivationDate?: string | null
  /** when the account was last deactivated (an instant); Planday's reference samples show it on list items */
  dateTimeDeleted?: string | null
}

/** An item of `GET /hr/v1.0/employees/supervisors`. */
export interface PlandaySupervisor {
  id: number
  employeeId: number
  name?: string
}

/** An item of `GET /hr/v1.0/departments`. */
export interface PlandayDepartment {
  id: number
  name: string
  number?: string | null
}

/** The answer of `POST https://id.planday.com/connect/token`. */
export interface TokenResponse {
  access_token?: unknown
  expires_in?: unknown
  token_type?: unknown
}

/**
 * Shapes of the Hailey HR API v1 as its OpenAPI document describes them
 * (https://api.haileyhr.app/docs/v1/docs.json). Only the fields hrsync reads are typed.
 */

/** A department, title, team, location… of the company: every lookup of `/Company` has this shape. */
export interface Named {
  id?: string
  name?: string | null
}

/** The answer of `GET /Company`. */
export interface Company {
  departments?: Named[] | null
  titles?: Named[] | null
}

/** An item of `GET /Employees`; which fields are filled depends on the rights of the token's user. */
export interface EmployeeListItem {
  employeeId?: string
  firstName?: string | null
  lastName?: string | null
  /** the work email; the private email is a different field */
  companyEmail?: string | null
  /**
   * Computed daily from the employment dates. List items show display forms such as "In service" or
   * "Will join"; the employee record documents `BeingHired`, `WillJoin`, `InService`, `Leaving`, `HasLeft`.
   */
  employmentStatus?: string | null
  /** the start of the first employment, `YYYY-MM-DD` */
  dateOfJoining?: string | null
  /** the end of the last employment, `YYYY-MM-DD`; also set while a notice period runs */
  lastDayOfEmployment?: string | null
  departmentId?: string | null
  titleIds?: string[] | null
  managerEmployeeId?: string | null
}

/** RFC 7807 problem details, the body of Hailey's error answers. */
export interface ProblemDetails {
  type?: string | null
  title?: string | null
  status?: number | null
  detail?: string | null
}

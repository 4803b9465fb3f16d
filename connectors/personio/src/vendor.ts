/** Shapes of Personio's v1 API, as documented (https://developer.personio.de/reference/get_company-employees). */

/** Every employee attribute comes wrapped like this; only `value` matters. */
export interface Attribute<V> {
  label: string
  value: V
  type: string
  universal_id: string
}

export interface EmployeeRecord {
  type: 'Employee'
  /** attributes not whitelisted as readable on the credential are missing, not null */
  attributes: Partial<{
    id: Attribute<number | string>
    first_name: Attribute<string | null>
    last_name: Attribute<string | null>
    email: Attribute<string | null>
    status: Attribute<string | null>
    position: Attribute<string | null>
    supervisor: Attribute<{ type: 'Employee'; attributes: { id?: Attribute<number | string> } } | null>
    department: Attribute<{ type: 'Department'; attributes: { id: number; name: string } } | null>
    hire_date: Attribute<string | null>
    termination_date: Attribute<string | null>
  }> &
    Record<string, Attribute<unknown> | undefined>
}

export interface EmployeesPage {
  success: boolean
  metadata?: { total_elements?: number; current_page?: number; total_pages?: number }
  offset?: number
  limit?: number
  data: EmployeeRecord[]
}

export interface AuthResponse {
  success: boolean
  data?: { token?: string }
}

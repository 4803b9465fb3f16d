import { cleanString, emailFrom, idString, mapStatus, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'

/** An item of GET /api/employees. */
export interface ActiveEmployee {
  id?: number | string
  email?: string | null
  first_name?: string | null
  last_name?: string | null
  employment_start_date?: string | null
  team?: string | null
  position?: string | null
  reports_to_employee_id?: number | string | null
}

/** An item of GET /api/terminated-employees: no team and no manager. */
export interface TerminatedEmployee {
  id?: number | string
  email?: string | null
  first_name?: string | null
  last_name?: string | null
  employment_start_date?: string | null
  termination_date?: string | null
  position?: string | null
}

/** Sage HR has no status field: the list a person comes from, and the start date, are the status. */
export type SageHrStatus = 'employees' | 'employees-not-started' | 'terminated-employees'

export const STATUS = statusTable<SageHrStatus>({
  employees: 'active',
  'employees-not-started': 'pending', // on the active list with employment_start_date after today
  'terminated-employees': 'terminated',
})

export type Mapped = { employee: Employee } | { skipped: SkippedPerson }

function invalid(email: string | null): Mapped {
  return {
    skipped: { remoteId: 'unknown', email, reason: 'invalid_record', message: 'an employee without id' },
  }
}

export function mapActive(record: ActiveEmployee, now: Date): Mapped {
  const remoteId = idString(record.id)
  const email = emailFrom(record.email)
  if (remoteId === null) return invalid(email)
  const startDate = toIsoDate(record.employment_start_date ?? null)
  const listed: SageHrStatus =
    startDate !== null && startDate > todayIn('UTC', now) ? 'employees-not-started' : 'employees'
  const mapped = mapStatus(STATUS, listed, { remoteId, email })
  if ('skipped' in mapped) return mapped
  return {
    employee: employee({
      remoteId,
      email,
      firstName: cleanString(record.first_name),
      lastName: cleanString(record.last_name),
      status: mapped.status,
      managerRemoteId: idString(record.reports_to_employee_id),
      department: cleanString(record.team),
      jobTitle: cleanString(record.position),
      startDate,
    }),
  }
}

export function mapTerminated(record: TerminatedEmployee): Mapped {
  const remoteId = idString(record.id)
  const email = emailFrom(record.email)
  if (remoteId === null) return invalid(email)
  return {
    employee: employee({
      remoteId,
      email,
      firstName: cleanString(record.first_name),
      lastName: cleanString(record.last_name),
      status: STATUS['terminated-employees'],
      jobTitle: cleanString(record.position),
      startDate: toIsoDate(record.employment_start_date ?? null),
      terminationDate: toIsoDate(record.termination_date ?? null),
    }),
  }
}

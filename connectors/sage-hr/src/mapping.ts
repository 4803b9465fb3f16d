import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  skipPerson,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'

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

/** What a record of either list is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: ActiveEmployee | TerminatedEmployee): {
  remoteId: string | null
  email: string | null
} {
  return { remoteId: idString(record.id), email: emailFrom(record.email) }
}

/** The id of a record, or a skip when it has none. */
function idOf(record: ActiveEmployee | TerminatedEmployee): { remoteId: string; email: string | null } {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('an employee without id', { email })
  return { remoteId, email }
}

/** An employee of the active list; one without an id or with an unreadable date is refused with skipPerson. */
export function mapActive(record: ActiveEmployee, now: Date): Employee {
  const { remoteId, email } = idOf(record)
  const startDate = toIsoDate(record.employment_start_date ?? null)
  const listed: SageHrStatus =
    startDate !== null && startDate > todayIn('UTC', now) ? 'employees-not-started' : 'employees'
  const mapped = mapStatus(STATUS, listed, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.first_name),
    lastName: cleanString(record.last_name),
    status: mapped.status,
    managerRemoteId: idString(record.reports_to_employee_id),
    department: cleanString(record.team),
    jobTitle: cleanString(record.position),
    startDate,
  })
}

/** A leaver of the terminated list; one without an id or with an unreadable date is refused with skipPerson. */
export function mapTerminated(record: TerminatedEmployee): Employee {
  const { remoteId, email } = idOf(record)
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.first_name),
    lastName: cleanString(record.last_name),
    status: STATUS['terminated-employees'],
    jobTitle: cleanString(record.position),
    startDate: toIsoDate(record.employment_start_date ?? null),
    terminationDate: toIsoDate(record.termination_date ?? null),
  })
}

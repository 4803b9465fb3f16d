import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, type EmployeeStatus, employee, statusTable } from '@hrsync/core'

/**
 * Officient's archive flag, the only employment state its people endpoints expose: `archived` on the
 * list and on the detail, `deleted` on older details (https://apidocs.officient.io/reference, "List people",
 * "Person detail").
 */
export const STATUS = statusTable({
  '0': 'active',
  '1': 'terminated',
})

/** One item of `GET /people/list`. */
export interface OfficientListPerson {
  id: number
  name?: string
  email?: string | null
  role_name?: string
  archived?: number
}

/** `data` of `GET /people/{id}/detail`; only the fields the connector reads. */
export interface OfficientPersonDetail {
  id: number
  archived?: number
  deleted?: number
  name?: string
  first_name?: string
  last_name?: string
  email?: string | null
  team?: { id: number; name: string } | null
  employment?: { first_employment_date?: string | null; last_employment_date?: string | null } | null
  current_role?: { name?: string; start_date?: string } | null
  current_reports_to?: { person_id?: number | null; person_name?: string; start_date?: string } | null
}

/** Officient always has the full `name`; first and last name are filled on newer accounts only. */
function names(detail: OfficientPersonDetail): { firstName: string | null; lastName: string | null } {
  const first = cleanString(detail.first_name)
  const last = cleanString(detail.last_name)
  if (first !== null || last !== null) return { firstName: first, lastName: last }
  const full = cleanString(detail.name)
  if (full === null) return { firstName: null, lastName: null }
  const space = full.indexOf(' ')
  return space < 0
    ? { firstName: full, lastName: null }
    : { firstName: full.slice(0, space), lastName: full.slice(space + 1).trim() || null }
}

/** What a person is known by before it is mapped: a person skipped later is reported under it. */
export function identify(
  item: OfficientListPerson,
  detail: OfficientPersonDetail,
): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(item.id) ?? idString(detail.id), email: emailFrom(detail.email ?? item.email) }
}

/**
 * Maps a list item and its detail to an Employee; a person without an id, with an unknown archive flag or
 * an unreadable date is refused with skipPerson.
 */
export function toEmployee(item: OfficientListPerson, detail: OfficientPersonDetail, now: Date): Employee {
  const { remoteId, email } = identify(item, detail)
  if (remoteId === null) skipPerson('an Officient person without an id', { email })
  const flag = item.archived ?? detail.archived ?? detail.deleted
  // no flag anywhere: the person is treated as not archived and the employment dates below decide
  const mapped = mapStatus(STATUS, flag === undefined || flag === null ? '0' : String(flag), {
    remoteId,
    email,
  })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const startDate = toIsoDate(detail.employment?.first_employment_date)
  const terminationDate = toIsoDate(detail.employment?.last_employment_date)
  let status: EmployeeStatus = terminatedIfPast(mapped.status, terminationDate, now)
  // an active person whose first employment starts later has been hired but not started
  if (status === 'active' && startDate !== null && startDate > todayIn('UTC', now)) status = 'pending'
  return employee({
    remoteId,
    email,
    ...names(detail),
    status,
    managerRemoteId: idString(detail.current_reports_to?.person_id),
    department: cleanString(detail.team?.name),
    jobTitle: cleanString(detail.current_role?.name) ?? cleanString(item.role_name),
    startDate,
    terminationDate,
  })
}

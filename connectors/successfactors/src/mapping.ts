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
import { type Employee, employee, statusTable } from '@hrsync/core'

/** One EmpJob row with the navigations the connector expands (OData v2 JSON). */
export interface EmpJob {
  userId?: string
  startDate?: string | null
  jobTitle?: string | null
  managerId?: string | null
  userNav?: { firstName?: string | null; lastName?: string | null; email?: string | null } | null
  managerUserNav?: { userId?: string | null } | null
  departmentNav?: { name?: string | null } | null
  employmentNav?: { startDate?: string | null; endDate?: string | null } | null
  emplStatusNav?: { externalCode?: string | null } | null
}

/**
 * The external codes of the standard employee-status picklist (SAP KBA 2505526). Customers may rename the
 * labels but not these codes; a custom code is reported per person, never guessed.
 */
export type EmploymentStatusCode = 'A' | 'U' | 'P' | 'S' | 'F' | 'D' | 'T' | 'R' | 'O' | 'RNS'

export const STATUS = statusTable<EmploymentStatusCode>({
  A: 'active', // Active
  U: 'leave', // Unpaid Leave
  P: 'leave', // Paid Leave
  S: 'leave', // Suspended
  F: 'leave', // Furlough: still employed, SuccessFactors deactivates the login meanwhile
  D: 'leave', // Dormant: the home employment paused during a global assignment; SAP keeps the user active
  T: 'terminated', // Terminated
  R: 'terminated', // Retired
  O: 'terminated', // Discarded (a deleted global assignment)
  RNS: 'terminated', // Reported No Show
})

/** SuccessFactors puts this text in managerId for people without a manager. */
const NO_MANAGER = 'NO_MANAGER'

/** What a job row is known by before it is mapped: a person skipped later is reported under it. */
export function identify(job: EmpJob): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(job.userId), email: emailFrom(job.userNav?.email) }
}

/**
 * One EmpJob row as a canonical Employee; a row without a userId, with a custom status code or an
 * unreadable date is refused with skipPerson.
 */
export function toEmployee(job: EmpJob, now: Date): Employee {
  const { remoteId, email } = identify(job)
  if (remoteId === null) skipPerson('an EmpJob record without userId', { email })
  const mapped = mapStatus(STATUS, job.emplStatusNav?.externalCode, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const startDate = toIsoDate(job.employmentNav?.startDate ?? null)
  const terminationDate = toIsoDate(job.employmentNav?.endDate ?? null)
  // a hire whose job starts later has status A already: hired, not started
  const hiredLater = mapped.status === 'active' && startDate !== null && startDate > todayIn('UTC', now)
  const managerId = cleanString(job.managerId)
  return employee({
    remoteId,
    email,
    firstName: cleanString(job.userNav?.firstName),
    lastName: cleanString(job.userNav?.lastName),
    status: terminatedIfPast(hiredLater ? 'pending' : mapped.status, terminationDate, now),
    managerRemoteId: idString(job.managerUserNav?.userId) ?? (managerId === NO_MANAGER ? null : managerId),
    department: cleanString(job.departmentNav?.name),
    jobTitle: cleanString(job.jobTitle),
    startDate,
    terminationDate,
  })
}

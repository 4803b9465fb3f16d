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

/** `basicInfo.employeeType` values Nmbrs documents for people who are, were or will be employed. */
export const STATUS = statusTable({
  applicant: 'pending',
  newHire: 'pending',
  payroll: 'active',
  external: 'active',
  formerPayroll: 'terminated',
  formerExternal: 'terminated',
})

/** Documented employee types that never were employees: the connector leaves them out. */
export const NOT_EMPLOYED: readonly string[] = ['rejectedApplicant']

/** Payroll period of a history record. */
export interface Period {
  year: number
  period: number
}

export interface PersonalInfo {
  personalInfoId?: string
  basicInfo?: {
    firstName?: string | null
    prefix?: string | null
    lastName?: string | null
    employeeType?: string | null
  }
  contactInfo?: { businessEmail?: string | null }
  period?: Period
  createdAt?: string
}
export interface EmploymentRecord {
  employmentId?: string
  startDate?: string | null
  endDate?: string | null
  createdAt?: string
}
export interface DescribedRecord {
  description?: string | null
  period?: Period
  createdAt?: string
}
export interface ManagerRecord {
  managerId?: string
  email?: string | null
  period?: Period
  createdAt?: string
}

/** What the four company-wide history lists say about one employee. */
export interface Histories {
  employments?: EmploymentRecord[]
  functions?: DescribedRecord[]
  departments?: DescribedRecord[]
  managers?: ManagerRecord[]
}

/**
 * The record in force: the highest payroll period (year, then period) not in a later year, then the
 * latest createdAt. Nmbrs histories are period based, not dated.
 */
export function latest<T extends { period?: Period; createdAt?: string }>(
  records: T[] | undefined,
  now: Date,
): T | undefined {
  const year = now.getUTCFullYear()
  const current = (records ?? []).filter((r) => r.period === undefined || r.period.year <= year)
  const key = (r: T) => [r.period?.year ?? 0, r.period?.period ?? 0] as const
  return current.reduce<T | undefined>((best, r) => {
    if (best === undefined) return r
    const [by, bp] = key(best)
    const [ry, rp] = key(r)
    if (ry !== by) return ry > by ? r : best
    if (rp !== bp) return rp > bp ? r : best
    return (r.createdAt ?? '') >= (best.createdAt ?? '') ? r : best
  }, undefined)
}

/** The employment with the latest start date. */
function latestEmployment(records: EmploymentRecord[] | undefined): EmploymentRecord | undefined {
  return (records ?? []).reduce<EmploymentRecord | undefined>(
    (best, r) => (best === undefined || (r.startDate ?? '') > (best.startDate ?? '') ? r : best),
    undefined,
  )
}

/** Whether the personal info in force names a type that never was employed: such people are left out. */
export function neverEmployed(info: PersonalInfo[] | undefined, now: Date): boolean {
  const type = latest(info, now)?.basicInfo?.employeeType
  return typeof type === 'string' && NOT_EMPLOYED.includes(type)
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(
  employeeId: unknown,
  info: PersonalInfo[] | undefined,
  now: Date,
): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(employeeId), email: emailFrom(latest(info, now)?.contactInfo?.businessEmail) }
}

/**
 * Maps one employee's personal-info history and histories; an employee without an id or personal info,
 * with an undocumented type or an unreadable date is refused with skipPerson.
 */
export function toEmployee(
  employeeId: unknown,
  info: PersonalInfo[] | undefined,
  histories: Histories,
  now: Date,
): Employee {
  const { remoteId, email } = identify(employeeId, info, now)
  const current = latest(info, now)
  if (remoteId === null || current === undefined) {
    skipPerson('an Nmbrs employee without an employeeId or personal info', { remoteId, email })
  }
  const mapped = mapStatus(STATUS, current.basicInfo?.employeeType, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const employment = latestEmployment(histories.employments)
  const startDate = toIsoDate(employment?.startDate)
  const terminationDate = toIsoDate(employment?.endDate)
  let status: EmployeeStatus = terminatedIfPast(mapped.status, terminationDate, now)
  // hired on payroll but the employment has not started yet
  if (status === 'active' && startDate !== null && startDate > todayIn('UTC', now)) status = 'pending'
  const prefix = cleanString(current.basicInfo?.prefix)
  const lastName = cleanString(current.basicInfo?.lastName)
  return employee({
    remoteId,
    email,
    firstName: cleanString(current.basicInfo?.firstName),
    // Dutch surname prefix (tussenvoegsel): "van der" + "Berg"
    lastName: prefix !== null && lastName !== null ? `${prefix} ${lastName}` : lastName,
    status,
    managerEmail: emailFrom(latest(histories.managers, now)?.email),
    department: cleanString(latest(histories.departments, now)?.description),
    jobTitle: cleanString(latest(histories.functions, now)?.description),
    startDate,
    terminationDate,
  })
}

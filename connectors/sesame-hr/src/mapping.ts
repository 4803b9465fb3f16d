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

/** `status` of an employee, the whole documented enum (https://apidocs.sesametime.com/api-reference/employees/listemployees). */
export const STATUS = statusTable({
  active: 'active',
  inactive: 'terminated',
})
export type SesameStatus = keyof typeof STATUS

/** The fields of `GET /core/v3/employees` items the connector reads. */
export interface SesameEmployee {
  id?: string
  firstName?: string | null
  lastName?: string | null
  secondLastName?: string | null
  email?: string | null
  /** the private address; never used as the work email */
  personalMail?: string | null
  status?: string | null
  jobChargeName?: string | null
}

/** An item of `GET /core/v3/employee-managers`. */
export interface SesameManagerAssignment {
  employee?: { id?: string } | null
  manager?: { id?: string } | null
  permission?: string
  order?: number
}

/** An item of `GET /core/v3/employee-department-assignations`. */
export interface SesameDepartmentAssignment {
  employee?: { id?: string } | null
  department?: { id?: string; name?: string | null } | null
}

/** An item of `GET /contract/v1/contracts/{employeeId}`; `startDate`/`endDate` repeat `startAt`/`endAt`. */
export interface SesameContract {
  startAt?: string | null
  endAt?: string | null
  startDate?: string | null
  endDate?: string | null
}

/** The employment dates an employee's contracts give: the first start, and the end of the latest contract. */
export interface ContractDates {
  startDate: string | null
  lastEndDate: string | null
}

export function contractDates(contracts: readonly SesameContract[]): ContractDates {
  let startDate: string | null = null
  let latest: { start: string; end: string | null } | undefined
  for (const contract of contracts) {
    const start = toIsoDate(contract.startAt ?? contract.startDate)
    const end = toIsoDate(contract.endAt ?? contract.endDate)
    if (start === null) continue
    if (startDate === null || start < startDate) startDate = start
    if (!latest || start > latest.start) latest = { start, end }
  }
  return { startDate, lastEndDate: latest?.end ?? null }
}

/** What the joins add to an employee record, by employee id. */
export interface Joins {
  managerOf: ReadonlyMap<string, string>
  departmentOf: ReadonlyMap<string, string>
}

/** Per employee, the manager with the smallest `order` (0 before 1) among the given assignments. */
export function primaryManagers(assignments: Iterable<SesameManagerAssignment>): Map<string, string> {
  const best = new Map<string, { managerId: string; order: number }>()
  for (const assignment of assignments) {
    const employeeId = idString(assignment.employee?.id)
    const managerId = idString(assignment.manager?.id)
    if (employeeId === null || managerId === null || managerId === employeeId) continue
    const order = typeof assignment.order === 'number' ? assignment.order : Number.POSITIVE_INFINITY
    const known = best.get(employeeId)
    if (!known || order < known.order) best.set(employeeId, { managerId, order })
  }
  return new Map([...best].map(([employeeId, { managerId }]) => [employeeId, managerId]))
}

/** Per employee, the name of the first department assignation Sesame lists. */
export function firstDepartments(assignments: Iterable<SesameDepartmentAssignment>): Map<string, string> {
  const departments = new Map<string, string>()
  for (const assignment of assignments) {
    const employeeId = idString(assignment.employee?.id)
    const name = cleanString(assignment.department?.name)
    if (employeeId !== null && name !== null && !departments.has(employeeId))
      departments.set(employeeId, name)
  }
  return departments
}

/** Spanish records carry the second surname apart; the canonical last name holds both. */
function lastName(record: SesameEmployee): string | null {
  const parts = [cleanString(record.lastName), cleanString(record.secondLastName)].filter((p) => p !== null)
  return parts.length > 0 ? parts.join(' ') : null
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: SesameEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(record.id), email: emailFrom(record.email) }
}

/**
 * One Sesame employee as a canonical Employee; one without an id or with an undocumented status is
 * refused with skipPerson. Sesame marks leavers `inactive`;
 * their last contract's end is the termination date. An active person whose last contract ends later is
 * leaving on that date (R20); one whose contract end has passed stays active without a date, since HR has not
 * set them inactive (fixed-term contracts get renewed late). An active person whose first contract starts
 * later is pending.
 */
export function toEmployee(record: SesameEmployee, joins: Joins, dates: ContractDates, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('a Sesame employee without an id', { email })
  const mapped = mapStatus(STATUS, record.status, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const today = todayIn('UTC', now)
  const notStarted = dates.startDate !== null && dates.startDate > today
  const status = mapped.status === 'active' && notStarted ? 'pending' : mapped.status
  const leavingLater = dates.lastEndDate !== null && dates.lastEndDate >= today
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.firstName),
    lastName: lastName(record),
    status,
    managerRemoteId: joins.managerOf.get(remoteId) ?? null,
    department: joins.departmentOf.get(remoteId) ?? null,
    jobTitle: cleanString(record.jobChargeName),
    startDate: dates.startDate,
    terminationDate: mapped.status === 'terminated' || leavingLater ? dates.lastEndDate : null,
  })
}

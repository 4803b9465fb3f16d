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
import type { EmployeeListItem } from './vendor.js'

/**
 * Hailey's five documented values of `employmentStatus`. List items spell them as display text
 * ("In service", "Will join"), so values are compared without spaces or case.
 */
export const STATUS = statusTable({
  BeingHired: 'pending',
  WillJoin: 'pending',
  InService: 'active',
  // still employed while the notice period runs; lastDayOfEmployment is the termination date
  Leaving: 'active',
  HasLeft: 'terminated',
})

/** Department and title ids of `/Company` → their names. */
export interface Lookups {
  departments: ReadonlyMap<string, string>
  titles: ReadonlyMap<string, string>
}

/** What Hailey itself computes the status from, for a record that carries no status. */
function fromDates(startDate: string | null, endDate: string | null, now: Date): EmployeeStatus | null {
  const today = todayIn('UTC', now)
  if (endDate !== null && endDate < today) return 'terminated'
  if (startDate !== null && startDate > today) return 'pending'
  return startDate === null ? null : 'active'
}

/** The person's status; a person without a documented one is refused with skipPerson. */
function statusOf(
  person: EmployeeListItem,
  who: { remoteId: string; email: string | null },
  startDate: string | null,
  terminationDate: string | null,
  now: Date,
): EmployeeStatus {
  const raw = cleanString(person.employmentStatus)
  if (raw === null) {
    const status = fromDates(startDate, terminationDate, now)
    if (status !== null) return status
    skipPerson(
      'no employmentStatus and no dateOfJoining: the API token may lack the right to see employment data',
      { ...who, reason: 'unmapped_status' },
    )
  }
  const mapped = mapStatus(STATUS, raw.replace(/\s+/g, ''), who)
  if ('skipped' in mapped) {
    const documented = Object.keys(STATUS).join(', ')
    skipPerson(`employmentStatus "${raw}" is not one of ${documented}`, mapped.skipped)
  }
  return terminatedIfPast(mapped.status, terminationDate, now)
}

/** What a list item is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: EmployeeListItem): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(person.employeeId), email: emailFrom(person.companyEmail) }
}

/** One Hailey list item as a canonical Employee; an item that cannot be one is refused with skipPerson. */
export function toEmployee(person: EmployeeListItem, lookups: Lookups, now: Date): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a Hailey employee without an employeeId', { email })
  const startDate = toIsoDate(person.dateOfJoining)
  const terminationDate = toIsoDate(person.lastDayOfEmployment)
  const titleId = person.titleIds?.[0]
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.firstName),
    lastName: cleanString(person.lastName),
    status: statusOf(person, { remoteId, email }, startDate, terminationDate, now),
    managerRemoteId: idString(person.managerEmployeeId),
    department: person.departmentId ? (lookups.departments.get(person.departmentId) ?? null) : null,
    jobTitle: titleId ? (lookups.titles.get(titleId) ?? null) : null,
    startDate,
    terminationDate,
  })
}

import {
  cleanString,
  emailFrom,
  idString,
  mapStatus,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, type EmployeeStatus, employee, type SkippedPerson, statusTable } from '@hrsync/core'
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

function statusOf(
  person: EmployeeListItem,
  who: { remoteId: string; email: string | null },
  startDate: string | null,
  terminationDate: string | null,
  now: Date,
): { status: EmployeeStatus } | { skipped: SkippedPerson } {
  const raw = cleanString(person.employmentStatus)
  if (raw === null) {
    const status = fromDates(startDate, terminationDate, now)
    if (status !== null) return { status }
    return {
      skipped: {
        ...who,
        reason: 'unmapped_status',
        message:
          'no employmentStatus and no dateOfJoining: the API token may lack the right to see employment data',
      },
    }
  }
  const mapped = mapStatus(STATUS, raw.replace(/\s+/g, ''), who)
  if ('skipped' in mapped) {
    const documented = Object.keys(STATUS).join(', ')
    return {
      skipped: { ...mapped.skipped, message: `employmentStatus "${raw}" is not one of ${documented}` },
    }
  }
  return { status: terminatedIfPast(mapped.status, terminationDate, now) }
}

/** One Hailey list item as a canonical Employee, or the reason it cannot be one. */
export function toEmployee(person: EmployeeListItem, lookups: Lookups, now: Date): Employee | SkippedPerson {
  const remoteId = idString(person.employeeId)
  const email = emailFrom(person.companyEmail)
  if (remoteId === null) {
    return {
      remoteId: '(none)',
      email,
      reason: 'invalid_record',
      message: 'a Hailey employee without an employeeId',
    }
  }
  try {
    const startDate = toIsoDate(person.dateOfJoining)
    const terminationDate = toIsoDate(person.lastDayOfEmployment)
    const state = statusOf(person, { remoteId, email }, startDate, terminationDate, now)
    if ('skipped' in state) return state.skipped
    const titleId = person.titleIds?.[0]
    return employee({
      remoteId,
      email,
      firstName: cleanString(person.firstName),
      lastName: cleanString(person.lastName),
      status: state.status,
      managerRemoteId: idString(person.managerEmployeeId),
      department: person.departmentId ? (lookups.departments.get(person.departmentId) ?? null) : null,
      jobTitle: titleId ? (lookups.titles.get(titleId) ?? null) : null,
      startDate,
      terminationDate,
    })
  } catch (error) {
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

export function isSkipped(value: Employee | SkippedPerson): value is SkippedPerson {
  return 'reason' in value
}

import { cleanString, emailFrom, idString, terminatedIfPast, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'

/**
 * HR WORKS has no status field on the master record: `isActive` and the join and leave dates tell it.
 * The keys name the condition, the values what it means.
 */
export const STATUS = statusTable({
  active: 'active',
  not_joined: 'pending',
  left: 'terminated',
  deactivated: 'terminated',
})
export type HrWorksCondition = keyof typeof STATUS

/** The fields of a `persons` item of `GET /v2/persons/master-data` the connector reads. */
export interface HrWorksPerson {
  personId?: string
  personnelNumber?: string | number | null
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  /** the private address; never used as the work email */
  privateEmail?: string | null
  isActive?: unknown
  position?: string | null
  organizationUnit?: { number?: string | number | null; name?: string | null } | null
  joinDate?: string | null
  leaveDate?: string | null
  /** the line manager, referenced by personnel number */
  superior?: { personnelNumber?: string | number | null } | null
}

/** The condition a master record is in on `now`, or null when `isActive` is not a boolean. */
export function condition(person: HrWorksPerson, now: Date): HrWorksCondition | null {
  if (typeof person.isActive !== 'boolean') return null
  if (!person.isActive) return 'deactivated'
  if (terminatedIfPast('active', toIsoDate(person.leaveDate), now) === 'terminated') return 'left'
  const joinDate = toIsoDate(person.joinDate)
  if (joinDate !== null && joinDate > todayIn('UTC', now)) return 'not_joined'
  return 'active'
}

/** Personnel number → person id, over every page: superiors are referenced by personnel number. */
export function personIdsByNumber(persons: Iterable<HrWorksPerson>): Map<string, string> {
  const ids = new Map<string, string>()
  for (const person of persons) {
    const number = idString(person.personnelNumber)
    const personId = idString(person.personId)
    if (number !== null && personId !== null && !ids.has(number)) ids.set(number, personId)
  }
  return ids
}

/** One HR WORKS master record as a canonical Employee, or the reason it is skipped. */
export function toEmployee(
  person: HrWorksPerson,
  idsByNumber: ReadonlyMap<string, string>,
  now: Date,
): Employee | SkippedPerson {
  const remoteId = idString(person.personId)
  const email = emailFrom(person.email)
  if (remoteId === null) {
    return {
      remoteId: idString(person.personnelNumber) ?? '(none)',
      email,
      reason: 'invalid_record',
      message: 'an HR WORKS person without a personId',
    }
  }
  try {
    return mapped(person, remoteId, email, idsByNumber, now)
  } catch (error) {
    // a malformed date skips this person only
    return { remoteId, email, reason: 'invalid_record', message: (error as Error).message }
  }
}

function mapped(
  person: HrWorksPerson,
  remoteId: string,
  email: string | null,
  idsByNumber: ReadonlyMap<string, string>,
  now: Date,
): Employee | SkippedPerson {
  const state = condition(person, now)
  if (state === null) {
    return {
      remoteId,
      email,
      reason: 'unmapped_status',
      message: `isActive "${String(person.isActive)}" is not true or false`,
    }
  }
  const superior = idString(person.superior?.personnelNumber)
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.firstName),
    lastName: cleanString(person.lastName),
    status: STATUS[state],
    managerRemoteId: superior === null ? null : (idsByNumber.get(superior) ?? null),
    department: cleanString(person.organizationUnit?.name),
    jobTitle: cleanString(person.position),
    startDate: toIsoDate(person.joinDate),
    terminationDate: toIsoDate(person.leaveDate),
  })
}

import {
  cleanString,
  emailFrom,
  idString,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'

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

/**
 * What a person is known by before it is mapped: a person skipped later is reported under it, the
 * personnel number standing in for a missing personId.
 */
export function identify(person: HrWorksPerson): { remoteId: string | null; email: string | null } {
  return {
    remoteId: idString(person.personId) ?? idString(person.personnelNumber),
    email: emailFrom(person.email),
  }
}

/**
 * One HR WORKS master record as a canonical Employee. A person without a personId or with an isActive
 * that is not a boolean is refused with skipPerson, a malformed date by toIsoDate: mapRecords reports
 * them skipped.
 */
export function toEmployee(
  person: HrWorksPerson,
  idsByNumber: ReadonlyMap<string, string>,
  now: Date,
): Employee {
  const remoteId = idString(person.personId)
  const email = emailFrom(person.email)
  if (remoteId === null) skipPerson('an HR WORKS person without a personId', { email })
  const state = condition(person, now)
  if (state === null) {
    skipPerson(`isActive "${String(person.isActive)}" is not true or false`, {
      remoteId,
      email,
      reason: 'unmapped_status',
    })
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

import { cleanString, emailFrom, idString, todayIn } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'
import type { DepartmentTree, OrganizationNode, UserRecord } from './vendor.js'

/**
 * Eurécia users carry no status field: the `archived` flag and the entry and departure dates decide.
 * These are the four states they can describe. Leave lives in the absence module, never on the user.
 */
export const STATUS = statusTable({
  archived: 'terminated',
  departed: 'terminated',
  notYetEntered: 'pending',
  employed: 'active',
})
export type UserState = keyof typeof STATUS

/** The zone Eurécia dates are read in when a user has none. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris'

/**
 * Eurécia sends dates as epoch milliseconds at local midnight (1661983200000 is 2022-08-31T22:00Z,
 * 1 September in Paris): the calendar day is the one in the user's own time zone.
 */
export function localDate(value: unknown, timeZone: string): string | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`expected epoch milliseconds, got ${JSON.stringify(value)}`)
  }
  return todayIn(timeZone, new Date(value))
}

/** Where the user stands; a departure date today still counts as employed (it ends with the day). */
export function userState(
  user: Pick<UserRecord, 'archived'>,
  startDate: string | null,
  departureDate: string | null,
  today: string,
): UserState {
  if (user.archived === true) return 'archived'
  if (departureDate !== null && departureDate < today) return 'departed'
  if (startDate !== null && startDate > today) return 'notYetEntered'
  return 'employed'
}

/** Department id → name, from every level of the tree. */
export function departmentNames(tree: DepartmentTree | null): Map<string, string> {
  const names = new Map<string, string>()
  const walk = (nodes: OrganizationNode[] | null | undefined) => {
    for (const node of nodes ?? []) {
      const id = idString(node.organizationDto?.id)
      const name = cleanString(node.organizationDto?.name)
      if (id !== null && name !== null) names.set(id, name)
      walk(node.nodes)
    }
  }
  walk(tree?.nodes)
  return names
}

/** One Eurécia user record (the detail call) as a canonical Employee, or the reason it cannot be one. */
export function toEmployee(
  user: UserRecord,
  departments: ReadonlyMap<string, string>,
  now: Date,
): Employee | SkippedPerson {
  const remoteId = idString(user.id)
  // `personalEmail` is never used: the canonical email is the work email
  const email = emailFrom(user.email)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'a Eurécia user without an id' }
  }
  try {
    const timeZone = cleanString(user.timezone) ?? DEFAULT_TIME_ZONE
    const startDate = localDate(user.entryDate ?? user.hiringDate, timeZone)
    const terminationDate = localDate(user.departureDate, timeZone)
    const state = userState(user, startDate, terminationDate, todayIn(timeZone, now))
    const departmentId = idString(user.department)
    // `userManagers` are other approvers; the line manager is the first direct manager
    const manager = user._embedded?.userDirectManagers?.[0]
    return employee({
      remoteId,
      email,
      firstName: cleanString(user.firstName),
      lastName: cleanString(user.lastName),
      status: STATUS[state],
      managerRemoteId: idString(user.userDirectManagers?.[0]) ?? idString(manager?.id),
      managerEmail: emailFrom(manager?.email),
      department: departmentId === null ? null : (departments.get(departmentId) ?? null),
      jobTitle: cleanString(user.jobTitle),
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

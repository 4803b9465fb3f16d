import { cleanString, emailFrom, idString, skipPerson, todayIn } from '@hrsync/connector-kit'
import { ConnectorError, type Employee, employee, statusTable } from '@hrsync/core'
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
    throw new ConnectorError(
      'malformed_response',
      `expected epoch milliseconds, got ${JSON.stringify(value)}`,
    )
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

/** Whether the runtime knows the zone; a user's own zone is vendor data and may be anything. */
function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

/** The zone the user's dates are read in: their own, else Paris. */
function userTimeZone(user: UserRecord): string {
  const timeZone = cleanString(user.timezone) ?? DEFAULT_TIME_ZONE
  if (!isKnownTimeZone(timeZone)) skipPerson(`the time zone "${timeZone}" is not one the runtime knows`)
  return timeZone
}

/** What a user is known by before it is mapped: a person skipped later is reported under it. */
export function identify(user: UserRecord): { remoteId: string | null; email: string | null } {
  // `personalEmail` is never used: the canonical email is the work email
  return { remoteId: idString(user.id), email: emailFrom(user.email) }
}

/**
 * One Eurécia user record (the detail call) as a canonical Employee. A user without an id or with an
 * unknown time zone is refused with skipPerson, a date that is not epoch milliseconds by localDate:
 * mapRecords reports them skipped.
 */
export function toEmployee(user: UserRecord, departments: ReadonlyMap<string, string>, now: Date): Employee {
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('a Eurécia user without an id', { email })
  const timeZone = userTimeZone(user)
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
}

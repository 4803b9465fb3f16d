import { statusOn } from './dates.js'
import type { DirectoryUser, PersonRecord, Snapshot, SyncWarning } from './directory.js'
import type { Employee, EmployeeStatus } from './model.js'

/** R1: emails are compared trimmed and lower-cased; an empty email is no email. */
export function normaliseEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null
  const normalised = email.trim().toLowerCase()
  return normalised === '' ? null : normalised
}

/** A person of the snapshot as the rules see them today. */
export interface Person {
  remoteId: string
  /** the normalised HR work email */
  email: string | null
  /** the status that holds today (R20) */
  status: EmployeeStatus
  employee: Employee
  /** what the directory keeps of this person */
  record: PersonRecord
}

/** "Ana Ruiz", falling back to the remoteId when HR has no name. */
export function personName(person: {
  remoteId: string
  employee: Pick<Employee, 'firstName' | 'lastName'>
}): string {
  return fullName(person.employee.firstName, person.employee.lastName) ?? person.remoteId
}

/** "Ana Ruiz", falling back to the login email. */
export function userName(user: Pick<DirectoryUser, 'firstName' | 'lastName' | 'email'>): string {
  return fullName(user.firstName, user.lastName) ?? user.email
}

function fullName(firstName: string | null, lastName: string | null): string | null {
  const name = [firstName, lastName]
    .map((part) => part?.trim() ?? '')
    .filter((part) => part !== '')
    .join(' ')
  return name === '' ? null : name
}

function toPerson(employee: Employee, today: string): Person {
  const status = statusOn(employee, today)
  const email = normaliseEmail(employee.email)
  return {
    remoteId: employee.remoteId,
    email,
    status,
    employee,
    record: {
      status,
      hrEmail: email,
      firstName: employee.firstName,
      lastName: employee.lastName,
      department: employee.department,
      jobTitle: employee.jobTitle,
      managerRemoteId: employee.managerRemoteId,
      startDate: employee.startDate,
      terminationDate: employee.terminationDate,
    },
  }
}

/** How one person of the snapshot meets the directory. */
export type Match =
  /** already linked by (integrationId, remoteId), person not terminated */
  | { kind: 'linked'; person: Person; user: DirectoryUser }
  /** an unlinked user (R12) or, with relinked, a user whose person is gone (R10) gets linked by email */
  | { kind: 'link'; person: Person; user: DirectoryUser; relinked: boolean }
  /** an HR-only person: a new uninvited user (R6) */
  | { kind: 'create'; person: Person }

export interface Matching {
  /** every person of the snapshot by remoteId */
  persons: Map<string, Person>
  matches: Match[]
  /** R3: linked users whose person is terminated (person set) or absent (person null) */
  gone: Array<{ user: DirectoryUser; person: Person | null }>
  warnings: SyncWarning[]
}

const byRemoteId = (a: { remoteId: string }, b: { remoteId: string }) =>
  a.remoteId < b.remoteId ? -1 : a.remoteId > b.remoteId ? 1 : 0

/** R1, R2, R3, R10, R11, R12: who is who between the snapshot and the directory. */
export function matchPeople(snapshot: Snapshot, users: DirectoryUser[], today: string): Matching {
  const { integrationId, source } = snapshot
  const warnings: SyncWarning[] = []
  const persons = new Map<string, Person>()
  for (const employee of snapshot.employees) {
    if (persons.has(employee.remoteId)) {
      warnings.push({
        code: 'invalid_record',
        message: `${employee.remoteId} appears twice in ${source}; the first record is used`,
        remoteIds: [employee.remoteId],
      })
      continue
    }
    persons.set(employee.remoteId, toPerson(employee, today))
  }
  const skipped = new Set<string>()
  for (const person of snapshot.skipped ?? []) {
    skipped.add(person.remoteId)
    const email = normaliseEmail(person.email)
    warnings.push({
      code: person.reason,
      message: person.message,
      remoteIds: [person.remoteId],
      ...(email === null ? {} : { email }),
    })
  }

  const linkedUsers = new Map<string, DirectoryUser>()
  const usersByEmail = new Map<string, DirectoryUser[]>()
  for (const user of users) {
    if (user.link?.integrationId === integrationId) linkedUsers.set(user.link.remoteId, user)
    const email = normaliseEmail(user.email)
    if (email !== null) usersByEmail.set(email, [...(usersByEmail.get(email) ?? []), user])
  }

  const ordered = [...persons.values()].sort(byRemoteId)
  /** persons for whom nothing at all happens this run (R2 conflict, R11 conflict) */
  const frozen = new Set<string>()

  // R2: several persons with one email.
  const byEmail = new Map<string, Person[]>()
  for (const person of ordered) {
    if (person.email !== null) byEmail.set(person.email, [...(byEmail.get(person.email) ?? []), person])
  }
  for (const [email, group] of [...byEmail].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (group.length < 2) continue
    const employed = group.filter((person) => person.status !== 'terminated')
    if (employed.length >= 2) {
      for (const person of group) frozen.add(person.remoteId)
      warnings.push({
        code: 'duplicate_email',
        message: `${employed.map(personName).join(', ')} share the email ${email} in ${source}; nothing changes for them until HR fixes it`,
        remoteIds: group.map((person) => person.remoteId),
        email,
      })
    } else if (employed.length === 1) {
      const winner = employed[0]!
      const ignored = group.filter((person) => person !== winner)
      warnings.push({
        code: 'duplicate_ignored',
        message: `${ignored.map(personName).join(', ')} (terminated) share the email ${email} with ${personName(winner)}; duplicate ignored`,
        remoteIds: ignored.map((person) => person.remoteId),
        email,
      })
    }
  }

  const presentIn = (held: Set<string>) => (remoteId: string) => {
    const person = persons.get(remoteId)
    return (
      skipped.has(remoteId) || held.has(remoteId) || (person !== undefined && person.status !== 'terminated')
    )
  }
  // An entry on Add people whose person is gone is on its way out (R4, R6): its email is free again.
  const presentBeforeR11 = presentIn(new Set(frozen))
  const leaving = (user: DirectoryUser) =>
    user.link?.integrationId === integrationId &&
    (user.status === 'uninvited' || (user.status === 'invited' && user.origin === 'hr')) &&
    !presentBeforeR11(user.link.remoteId)

  const matches: Match[] = []
  // R1/R11: linked persons are found by remoteId; a new HR email that belongs to another user is a conflict.
  for (const person of ordered) {
    const user = linkedUsers.get(person.remoteId)
    if (user === undefined || frozen.has(person.remoteId)) continue
    const owner =
      person.email === null || person.email === normaliseEmail(user.email)
        ? undefined
        : usersByEmail.get(person.email)?.find((other) => other.id !== user.id && !leaving(other))
    if (owner !== undefined) {
      frozen.add(person.remoteId)
      warnings.push({
        code: 'email_conflict',
        message: `${personName(person)}'s HR email changed to ${person.email}, which belongs to ${userName(owner)}; nothing changes for this person`,
        remoteIds: [person.remoteId],
        email: person.email!,
      })
    } else if (person.status !== 'terminated') {
      matches.push({ kind: 'linked', person, user })
    }
  }

  const stillThere = presentIn(frozen)
  const relinked = new Set<string>()
  // R1/R6/R10/R12: persons not linked yet are linked by email, or listed as new uninvited users.
  for (const person of ordered) {
    if (linkedUsers.has(person.remoteId) || frozen.has(person.remoteId) || person.status === 'terminated')
      continue
    if (person.email === null) {
      warnings.push({
        code: 'missing_email',
        message: `${personName(person)} has no work email in ${source}; they are neither linked nor listed`,
        remoteIds: [person.remoteId],
      })
      continue
    }
    const candidates = usersByEmail.get(person.email) ?? []
    const candidate = candidates.length === 1 ? candidates[0]! : undefined
    if (candidates.length === 0) {
      matches.push({ kind: 'create', person })
    } else if (candidate !== undefined && candidate.link === null) {
      matches.push({ kind: 'link', person, user: candidate, relinked: false })
    } else if (
      candidate?.link?.integrationId === integrationId &&
      !stillThere(candidate.link.remoteId) &&
      !relinked.has(candidate.id)
    ) {
      relinked.add(candidate.id)
      matches.push({ kind: 'link', person, user: candidate, relinked: true })
      warnings.push({
        code: 're_linked',
        message: `${personName(person)} is back in ${source} under a new id (${person.remoteId}); re-linked to ${userName(candidate)}, history kept`,
        remoteIds: [candidate.link.remoteId, person.remoteId],
        email: person.email,
      })
    } else {
      warnings.push({
        code: 'email_conflict',
        message: `${personName(person)}'s email ${person.email} already belongs to ${candidates.map(userName).join(', ')}, who is another person; nothing changes for this person`,
        remoteIds: [person.remoteId],
        email: person.email,
      })
    }
  }

  // R3: a linked person is gone when terminated or absent from a complete pull; skipped persons never are.
  const gone: Matching['gone'] = []
  for (const [remoteId, user] of [...linkedUsers].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (relinked.has(user.id) || stillThere(remoteId)) continue
    gone.push({ user, person: persons.get(remoteId) ?? null })
  }
  return { persons, matches, gone, warnings }
}

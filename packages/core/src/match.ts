import { statusOn } from './dates.js'
import type { DirectoryUser, PersonRecord, Snapshot, SyncWarning } from './directory.js'
import { RemoteIdIndex, StringIndex } from './keyed.js'
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
  /** R15: the manager's remoteId, HR's or that of the person whose work email HR gave; null: none found */
  readonly managerRemoteId: string | null
  employee: Employee
  /** what the directory keeps of this person */
  readonly record: PersonRecord
}

/** Its record is built only when a change carries it: most persons of a run change nothing. */
class SnapshotPerson implements Person {
  readonly remoteId: string
  /** while matching: the user linked to this person by (integrationId, remoteId), if any */
  linkedUser: DirectoryUser | undefined = undefined
  managerRemoteId: string | null
  constructor(
    readonly employee: Employee,
    readonly status: EmployeeStatus,
    readonly email: string | null,
  ) {
    this.remoteId = employee.remoteId
    this.managerRemoteId = employee.managerRemoteId
  }
  get record(): PersonRecord {
    const { employee } = this
    return {
      status: this.status,
      hrEmail: this.email,
      firstName: employee.firstName,
      lastName: employee.lastName,
      department: employee.department,
      jobTitle: employee.jobTitle,
      managerRemoteId: this.managerRemoteId,
      startDate: employee.startDate,
      terminationDate: employee.terminationDate,
    }
  }
}

/** Whether the directory's record of a person already says what the snapshot says. */
export function sameRecord(record: PersonRecord | null, person: Person): boolean {
  const { employee } = person
  return (
    record !== null &&
    record.status === person.status &&
    record.hrEmail === person.email &&
    record.firstName === employee.firstName &&
    record.lastName === employee.lastName &&
    record.department === employee.department &&
    record.jobTitle === employee.jobTitle &&
    record.managerRemoteId === person.managerRemoteId &&
    record.startDate === employee.startDate &&
    record.terminationDate === employee.terminationDate
  )
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

function toPerson(employee: Employee, today: string): SnapshotPerson {
  return new SnapshotPerson(employee, statusOn(employee, today), normaliseEmail(employee.email))
}

/** A person of the snapshot linked to a user of the directory. */
export interface LinkedPerson extends Person {
  readonly linkedUser: DirectoryUser
}

/** How one person of the snapshot not linked yet meets the directory. */
export type Match =
  /** an unlinked user (R12) or, with relinked, a user whose person is gone (R10) gets linked by email */
  | { kind: 'link'; person: Person; user: DirectoryUser; relinked: boolean }
  /** an HR-only person: a new uninvited user (R6) */
  | { kind: 'create'; person: Person }

export interface Matching {
  /** every person of the snapshot by remoteId */
  persons: RemoteIdIndex<Person>
  /** the same persons in snapshot order */
  ordered: Person[]
  /** R1: persons already linked by (integrationId, remoteId), not terminated, with their user */
  linked: LinkedPerson[]
  /** the persons not linked yet */
  matches: Match[]
  /**
   * R3: linked users whose person is terminated (person set) or absent (person null), and R2/R4:
   * users with access linked this run to a person who already left (their `link_user` is in `matches`)
   */
  gone: Array<{ user: DirectoryUser; person: Person | null }>
  warnings: SyncWarning[]
}

/** The remoteIds of one list are distinct: no two compare equal. */
const byRemoteId = (a: { remoteId: string }, b: { remoteId: string }) => (a.remoteId < b.remoteId ? -1 : 1)

/**
 * Items found while walking the persons in snapshot order, put in remoteId order at the end: the
 * result never depends on the order HR listed people in, and only what is reported gets sorted.
 */
class ByRemoteId<T> {
  private readonly items: Array<{ remoteId: string; item: T }> = []
  add(remoteId: string, item: T): void {
    this.items.push({ remoteId, item })
  }
  sorted(): T[] {
    return this.items.sort(byRemoteId).map(({ item }) => item)
  }
}

/**
 * The users of the emails asked about. Most runs ask about a few emails (new hires, changed
 * addresses), so only those are indexed, in one pass over the users.
 */
function usersByEmail(
  users: readonly DirectoryUser[],
  wanted: ReadonlySet<string>,
): Map<string, DirectoryUser[]> {
  const found = new Map<string, DirectoryUser[]>()
  if (wanted.size === 0) return found
  for (let at = 0; at < users.length; at++) {
    const user = users[at]!
    const email = normaliseEmail(user.email)
    if (email === null || !wanted.has(email)) continue
    const list = found.get(email)
    if (list === undefined) found.set(email, [user])
    else list.push(user)
  }
  return found
}

/** The emails held by more than one of `persons`, found with the remoteId table's kind of index. */
function repeatedEmails(persons: readonly { email: string | null }[]): Set<string> {
  const repeated = new Set<string>()
  const seen = new StringIndex(persons.length)
  for (let at = 0; at < persons.length; at++) {
    const email = persons[at]!.email
    if (email !== null && !seen.add(email)) repeated.add(email)
  }
  return repeated
}

/** The persons that share an email with another person (R2), by email. */
function sharedEmails(persons: readonly SnapshotPerson[]): Map<string, SnapshotPerson[]> {
  const shared = repeatedEmails(persons)
  const groups = new Map<string, SnapshotPerson[]>()
  if (shared.size === 0) return groups
  for (let at = 0; at < persons.length; at++) {
    const person = persons[at]!
    if (person.email === null || !shared.has(person.email)) continue
    const group = groups.get(person.email)
    if (group === undefined) groups.set(person.email, [person])
    else group.push(person)
  }
  return groups
}

/**
 * Every person of the snapshot by remoteId, and in snapshot order (`items`); a remoteId listed
 * twice keeps its first record.
 */
function personsOf(
  snapshot: Snapshot,
  today: string,
  warnings: SyncWarning[],
): RemoteIdIndex<SnapshotPerson> {
  const { employees } = snapshot
  const persons = new RemoteIdIndex<SnapshotPerson>(employees.length)
  for (let at = 0; at < employees.length; at++) {
    const employee = employees[at]!
    if (persons.add(toPerson(employee, today))) continue
    warnings.push({
      code: 'invalid_record',
      message: `${employee.remoteId} appears twice in ${snapshot.source}; the first record is used`,
      remoteIds: [employee.remoteId],
    })
  }
  return persons
}

/**
 * R15: managers HR names by work email get that person's remoteId: the one person with the email
 * not terminated, else the only person with it; none when nobody (or several) match.
 */
function resolveManagerEmails(ordered: readonly SnapshotPerson[]): void {
  let byEmail: Map<string, SnapshotPerson[]> | null = null
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const email = person.managerRemoteId === null ? normaliseEmail(person.employee.managerEmail) : null
    if (email === null) continue
    // indexed on first use: most vendors name managers by id
    if (byEmail === null) {
      byEmail = new Map()
      for (const other of ordered) {
        if (other.email === null) continue
        const group = byEmail.get(other.email)
        if (group === undefined) byEmail.set(other.email, [other])
        else group.push(other)
      }
    }
    const candidates = byEmail.get(email) ?? []
    const employed = candidates.filter((candidate) => candidate.status !== 'terminated')
    const manager = employed.length === 1 ? employed[0] : candidates.length === 1 ? candidates[0] : undefined
    if (manager !== undefined) person.managerRemoteId = manager.remoteId
  }
}

/**
 * R1, R2, R3, R10, R11, R12: who is who between the snapshot and the directory.
 *
 * Loops over every person or user are indexed: a `for…of` allocates a result per step until the
 * optimiser has compiled its loop, and a plan walks each list only once.
 */
export function matchPeople(snapshot: Snapshot, users: DirectoryUser[], today: string): Matching {
  const { integrationId, source } = snapshot
  const warnings: SyncWarning[] = []
  const persons = personsOf(snapshot, today, warnings)
  const ordered = persons.items
  resolveManagerEmails(ordered)
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

  // Users linked to this integration meet their person by remoteId; the others wait in `absent`.
  // Like any map, a remoteId linked to two users keeps the last.
  const absent = new Map<string, DirectoryUser>()
  for (let at = 0; at < users.length; at++) {
    const user = users[at]!
    if (user.link?.integrationId !== integrationId) continue
    const person = persons.get(user.link.remoteId)
    if (person === undefined) absent.set(user.link.remoteId, user)
    else person.linkedUser = user
  }
  // The emails to look users up by: those of persons not linked yet, and the changed ones (R11).
  const wanted = new Set<string>()
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const { email, linkedUser } = person
    if (email === null) continue
    if (
      linkedUser === undefined ||
      (email !== linkedUser.email && email !== normaliseEmail(linkedUser.email))
    )
      wanted.add(email)
  }
  const byEmail = usersByEmail(users, wanted)
  const usersOf = (email: string): readonly DirectoryUser[] => byEmail.get(email) ?? []

  /** persons for whom nothing at all happens this run (R2 conflict, R11 conflict) */
  const frozen = new Set<string>()
  /** R2: leavers whose email a person still employed holds ("duplicate ignored") */
  const ignored = new Set<string>()

  // R2: several persons with one email.
  for (const [email, unordered] of [...sharedEmails(ordered)].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const group = [...unordered].sort(byRemoteId)
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
      const others = group.filter((person) => person !== winner)
      for (const person of others) ignored.add(person.remoteId)
      warnings.push({
        code: 'duplicate_ignored',
        message: `${others.map(personName).join(', ')} (terminated) share the email ${email} with ${personName(winner)}; duplicate ignored`,
        remoteIds: others.map((person) => person.remoteId),
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
  // So is one not linked yet whose email only leavers hold: it is linked to one of them this run and
  // removed with it (R2/R4 below), so it holds no email against a linked person's change (R11).
  const presentBeforeR11 = presentIn(new Set(frozen))
  const leaverEmails = new Set<string>()
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const unlinkedLeaver = person.linkedUser === undefined && person.status === 'terminated'
    if (
      unlinkedLeaver &&
      person.email !== null &&
      !ignored.has(person.remoteId) &&
      !frozen.has(person.remoteId)
    )
      leaverEmails.add(person.email)
  }
  const onAddPeople = (user: DirectoryUser) =>
    user.status === 'uninvited' || (user.status === 'invited' && user.origin === 'hr')
  const leaving = (user: DirectoryUser) =>
    onAddPeople(user) &&
    (user.link === null
      ? leaverEmails.has(normaliseEmail(user.email) ?? '')
      : user.link.integrationId === integrationId && !presentBeforeR11(user.link.remoteId))

  const matches: Match[] = []
  const linked: LinkedPerson[] = []
  // R1/R11: linked persons are found by remoteId; a new HR email that belongs to another user is a conflict.
  const conflicts = new ByRemoteId<SyncWarning>()
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const user = person.linkedUser
    if (user === undefined || frozen.has(person.remoteId)) continue
    const sameEmail =
      person.email === null || person.email === user.email || person.email === normaliseEmail(user.email)
    const owner = sameEmail
      ? undefined
      : usersOf(person.email!).find((other) => other.id !== user.id && !leaving(other))
    if (owner !== undefined) {
      frozen.add(person.remoteId)
      conflicts.add(person.remoteId, {
        code: 'email_conflict',
        message: `${personName(person)}'s HR email changed to ${person.email}, which belongs to ${userName(owner)}; nothing changes for this person`,
        remoteIds: [person.remoteId],
        email: person.email!,
      })
    } else if (person.status !== 'terminated') {
      linked.push(person as LinkedPerson)
    }
  }
  warnings.push(...conflicts.sorted())

  const stillThere = presentIn(frozen)
  // R1/R6/R10/R12: persons not linked yet are linked by email, or listed as new uninvited users.
  // R2 leaves at most one such person per email, so no two of them can claim the same user.
  const unlinked = new ByRemoteId<SyncWarning>()
  const relinkedUsers = new Set<string>()
  const leavers = new ByRemoteId<Person>()
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    if (person.linkedUser !== undefined || frozen.has(person.remoteId)) continue
    if (person.status === 'terminated') {
      if (person.email !== null && !ignored.has(person.remoteId)) leavers.add(person.remoteId, person)
      continue
    }
    if (person.email === null) {
      unlinked.add(person.remoteId, {
        code: 'missing_email',
        message: `${personName(person)} has no work email in ${source}; they are neither linked nor listed`,
        remoteIds: [person.remoteId],
      })
      continue
    }
    const candidates = usersOf(person.email)
    const candidate = candidates.length === 1 ? candidates[0]! : undefined
    if (candidates.length === 0) {
      matches.push({ kind: 'create', person })
    } else if (candidate !== undefined && candidate.link === null) {
      matches.push({ kind: 'link', person, user: candidate, relinked: false })
    } else if (candidate?.link?.integrationId === integrationId && !stillThere(candidate.link.remoteId)) {
      relinkedUsers.add(candidate.id)
      matches.push({ kind: 'link', person, user: candidate, relinked: true })
      unlinked.add(person.remoteId, {
        code: 're_linked',
        message: `${personName(person)} is back in ${source} under a new id (${person.remoteId}); re-linked to ${userName(candidate)}, history kept`,
        remoteIds: [candidate.link.remoteId, person.remoteId],
        email: person.email,
      })
    } else {
      unlinked.add(person.remoteId, {
        code: 'email_conflict',
        message: `${personName(person)}'s email ${person.email} already belongs to ${candidates.map(userName).join(', ')}, who is another person; nothing changes for this person`,
        remoteIds: [person.remoteId],
        email: person.email,
      })
    }
  }

  // R2/R4: a user not linked yet who still has access, whose email only persons who left HR hold, is
  // linked to the first of them (by remoteId) and loses access like any leaver (R5, R17 still apply).
  const claimed = new Set<string>()
  const found: Array<{ user: DirectoryUser; person: Person }> = []
  for (const person of leavers.sorted()) {
    const candidates = usersOf(person.email!)
    const user = candidates.length === 1 ? candidates[0]! : undefined
    if (user === undefined || user.link !== null || user.status === 'deactivated' || claimed.has(user.id))
      continue
    claimed.add(user.id)
    matches.push({ kind: 'link', person, user, relinked: false })
    found.push({ user, person })
    unlinked.add(person.remoteId, {
      code: 'leaver_linked',
      message: `${userName(user)} has the email of ${personName(person)}, who left ${source}; linked so that they lose access as a leaver`,
      remoteIds: [person.remoteId],
      email: person.email!,
    })
  }
  warnings.push(...unlinked.sorted())

  // R3: a linked person is gone when terminated or absent from a complete pull; skipped persons never are.
  const gone = new ByRemoteId<Matching['gone'][number]>()
  const held = (remoteId: string) => skipped.has(remoteId) || frozen.has(remoteId)
  for (let at = 0; at < ordered.length; at++) {
    const person = ordered[at]!
    const user = person.linkedUser
    if (user === undefined || person.status !== 'terminated' || held(person.remoteId)) continue
    if (!relinkedUsers.has(user.id)) gone.add(person.remoteId, { user, person })
  }
  for (const [remoteId, user] of absent) {
    if (!held(remoteId) && !relinkedUsers.has(user.id)) gone.add(remoteId, { user, person: null })
  }
  for (const leaver of found) gone.add(leaver.person.remoteId, leaver)
  return { persons, ordered, linked, matches, gone: gone.sorted(), warnings }
}

import type { Employee } from '@hrsync/core'

export interface PullWarning {
  code: 'unknown_manager' | 'manager_loop' | 'invalid_record'
  message: string
  remoteIds: string[]
}

const emailKey = (email: string) => email.trim().toLowerCase()

/** A person as an admin recognises them: "Iris Vance (E1151)", or the email or id alone when unnamed. */
export function personLabel(person: Pick<Employee, 'remoteId' | 'firstName' | 'lastName' | 'email'>): string {
  const name = [person.firstName, person.lastName]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim())
    .join(' ')
  const label = name || person.email?.trim() || ''
  return label ? `${label} (${person.remoteId})` : person.remoteId
}

/**
 * Fills managerRemoteId from managerEmail (trimmed, case-insensitive) once the whole list is in, and reports
 * managers that are not in the list and loops. Never reorders: the vendor's order is kept.
 */
export function resolveManagers(
  employees: Employee[],
  /** each remoteId's position in `employees`, when the caller has it already */
  positions?: ReadonlyMap<string, number>,
): { employees: Employee[]; warnings: PullWarning[] } {
  const warnings: PullWarning[] = []
  // Only vendors that name managers by email need the email index.
  let byEmail: Map<string, Employee> | undefined
  const managerByEmail = (email: string): Employee | undefined => {
    if (byEmail === undefined) {
      byEmail = new Map()
      for (const person of employees) {
        if (!person.email) continue
        const key = emailKey(person.email)
        const known = byEmail.get(key)
        // with duplicates, a current employee wins over a leaver
        if (!known || (known.status === 'terminated' && person.status !== 'terminated'))
          byEmail.set(key, person)
      }
    }
    return byEmail.get(emailKey(email))
  }
  const ids = positions ?? positionsOf(employees)
  // each person's manager as a position in the list (-1: none, or not in the list), found once
  const managerAt = new Int32Array(employees.length).fill(-1)
  const resolved = employees.map((person, i) => {
    if (person.managerRemoteId === null && person.managerEmail) {
      const manager = managerByEmail(person.managerEmail)
      if (manager) {
        managerAt[i] = ids.get(manager.remoteId) ?? -1
        return { ...person, managerRemoteId: manager.remoteId }
      }
      warnings.push({
        code: 'unknown_manager',
        message: `${personLabel(person)}: manager ${person.managerEmail} is not among the people read`,
        remoteIds: [person.remoteId],
      })
    } else if (person.managerRemoteId !== null) {
      const at = ids.get(person.managerRemoteId)
      if (at !== undefined) managerAt[i] = at
      else
        warnings.push({
          code: 'unknown_manager',
          message: `${personLabel(person)}: manager ${person.managerRemoteId} is not among the people read`,
          remoteIds: [person.remoteId],
        })
    }
    return person
  })
  warnings.push(...findLoops(resolved, managerAt))
  return { employees: resolved, warnings }
}

const WALKING = 1
const DONE = 2

function positionsOf(employees: Employee[]): Map<string, number> {
  const positions = new Map<string, number>()
  for (let i = 0; i < employees.length; i++) positions.set(employees[i]!.remoteId, i)
  return positions
}

/**
 * Every manager loop, each reported once, in the order the vendor listed its first member reached.
 * `managerAt`: each person's manager as a list position, -1 for none.
 */
function findLoops(employees: Employee[], managerAt: Int32Array): PullWarning[] {
  // Each person is walked once: `state` (by list index) marks the walk in progress and those settled.
  const state = new Uint8Array(employees.length)
  const loops: PullWarning[] = []
  const path: number[] = []
  for (let start = 0; start < employees.length; start++) {
    if (state[start] !== 0) continue
    path.length = 0
    let current = start
    while (current !== -1 && state[current] === 0) {
      state[current] = WALKING
      path.push(current)
      current = managerAt[current]!
    }
    if (current !== -1 && state[current] === WALKING) {
      const loop = path.slice(path.indexOf(current)).map((i) => employees[i]!)
      loops.push({
        code: 'manager_loop',
        message: `manager loop: ${[...loop, loop[0]!].map(personLabel).join(' -> ')}`,
        remoteIds: loop.map((person) => person.remoteId),
      })
    }
    for (let at = 0; at < path.length; at++) state[path[at]!] = DONE
  }
  return loops
}

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
export function resolveManagers(employees: Employee[]): { employees: Employee[]; warnings: PullWarning[] } {
  const warnings: PullWarning[] = []
  const byEmail = new Map<string, Employee>()
  for (const person of employees) {
    if (!person.email) continue
    const key = emailKey(person.email)
    const known = byEmail.get(key)
    // with duplicates, a current employee wins over a leaver
    if (!known || (known.status === 'terminated' && person.status !== 'terminated')) byEmail.set(key, person)
  }
  const ids = new Set(employees.map((person) => person.remoteId))
  const resolved = employees.map((person) => {
    if (person.managerRemoteId === null && person.managerEmail) {
      const manager = byEmail.get(emailKey(person.managerEmail))
      if (manager) return { ...person, managerRemoteId: manager.remoteId }
      warnings.push({
        code: 'unknown_manager',
        message: `${personLabel(person)}: manager ${person.managerEmail} is not among the people read`,
        remoteIds: [person.remoteId],
      })
    } else if (person.managerRemoteId !== null && !ids.has(person.managerRemoteId)) {
      warnings.push({
        code: 'unknown_manager',
        message: `${personLabel(person)}: manager ${person.managerRemoteId} is not among the people read`,
        remoteIds: [person.remoteId],
      })
    }
    return person
  })
  warnings.push(...findLoops(resolved))
  return { employees: resolved, warnings }
}

function findLoops(employees: Employee[]): PullWarning[] {
  const byId = new Map(employees.map((person) => [person.remoteId, person]))
  const label = (id: string) => {
    const person = byId.get(id)
    return person ? personLabel(person) : id
  }
  const managerOf = new Map(employees.map((person) => [person.remoteId, person.managerRemoteId]))
  const state = new Map<string, 'walking' | 'done'>()
  const loops: PullWarning[] = []
  for (const start of employees.map((person) => person.remoteId)) {
    const path: string[] = []
    let current: string | null | undefined = start
    while (current != null && !state.has(current)) {
      state.set(current, 'walking')
      path.push(current)
      current = managerOf.get(current)
    }
    if (current != null && state.get(current) === 'walking') {
      const loop = path.slice(path.indexOf(current))
      loops.push({
        code: 'manager_loop',
        message: `manager loop: ${[...loop, current].map(label).join(' -> ')}`,
        remoteIds: loop,
      })
    }
    for (const id of path) state.set(id, 'done')
  }
  return loops
}

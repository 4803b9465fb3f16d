import type { Employee, EmployeeStatus, Snapshot } from '@hrsync/core'
import { type ManagerRef, type ScimUserRecord, workEmail } from './user.js'

/** R19: a SCIM deactivation is a leaver; SCIM has no leave or pending. */
const STATUS = { active: 'active', inactive: 'terminated' } as const satisfies Record<
  'active' | 'inactive',
  EmployeeStatus
>

/**
 * The person a manager reference points at, within one integration's users (SCIM.md §1.6):
 * our id (Entra), then employeeNumber (Okta's managerId), externalId, userName, work email.
 * Within a step, several matches are ambiguous and the next step is tried; nothing → null.
 */
export function resolveManagerRef(
  ref: ManagerRef | string | null,
  users: readonly ScimUserRecord[],
): ScimUserRecord | null {
  const value = typeof ref === 'string' ? ref : ref?.value
  if (!value) return null
  const lower = value.toLowerCase()
  const steps: ((r: ScimUserRecord) => boolean)[] = [
    (r) => r.id === value,
    (r) => r.user.employeeNumber === value,
    (r) => r.user.externalId === value,
    (r) => r.user.userName.toLowerCase() === lower,
    (r) => workEmail(r.user)?.toLowerCase() === lower,
  ]
  for (const step of steps) {
    const found = users.filter(step)
    if (found.length === 1) return found[0]!
  }
  return null
}

/**
 * The canonical Employee of a SCIM user: remoteId is our SCIM id (stable; externalId and userName
 * may change). `resolveManager` returns the manager's SCIM id or null (unresolved or self).
 */
export function toEmployee(
  record: ScimUserRecord,
  resolveManager: (ref: ManagerRef) => string | null,
): Employee {
  const { user } = record
  const managerId = user.managerRef ? resolveManager(user.managerRef) : null
  return {
    remoteId: record.id,
    email: workEmail(user),
    firstName: user.name.givenName,
    lastName: user.name.familyName,
    status: STATUS[user.active ? 'active' : 'inactive'],
    managerRemoteId: managerId === record.id ? null : managerId,
    managerEmail: null,
    department: user.department,
    jobTitle: user.title,
    startDate: null,
    terminationDate: null,
  }
}

export interface ScimSnapshot {
  snapshot: Snapshot
  /** users whose manager reference matched nobody yet; resolved on a later snapshot */
  pendingManagers: { id: string; managerRef: ManagerRef }[]
}

/**
 * The snapshot of one integration from its live users (tombstoned users are simply not passed):
 * what the sync plans against, exactly like a pull (R19).
 */
export function scimSnapshot(
  integrationId: string,
  source: string,
  users: readonly ScimUserRecord[],
): ScimSnapshot {
  const pendingManagers: ScimSnapshot['pendingManagers'] = []
  const employees = users.map((record) =>
    toEmployee(record, (ref) => {
      const manager = resolveManagerRef(ref, users)
      if (!manager) pendingManagers.push({ id: record.id, managerRef: ref })
      return manager?.id ?? null
    }),
  )
  return { snapshot: { integrationId, source, complete: true, employees }, pendingManagers }
}

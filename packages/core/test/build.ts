import type {
  Directory,
  DirectoryTeam,
  DirectoryUser,
  Employee,
  Snapshot,
  SyncSettings,
} from '../src/index.js'
import { DEFAULT_MASS_REMOVAL, employee, plan } from '../src/index.js'
import { applyPlan } from './apply.js'

/** 15 June 2025, 12:00 UTC: already the 15th in Berlin. */
export const NOW = new Date('2025-06-15T12:00:00Z')
export const INTEGRATION = 'hr1'

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

/** An active person whose work email is `<remoteId>@acme.test`, named after the remoteId. */
export function person(remoteId: string, fields: Partial<Employee> = {}): Employee {
  return employee({
    remoteId,
    status: 'active',
    email: `${remoteId}@acme.test`,
    firstName: capitalised(remoteId),
    lastName: 'Doe',
    ...fields,
  })
}

export function snapshot(employees: Employee[], fields: Partial<Snapshot> = {}): Snapshot {
  return { integrationId: INTEGRATION, source: 'Personio', complete: true, employees, ...fields }
}

export function settings(fields: Partial<SyncSettings> = {}): SyncSettings {
  return {
    integrationId: INTEGRATION,
    timeZone: 'Europe/Berlin',
    teamSync: false,
    massRemoval: { ...DEFAULT_MASS_REMOVAL },
    ...fields,
  }
}

/** An app-only user (added by an admin), active. */
export function appUser(id: string, fields: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    email: `${id}@acme.test`,
    firstName: capitalised(id),
    lastName: 'Doe',
    status: 'active',
    role: 'member',
    link: null,
    origin: 'manual',
    person: null,
    pinnedTeamKey: null,
    ...fields,
  }
}

export function team(id: string, fields: Partial<DirectoryTeam> = {}): DirectoryTeam {
  return {
    id,
    name: id,
    kind: 'ordinary',
    key: null,
    nameOverridden: false,
    reviewerUserId: null,
    memberUserIds: [],
    ...fields,
  }
}

/**
 * A directory already in step with `employees`: the sync created every user, then `statuses`
 * (by remoteId, default active) says who was invited, accepted or deactivated since; `admins` lists
 * remoteIds of admins; with teamSync the synced teams and Unassigned are built too.
 */
export function syncedDirectory(
  employees: Employee[],
  statuses: Record<string, DirectoryUser['status']> = {},
  options: { admins?: string[]; extraUsers?: DirectoryUser[]; teamSync?: boolean } = {},
): Directory {
  const start: Directory = { users: options.extraUsers ?? [], teams: [] }
  const synced = applyPlan(start, plan(snapshot(employees), start, settings(), NOW))
  for (const user of synced.users) {
    const remoteId = user.link?.remoteId
    if (remoteId === undefined) continue
    user.status = statuses[remoteId] ?? 'active'
    if (options.admins?.includes(remoteId)) user.role = 'admin'
  }
  if (!options.teamSync) return synced
  return applyPlan(synced, plan(snapshot(employees), synced, settings({ teamSync: true }), NOW))
}

/** The user linked to a remoteId. */
export function userOf(directory: Directory, remoteId: string): DirectoryUser {
  const found = directory.users.find((user) => user.link?.remoteId === remoteId)
  if (found === undefined) throw new Error(`no user linked to ${remoteId}`)
  return found
}

export function kinds(changes: { kind: string }[]): string[] {
  return changes.map((change) => change.kind)
}

/** A small manager chain, ceo <- ana <- (ben, cy); ben <- dan, with `changes` by remoteId. */
export const org = (changes: Record<string, Partial<Employee>> = {}): Employee[] => [
  person('ceo', changes.ceo),
  person('ana', { managerRemoteId: 'ceo', ...changes.ana }),
  person('ben', { managerRemoteId: 'ana', ...changes.ben }),
  person('cy', { managerRemoteId: 'ana', ...changes.cy }),
  person('dan', { managerRemoteId: 'ben', ...changes.dan }),
]

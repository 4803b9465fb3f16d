import type { SkippedPerson } from './connector.js'
import type { Employee, EmployeeStatus } from './model.js'

/** The HR snapshot of one integration: the result of a pull (or what SCIM pushed). */
export interface Snapshot {
  integrationId: string
  /** the HR system's display name, for the "added via <HR system>" label */
  source: string
  /** true only when every page was read without error (R5) */
  complete: boolean
  /** why the pull failed, when it did */
  failure?: string
  employees: Employee[]
  /** persons seen but not mappable: reported, never treated as gone */
  skipped?: SkippedPerson[]
}

export type UserStatus = 'uninvited' | 'invited' | 'active' | 'deactivated'

/** What the directory remembers of a linked user's HR record (for flags and R10/R11). */
export interface PersonRecord {
  status: EmployeeStatus
  hrEmail: string | null
  firstName: string | null
  lastName: string | null
  department: string | null
  jobTitle: string | null
  managerRemoteId: string | null
  startDate: string | null
  terminationDate: string | null
}

/** A user of the app. */
export interface DirectoryUser {
  id: string
  /** the login email; the sync never changes it for a user with access (R11) */
  email: string
  firstName: string | null
  lastName: string | null
  status: UserStatus
  role: 'admin' | 'member'
  /** set when the user is bound to an HR person (R1) */
  link: { integrationId: string; remoteId: string } | null
  /** how the user record came to exist: made by the sync from HR, or by an admin/the app */
  origin: 'hr' | 'manual'
  /** the last HR record the sync saw for a linked user */
  person: PersonRecord | null
  /** R12: a placement an admin made during team sync setup (team key), kept on later runs */
  pinnedTeamKey: string | null
  /** an admin deactivated them ahead of HR: only an admin gives access back (overrides) */
  adminDeactivated?: boolean
  /** a leaver's grace period: gone from HR, they keep access through this date (YYYY-MM-DD) */
  keepAccessUntil?: string | null
}

/** Team key: a synced team is keyed by its manager's remoteId; Unassigned has its own key. */
export const UNASSIGNED_TEAM_KEY = 'unassigned'

export interface DirectoryTeam {
  id: string
  name: string
  /** ordinary = editable app team; synced = built from a manager; unassigned = the Unassigned team */
  kind: 'ordinary' | 'synced' | 'unassigned'
  /** manager remoteId for synced teams, UNASSIGNED_TEAM_KEY for Unassigned, null for ordinary */
  key: string | null
  /** true when an admin renamed a synced team: keep that name (R13) */
  nameOverridden: boolean
  reviewerUserId: string | null
  memberUserIds: string[]
}

export interface Directory {
  users: DirectoryUser[]
  teams: DirectoryTeam[]
}

export interface SyncSettings {
  integrationId: string
  /** IANA time zone of the company; "today" is computed there (R20) */
  timeZone: string
  /** team sync is on (finished setup) for this integration */
  teamSync: boolean
  /** R5 thresholds: hold removals above max(minCount, ratio × linked active users) */
  massRemoval: { minCount: number; ratio: number }
  /** an admin approved the held removals of this run: apply them instead of holding */
  approveHeldRemovals?: boolean
}

export const DEFAULT_MASS_REMOVAL = { minCount: 3, ratio: 0.2 } as const

/**
 * A reference to a user: an existing one, or one a plan creates. `newUserKey` is
 * `<integrationId>:<remoteId>`, so it also names the user linked to that person once created.
 */
export type UserRef = { userId: string } | { newUserKey: string }

export type Change =
  | {
      kind: 'create_user'
      /** stable key for this new user within the plan (`<integrationId>:<remoteId>`) */
      newUserKey: string
      remoteId: string
      email: string
      firstName: string | null
      lastName: string | null
      person: PersonRecord
    }
  | { kind: 'link_user'; userId: string; remoteId: string; person: PersonRecord; relinked: boolean }
  | { kind: 'update_person'; userId: string; person: PersonRecord }
  | { kind: 'update_name'; userId: string; firstName: string | null; lastName: string | null }
  | { kind: 'deactivate_user'; userId: string; reason: string }
  | { kind: 'revoke_invitation'; userId: string; reason: string }
  | { kind: 'remove_user'; userId: string; reason: string }
  | { kind: 'unlink_user'; userId: string }
  | { kind: 'create_team'; key: string; name: string; reviewer: UserRef | null; members: UserRef[] }
  | { kind: 'rename_team'; teamId: string; name: string }
  | {
      kind: 'set_reviewer'
      teamId: string
      fromUserId: string | null
      to: UserRef | null
      reason: string
      /** an ordinary team whose reviewer left: the nearest eligible manager above them, for the admin to pick (R14) */
      suggested?: UserRef | null
    }
  | { kind: 'set_members'; teamId: string; members: UserRef[] }
  | { kind: 'delete_team'; teamId: string; reason: string }
  | { kind: 'convert_team'; teamId: string; to: 'ordinary' }
  /** R12: record (or clear, with null) the team an admin placed an app-only user in during setup */
  | { kind: 'pin_team'; userId: string; teamKey: string | null }

export type WarningCode =
  | 'missing_email'
  | 'duplicate_email'
  | 'duplicate_ignored'
  | 'email_conflict'
  | 'manager_loop'
  | 'unknown_manager'
  | 'unmapped_status'
  | 'invalid_record'
  | 're_linked'
  | 'leaver_linked'
  | 'admin_removal_held'
  | 'mass_removal_held'
  | 'last_admin_kept'
  | 'access_kept_until'
  | 'pull_failed'

export interface SyncWarning {
  code: WarningCode
  /** a sentence for the admin, e.g. "Loop in the manager chain: A -> B -> A" */
  message: string
  remoteIds: string[]
  email?: string
}

/** A removal the plan did not apply: held for an admin (R5, R17). */
export interface HeldRemoval {
  userId: string
  change: Extract<Change, { kind: 'deactivate_user' | 'revoke_invitation' | 'remove_user' }>
  reason: 'mass_removal' | 'admin'
}

export interface SyncPlan {
  integrationId: string
  /** false when the pull failed or was empty while users are linked: nothing changes (R5) */
  ok: boolean
  failure?: string
  changes: Change[]
  warnings: SyncWarning[]
  held: HeldRemoval[]
  counts: {
    persons: number
    linked: number
    created: number
    deactivated: number
    removed: number
    held: number
    warnings: number
    teamsChanged: number
  }
}

/** Team sync setup preview: what finishing would build. */
export interface TeamPreview {
  teams: Array<{
    key: string
    name: string
    reviewer: UserRef | null
    /** why the reviewer is not the team's manager ("Ana Doe is not invited yet: …"); null when it is */
    reviewerNote: string | null
    members: UserRef[]
  }>
  unassigned: { members: UserRef[]; reviewer: UserRef | null; reasons: Record<string, string> }
  /** existing app teams that finishing deletes */
  deletes: string[]
  warnings: SyncWarning[]
}

/** R7: what disconnecting does to every user the integration touches. */
export interface DisconnectPreview {
  keep: Array<{
    userId: string
    /** stays_invited_unlinked: an app user invited by an admin from the app, not from the HR list */
    outcome: 'stays_active_unlinked' | 'stays_deactivated' | 'stays_invited_unlinked'
  }>
  remove: Array<{ userId: string; outcome: 'removed' | 'invitation_revoked_removed' }>
  untouched: number
  teamSyncStopped: boolean
  changes: Change[]
}

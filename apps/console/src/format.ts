import type { Change, RunSummary, User, Warning } from './api.js'

export function fullName(user: Pick<User, 'firstName' | 'lastName' | 'email'> | undefined | null): string {
  if (!user) return 'a user no longer in the directory'
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/** '2026-03-01' -> '1 Mar 2026' (a calendar date, no time zone shift) */
export function formatDay(day: string | null | undefined): string {
  if (!day) return '—'
  const [y, m, d] = day.split('-').map(Number)
  if (!y || !m || !d) return day
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)))
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date)
}

/** "in 2 hours", "5 minutes ago" */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return ''
  const diff = new Date(iso).getTime() - now
  const abs = Math.abs(diff)
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ]
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
  for (const [unit, ms] of units) {
    if (abs >= ms) return format.format(Math.round(diff / ms), unit)
  }
  return diff >= 0 ? 'in a moment' : 'just now'
}

export const STATUS_LABEL: Record<User['status'], string> = {
  uninvited: 'Not invited',
  invited: 'Invited',
  active: 'Active',
  deactivated: 'Deactivated',
}

export const PLAN_LABEL: Record<string, string> = {
  starter: 'Starter',
  essential: 'Essential',
  advanced: 'Advanced',
  beyond: 'Beyond',
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

const COUNT_LABELS: Record<string, [string, string]> = {
  persons: ['person read from HR', 'people read from HR'],
  // the users linked to HR once the run is applied, in all (not the links this run made)
  linked: ['user linked to HR in all', 'users linked to HR in all'],
  created: ['person added to Add people', 'people added to Add people'],
  deactivated: ['user deactivated', 'users deactivated'],
  removed: ['entry removed', 'entries removed'],
  held: ['removal held for approval', 'removals held for approval'],
  warnings: ['warning', 'warnings'],
  teamsChanged: ['team change', 'team changes'],
  skipped: ['removal skipped (already done)', 'removals skipped (already done)'],
}

export function countPhrases(counts: Record<string, number>): Array<{ key: string; text: string }> {
  return Object.entries(counts)
    .filter(
      ([key, value]) => key !== 'warnings' && typeof value === 'number' && (value > 0 || key === 'persons'),
    )
    .map(([key, value]) => {
      const [one, many] = COUNT_LABELS[key] ?? [key, key]
      return { key, text: `${value} ${value === 1 ? one : many}` }
    })
}

const WARNING_TITLE: Record<string, string> = {
  missing_email: 'No work email',
  duplicate_email: 'Duplicate email',
  duplicate_ignored: 'Duplicate ignored',
  email_conflict: 'Email conflict',
  manager_loop: 'Loop in the manager chain',
  unknown_manager: 'Manager not in HR data',
  unmapped_status: 'Status not understood',
  invalid_record: 'Record could not be read',
  re_linked: 'Re-linked',
  leaver_linked: 'Leaver found in the app',
  admin_removal_held: 'Admin removal held',
  mass_removal_held: 'Many removals held',
  last_admin_kept: 'Last admin kept',
  pull_failed: 'HR could not be read',
}

export function warningTitle(warning: Warning): string {
  return WARNING_TITLE[warning.code] ?? 'Warning'
}

/** One applied change in a sentence. */
export function describeChange(
  change: Change,
  users: Map<string, User>,
  teams: Map<string, { name: string }>,
): string {
  const who = (id: unknown) => {
    if (typeof id !== 'string') return 'someone'
    const user = users.get(id)
    return user ? fullName(user) : 'a user no longer in the directory'
  }
  const team = (id: unknown) => (typeof id === 'string' ? (teams.get(id)?.name ?? 'a team') : 'a team')
  const reason = typeof change.reason === 'string' && change.reason ? `: ${change.reason}` : ''
  // a removal's reason is already a sentence about the person ("Leo is no longer in Personio; …")
  const removal = (what: string) =>
    typeof change.reason === 'string' && change.reason
      ? `${change.reason} — ${what}`
      : `${who(change.userId)} — ${what}`
  const name = [change.firstName, change.lastName].filter((v) => typeof v === 'string' && v).join(' ')
  switch (change.kind) {
    case 'create_user':
      return `${name || String(change.email)} (${String(change.email)}) is new in HR and waits on Add people`
    case 'link_user':
      return change.relinked
        ? `${who(change.userId)} was re-linked to their new HR record`
        : `${who(change.userId)} was linked to their HR record`
    case 'update_person':
      return `${who(change.userId)}'s HR details were updated`
    case 'update_name':
      return `${who(change.userId)} was renamed to ${name || 'an empty name'}`
    case 'deactivate_user':
      return removal('access removed')
    case 'revoke_invitation':
      return removal('invitation revoked')
    case 'remove_user':
      return removal('entry removed from Add people')
    case 'unlink_user':
      return `${who(change.userId)} is no longer linked to HR`
    case 'create_team':
      return `Team "${String(change.name)}" was created`
    case 'rename_team':
      return `Team "${team(change.teamId)}" was renamed to "${String(change.name)}"`
    case 'set_reviewer':
      return `The reviewer of "${team(change.teamId)}" changed${reason}`
    case 'set_members':
      return `The members of "${team(change.teamId)}" changed`
    case 'delete_team':
      return `Team "${team(change.teamId)}" was deleted${reason}`
    case 'convert_team':
      return `Team "${team(change.teamId)}" became an ordinary team`
    case 'pin_team':
      return `${who(change.userId)} was placed in a team during setup`
    default:
      return 'Another change was made'
  }
}

const TRIGGER_LABEL: Record<RunSummary['trigger'], string> = {
  schedule: 'Scheduled sync',
  manual: 'Sync now',
  approval: 'Approved removals',
  push: 'SCIM push',
  review: 'First sync, planned for review',
}

/** What started a run: the first sync after connecting (whoever asked for it), the schedule, Sync now, … */
export function runLabel(run: Pick<RunSummary, 'trigger' | 'first' | 'dryRun'>): string {
  if (run.trigger === 'review') return TRIGGER_LABEL.review
  const label = run.first ? 'First sync' : (TRIGGER_LABEL[run.trigger] ?? 'Sync')
  return run.dryRun ? `${label} (dry run)` : label
}

/** Two or more changes of one kind, said once with their count: "149 people are new in HR and wait on Add people". */
const GROUP_SUMMARY: Record<string, (count: number) => string> = {
  create_user: (n) => `${n} people are new in HR and wait on Add people`,
  link_user: (n) => `${n} users were linked to their HR record`,
  relink_user: (n) => `${n} users were re-linked to their new HR record`,
  update_person: (n) => `${n} users' HR details were updated`,
  update_name: (n) => `${n} users were renamed`,
  deactivate_user: (n) => `${n} users lost access`,
  revoke_invitation: (n) => `${n} invitations were revoked`,
  remove_user: (n) => `${n} entries were removed from Add people`,
  unlink_user: (n) => `${n} users are no longer linked to HR`,
  create_team: (n) => `${n} teams were created`,
  rename_team: (n) => `${n} teams were renamed`,
  set_reviewer: (n) => `${n} team reviewers changed`,
  set_members: (n) => `${n} teams' members changed`,
  delete_team: (n) => `${n} teams were deleted`,
  convert_team: (n) => `${n} teams became ordinary teams`,
  pin_team: (n) => `${n} users were placed in a team during setup`,
}

export interface ChangeGroup {
  key: string
  /** the group's sentence; null for a change alone of its kind, said by its one line */
  summary: string | null
  lines: string[]
}

/** A run's changes grouped by kind, in the order each kind first appears. */
export function groupChanges(
  changes: Change[],
  users: Map<string, User>,
  teams: Map<string, { name: string }>,
): ChangeGroup[] {
  const groups = new Map<string, string[]>()
  for (const change of changes) {
    const key = change.kind === 'link_user' && change.relinked ? 'relink_user' : change.kind
    const lines = groups.get(key) ?? []
    lines.push(describeChange(change, users, teams))
    groups.set(key, lines)
  }
  return [...groups].map(([key, lines]) => ({
    key,
    summary: lines.length > 1 ? (GROUP_SUMMARY[key] ?? ((n) => `${n} other changes`))(lines.length) : null,
    lines,
  }))
}

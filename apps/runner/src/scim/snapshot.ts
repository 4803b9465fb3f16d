import type { Directory, SyncSettings, SyncWarning } from '@hrsync/core'
import { scimSnapshot } from '@hrsync/scim'
import type { Queryable } from '../store/index.js'
import type { PullOutcome } from '../sync/service.js'
import { countScimDeactivations, liveScimUsers } from './store.js'

/** R5 for SCIM: the deactivations a push integration received are counted over this window. */
export const SCIM_DEACTIVATION_WINDOW_MS = 24 * 3_600_000

/**
 * The snapshot of a push integration, built from its live SCIM users: what the sync plans, like a
 * pull. Manager references that match nobody yet stay stored and resolve on a later snapshot.
 */
export async function pushedSnapshot(
  q: Queryable,
  integrationId: string,
  source: string,
): Promise<PullOutcome> {
  const users = await liveScimUsers(q, integrationId)
  const { snapshot, pendingManagers } = scimSnapshot(integrationId, source, users)
  const warnings: SyncWarning[] = pendingManagers.map(({ id, managerRef }) => ({
    code: 'unknown_manager',
    message: `The manager "${managerRef.value}" sent by ${source} matches no pushed user yet; the reference is kept and resolved when that person arrives`,
    remoteIds: [id],
  }))
  return { ok: true, employees: snapshot.employees, skipped: snapshot.skipped ?? [], warnings }
}

export interface PushMassRemoval {
  massRemoval: SyncSettings['massRemoval']
  /** why everything is held, when the rolling window is over its limit */
  reason: string | null
}

/**
 * R5 over a rolling 24 hours: SCIM deactivations arrive one request at a time, so a run holds its
 * removals when the integration's deactivations of the last 24 hours exceed
 * max(minCount, ratio × linked active users), not only when one run has many.
 */
export async function pushMassRemoval(
  q: Queryable,
  integrationId: string,
  directory: Directory,
  settings: SyncSettings,
  now: Date,
): Promise<PushMassRemoval> {
  const received = await countScimDeactivations(
    q,
    integrationId,
    new Date(now.getTime() - SCIM_DEACTIVATION_WINDOW_MS),
  )
  const linkedActive = directory.users.filter(
    (user) => user.link?.integrationId === integrationId && user.status === 'active',
  ).length
  const limit = Math.max(settings.massRemoval.minCount, settings.massRemoval.ratio * linkedActive)
  if (received <= limit) return { massRemoval: settings.massRemoval, reason: null }
  return {
    massRemoval: { minCount: 0, ratio: 0 },
    reason: `${received} people were deactivated over SCIM in the last 24 hours, more than the limit of ${Math.floor(limit)}; the removals wait for an admin to approve or reject them`,
  }
}

/** The planner's mass-removal warning, told with the rolling window's numbers. */
export function explainWindow(warnings: SyncWarning[], reason: string | null): SyncWarning[] {
  if (!reason) return warnings
  return warnings.map((warning) =>
    warning.code === 'mass_removal_held' ? { ...warning, message: reason } : warning,
  )
}

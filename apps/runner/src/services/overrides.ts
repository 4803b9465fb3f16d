import {
  checkGracePeriod,
  checkRoleChange,
  OverrideError,
  planAdminDeactivation,
  todayIn,
} from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  EVENT_TYPE,
  getCompany,
  getUser,
  loadDirectory,
  type NewEvent,
  type Queryable,
  updateUser,
} from '../store/index.js'
import { connectorNames, type UserView, view } from './people.js'

export interface UserOverride {
  /** deactivate ahead of HR */
  status?: 'deactivated'
  role?: 'admin' | 'member'
  /** a leaver's grace period; null ends it */
  keepAccessUntil?: string | null
}

/**
 * An admin's override of one user, decided by core's rules on the directory as it is in the
 * transaction: a role change within R17, a leaver's grace period, a deactivation ahead of HR (the
 * user stays deactivated whatever HR says until an admin invites them again). All or nothing.
 */
export async function overrideUser(
  ctx: RunnerContext,
  userId: string,
  override: UserOverride,
  actor: Actor,
): Promise<UserView> {
  const found = await getUser(ctx.db, userId)
  if (!found) throw notFound('user', userId)
  const company = (await getCompany(ctx.db, found.companyId))!
  const today = todayIn(company.timeZone, ctx.now())
  const user = await ctx.db.transaction(async (tx) => {
    const events = await applyOverride(tx, found.companyId, userId, override, today, actor)
    // the events carry the user's state as it is now: every write of the override comes first
    await ctx.events.append(
      tx,
      events.map((event) => ({ ...event, actor })),
    )
    return (await getUser(tx, userId))!
  })
  ctx.events.committed()
  return view(user, await connectorNames(ctx, [user]), today)
}

async function applyOverride(
  tx: Queryable,
  companyId: string,
  userId: string,
  override: UserOverride,
  today: string,
  actor: Actor,
): Promise<NewEvent[]> {
  const { users } = await loadDirectory(tx, companyId)
  const user = users.find((candidate) => candidate.id === userId)
  if (!user) throw notFound('user', userId)
  const event = (type: string, payload: Record<string, unknown>): NewEvent => ({
    companyId,
    integrationId: user.link?.integrationId ?? null,
    type,
    payload: { userId, email: user.email, ...payload },
  })
  const events: NewEvent[] = []
  try {
    if (override.role !== undefined && override.role !== user.role) {
      checkRoleChange(user, override.role, users)
      await updateUser(tx, userId, { role: override.role })
      events.push(event('user.role_changed', { from: user.role, to: override.role }))
      user.role = override.role
    }
    if (override.keepAccessUntil !== undefined && override.keepAccessUntil !== user.keepAccessUntil) {
      checkGracePeriod(user, override.keepAccessUntil, today)
      await updateUser(tx, userId, { keepAccessUntil: override.keepAccessUntil })
      events.push(event('user.access_kept_until', { until: override.keepAccessUntil }))
    }
    if (override.status === 'deactivated') {
      const changes = planAdminDeactivation(user, users)
      await updateUser(tx, userId, {
        status: 'deactivated',
        invitationTokenHash: null,
        keepAccessUntil: null,
        deactivatedByAdmin: actor,
      })
      for (const change of changes) {
        events.push(
          event(EVENT_TYPE[change.kind], {
            reason: 'reason' in change ? change.reason : null,
            byAdmin: true,
          }),
        )
      }
    }
  } catch (error) {
    if (error instanceof OverrideError) {
      const status = error.code === 'date_in_past' ? 400 : 409
      throw new RunnerError(error.code, error.message, status)
    }
    throw error
  }
  return events
}

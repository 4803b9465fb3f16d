import { type Change, UNASSIGNED_TEAM_KEY, type UserRef } from '@hrsync/core'
import type { Queryable } from './db.js'
import {
  deleteTeam,
  deleteUser,
  getTeam,
  insertTeam,
  insertUsers,
  renameUsers,
  setTeamMembers,
  updatePersons,
  updateTeam,
  updateUser,
} from './directory.js'
import type { NewEvent } from './events.js'
import type { Actor } from './keys.js'

/** A change as applied: users and teams it created carry their new ids. */
export type AppliedChange = Change & { userId?: string; teamId?: string }

/** The event type each change kind is recorded as. */
export const EVENT_TYPE = {
  create_user: 'user.created',
  link_user: 'user.linked',
  update_person: 'user.hr_record_updated',
  update_name: 'user.renamed',
  deactivate_user: 'user.deactivated',
  revoke_invitation: 'user.invitation_revoked',
  remove_user: 'user.removed',
  unlink_user: 'user.unlinked',
  create_team: 'team.created',
  rename_team: 'team.renamed',
  set_reviewer: 'team.reviewer_changed',
  set_members: 'team.members_changed',
  delete_team: 'team.deleted',
  convert_team: 'team.converted',
  pin_team: 'user.team_pinned',
} as const satisfies Record<AppliedChange['kind'], string>

export interface ApplyContext {
  companyId: string
  integrationId: string
  /** the run or admin action the changes belong to, copied into every event */
  cause: Record<string, unknown>
  /** who asked, through the admin API; recorded on every event */
  actor?: Actor | null
}

type CreateUser = Extract<Change, { kind: 'create_user' }>

/** The changes of `kind` listed one after another from `start`: written together, in one statement. */
function runOf<K extends Change['kind']>(
  changes: readonly Change[],
  start: number,
  kind: K,
): Array<Extract<Change, { kind: K }>> {
  const run: Array<Extract<Change, { kind: K }>> = []
  for (let at = start; at < changes.length && changes[at]!.kind === kind; at++) {
    run.push(changes[at] as Extract<Change, { kind: K }>)
  }
  return run
}

/** The new users of a plan, uninvited and linked to the person they come from. */
function createUsers(q: Queryable, creates: CreateUser[], context: ApplyContext): Promise<string[]> {
  return insertUsers(
    q,
    creates.map((change) => ({
      companyId: context.companyId,
      email: change.email,
      firstName: change.firstName,
      lastName: change.lastName,
      status: 'uninvited' as const,
      origin: 'hr' as const,
      link: { integrationId: context.integrationId, remoteId: change.remoteId },
      person: change.person,
    })),
  )
}

/**
 * Applies changes in order inside the caller's transaction. Users a plan creates are referred to by
 * `newUserKey` until they exist; the returned changes carry the real ids, and one event per change.
 */
export async function applyChanges(
  q: Queryable,
  changes: readonly Change[],
  context: ApplyContext,
): Promise<{ applied: AppliedChange[]; events: NewEvent[] }> {
  const created = new Map<string, string>()
  // A key names the user linked to that person once created (by this plan or an earlier run);
  // a person who is not a user yet resolves to null and joins on the next run.
  const resolve = async (ref: UserRef | null): Promise<string | null> => {
    if (ref === null) return null
    if ('userId' in ref) return ref.userId
    const id = created.get(ref.newUserKey)
    if (id) return id
    const remoteId = ref.newUserKey.slice(context.integrationId.length + 1)
    const [row] = await q.query<{ id: string }>(
      'SELECT id FROM users WHERE link_integration_id = $1 AND link_remote_id = $2',
      [context.integrationId, remoteId],
    )
    return row?.id ?? null
  }
  const resolveAll = async (refs: UserRef[]): Promise<string[]> => {
    const ids: string[] = []
    for (const ref of refs) {
      const id = await resolve(ref)
      if (id !== null) ids.push(id)
    }
    return ids
  }
  const applied: AppliedChange[] = []
  const events: NewEvent[] = []
  const record = (change: AppliedChange, payload: Record<string, unknown>) => {
    applied.push(change)
    events.push({
      companyId: context.companyId,
      integrationId: context.integrationId,
      type: EVENT_TYPE[change.kind],
      payload: { ...payload, ...context.cause },
      actor: context.actor ?? null,
    })
  }

  // Users a plan creates are inserted together, many rows per statement, where they first appear.
  const creates = changes.filter((change) => change.kind === 'create_user')
  const createdIds = creates.length > 0 ? await createUsers(q, creates, context) : []
  let nextCreated = 0

  for (let index = 0; index < changes.length; index++) {
    const change = changes[index]!
    switch (change.kind) {
      case 'create_user': {
        const userId = createdIds[nextCreated++]!
        created.set(change.newUserKey, userId)
        record(
          { ...change, userId },
          { userId, email: change.email, remoteId: change.remoteId, status: 'uninvited' },
        )
        break
      }
      case 'link_user':
        await updateUser(q, change.userId, {
          link: { integrationId: context.integrationId, remoteId: change.remoteId },
          person: change.person,
        })
        record(change, { userId: change.userId, remoteId: change.remoteId, relinked: change.relinked })
        break
      case 'update_person': {
        const run = runOf(changes, index, 'update_person')
        await updatePersons(q, run)
        for (const one of run) record(one, { userId: one.userId, person: one.person })
        index += run.length - 1
        break
      }
      case 'update_name': {
        const run = runOf(changes, index, 'update_name')
        await renameUsers(q, run)
        for (const one of run) {
          record(one, { userId: one.userId, firstName: one.firstName, lastName: one.lastName })
        }
        index += run.length - 1
        break
      }
      case 'deactivate_user':
        await updateUser(q, change.userId, { status: 'deactivated', invitationTokenHash: null })
        record(change, { userId: change.userId, reason: change.reason })
        break
      case 'revoke_invitation':
        await q.query(
          `UPDATE users SET invitation_token_hash = NULL, updated_at = now(),
             status = CASE WHEN status = 'invited' THEN 'uninvited' ELSE status END WHERE id = $1`,
          [change.userId],
        )
        record(change, { userId: change.userId, reason: change.reason })
        break
      case 'remove_user':
        await deleteUser(q, change.userId)
        record(change, { userId: change.userId, reason: change.reason })
        break
      case 'unlink_user':
        await updateUser(q, change.userId, { link: null })
        record(change, { userId: change.userId })
        break
      case 'pin_team':
        await updateUser(q, change.userId, { pinnedTeamKey: change.teamKey })
        record(change, { userId: change.userId, teamKey: change.teamKey })
        break
      case 'create_team': {
        const reviewerUserId = await resolve(change.reviewer)
        const memberUserIds = await resolveAll(change.members)
        const team = await insertTeam(q, {
          companyId: context.companyId,
          integrationId: context.integrationId,
          name: change.name,
          kind: change.key === UNASSIGNED_TEAM_KEY ? 'unassigned' : 'synced',
          key: change.key,
          reviewerUserId,
          memberUserIds,
        })
        record(
          { ...change, teamId: team.id },
          { teamId: team.id, key: change.key, name: change.name, reviewerUserId, memberUserIds },
        )
        break
      }
      case 'rename_team':
        await updateTeam(q, change.teamId, { name: change.name })
        record(change, { teamId: change.teamId, name: change.name })
        break
      case 'set_reviewer': {
        const toUserId = await resolve(change.to)
        await updateTeam(q, change.teamId, { reviewerUserId: toUserId })
        record(change, {
          teamId: change.teamId,
          fromUserId: change.fromUserId,
          toUserId,
          reason: change.reason,
          // R14, ordinary teams: who could review instead, for the admin (and the app) to pick
          ...(change.suggested === undefined ? {} : { suggestedUserId: await resolve(change.suggested) }),
        })
        break
      }
      case 'set_members': {
        const before = (await getTeam(q, change.teamId))?.memberUserIds ?? []
        const memberUserIds = await resolveAll(change.members)
        await setTeamMembers(q, change.teamId, memberUserIds)
        record(change, {
          teamId: change.teamId,
          memberUserIds,
          added: memberUserIds.filter((id) => !before.includes(id)),
          removed: before.filter((id) => !memberUserIds.includes(id)),
        })
        break
      }
      case 'delete_team': {
        const team = await getTeam(q, change.teamId)
        await deleteTeam(q, change.teamId)
        record(change, {
          teamId: change.teamId,
          name: team?.name ?? null,
          reviewerUserId: team?.reviewerUserId ?? null,
          reason: change.reason,
        })
        break
      }
      case 'convert_team':
        await updateTeam(q, change.teamId, { kind: change.to, key: null, integrationId: null })
        record(change, { teamId: change.teamId, to: change.to })
        break
      default:
        throw new Error(`unknown change kind "${(change as { kind: string }).kind}"`)
    }
  }
  return { applied, events }
}

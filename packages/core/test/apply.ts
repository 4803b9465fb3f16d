import type { Change, Directory, DirectoryTeam, DirectoryUser, SyncPlan, UserRef } from '../src/index.js'
import { UNASSIGNED_TEAM_KEY, userRefKey } from '../src/index.js'

/**
 * Applies changes to an in-memory directory the way a runner would: a new user's id is its
 * newUserKey, a new team's id is `team:<key>`.
 */
export function applyChanges(directory: Directory, changes: Change[], integrationId: string): Directory {
  const users = new Map<string, DirectoryUser>(
    directory.users.map((user) => [user.id, structuredClone(user)]),
  )
  let teams: DirectoryTeam[] = directory.teams.map((team) => structuredClone(team))
  const id = (ref: UserRef) => userRefKey(ref)
  const user = (userId: string) => {
    const found = users.get(userId)
    if (found === undefined) throw new Error(`change for unknown user ${userId}`)
    return found
  }
  const team = (teamId: string) => {
    const found = teams.find((t) => t.id === teamId)
    if (found === undefined) throw new Error(`change for unknown team ${teamId}`)
    return found
  }
  for (const change of changes) {
    switch (change.kind) {
      case 'create_user':
        if (users.has(change.newUserKey)) throw new Error(`user ${change.newUserKey} created twice`)
        users.set(change.newUserKey, {
          id: change.newUserKey,
          email: change.email,
          firstName: change.firstName,
          lastName: change.lastName,
          status: 'uninvited',
          role: 'member',
          link: { integrationId, remoteId: change.remoteId },
          origin: 'hr',
          person: change.person,
          pinnedTeamKey: null,
        })
        break
      case 'link_user':
        Object.assign(user(change.userId), {
          link: { integrationId, remoteId: change.remoteId },
          person: change.person,
        })
        break
      case 'update_person':
        user(change.userId).person = change.person
        break
      case 'update_name':
        Object.assign(user(change.userId), { firstName: change.firstName, lastName: change.lastName })
        break
      case 'revoke_invitation':
        user(change.userId).status = 'uninvited'
        break
      case 'deactivate_user':
        user(change.userId).status = 'deactivated'
        break
      case 'remove_user':
        user(change.userId)
        users.delete(change.userId)
        for (const t of teams) {
          t.memberUserIds = t.memberUserIds.filter((member) => member !== change.userId)
          if (t.reviewerUserId === change.userId) t.reviewerUserId = null
        }
        break
      case 'unlink_user':
        Object.assign(user(change.userId), { link: null, person: null })
        break
      case 'pin_team':
        user(change.userId).pinnedTeamKey = change.teamKey
        break
      case 'create_team':
        if (teams.some((t) => t.id === `team:${change.key}`))
          throw new Error(`team ${change.key} created twice`)
        teams.push({
          id: `team:${change.key}`,
          name: change.name,
          kind: change.key === UNASSIGNED_TEAM_KEY ? 'unassigned' : 'synced',
          key: change.key,
          nameOverridden: false,
          reviewerUserId: change.reviewer === null ? null : id(change.reviewer),
          memberUserIds: change.members.map(id),
        })
        break
      case 'rename_team':
        team(change.teamId).name = change.name
        break
      case 'set_reviewer':
        team(change.teamId).reviewerUserId = change.to === null ? null : id(change.to)
        break
      case 'set_members':
        team(change.teamId).memberUserIds = change.members.map(id)
        break
      case 'delete_team':
        team(change.teamId)
        teams = teams.filter((t) => t.id !== change.teamId)
        break
      case 'convert_team':
        Object.assign(team(change.teamId), { kind: 'ordinary', key: null })
        break
    }
  }
  return { users: [...users.values()], teams }
}

export function applyPlan(directory: Directory, plan: SyncPlan): Directory {
  return applyChanges(directory, plan.changes, plan.integrationId)
}

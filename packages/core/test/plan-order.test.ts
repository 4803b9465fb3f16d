import { describe, expect, it } from 'vitest'
import { plan, UNASSIGNED_TEAM_KEY } from '../src/index.js'
import { appUser, kinds, NOW, person, settings, snapshot, syncedDirectory } from './build.js'

// "Each run records what it changed": one order for every plan, users before teams and a revocation
// before its removal, so the same input always gives the same plan.

describe('every run: the order of the changes', () => {
  it('Every run: user changes come by kind (create, link, update, rename, revoke, deactivate, remove), then by user', () => {
    const staying = [person('ren'), person('upd')]
    const leaving = [person('act1'), person('act2'), person('inv'), person('uni')]
    const synced = syncedDirectory([...staying, ...leaving], {
      ren: 'uninvited',
      inv: 'invited',
      uni: 'uninvited',
    })
    const directory = {
      ...synced,
      users: [...synced.users, appUser('zed', { email: 'new2@acme.test' })].reverse(),
    }
    const employees = [
      person('new1'),
      person('new2'),
      person('new0'),
      person('ren', { firstName: 'Renée' }),
      person('upd', { jobTitle: 'Lead' }),
    ]
    const result = plan(snapshot(employees), directory, settings({ approveHeldRemovals: true }), NOW)
    expect(kinds(result.changes)).toEqual([
      'create_user',
      'create_user',
      'link_user',
      'update_person',
      'update_person',
      'update_name',
      'revoke_invitation',
      'deactivate_user',
      'deactivate_user',
      'remove_user',
      'remove_user',
    ])
    const subjects = result.changes.map((change) =>
      'userId' in change ? change.userId : change.kind === 'create_user' ? change.newUserKey : '',
    )
    expect(subjects.slice(0, 2)).toEqual(['hr1:new0', 'hr1:new1'])
    expect(subjects.slice(3, 5)).toEqual([...subjects.slice(3, 5)].sort())
    expect(subjects.slice(7, 9)).toEqual([...subjects.slice(7, 9)].sort())
    expect(subjects.slice(9, 11)).toEqual([...subjects.slice(9, 11)].sort())
    expect(subjects[9]).not.toBe(subjects[10])
    expect(result.counts).toMatchObject({ created: 2, deactivated: 2, removed: 2, teamsChanged: 0 })
  })

  it('R13 building teams: a new team and Unassigned list their members by user id, whatever order the directory has', () => {
    const employees = [
      person('boss'),
      ...['c', 'b', 'a'].map((id) => person(id, { managerRemoteId: 'boss' })),
    ]
    const synced = syncedDirectory(employees, {}, { extraUsers: [appUser('zz'), appUser('yy')] })
    const reversed = { ...synced, users: [...synced.users].reverse() }
    const result = plan(snapshot(employees), reversed, settings({ teamSync: true }), NOW)
    const membersOf = (key: string) =>
      result.changes.flatMap((change) =>
        change.kind === 'create_team' && change.key === key
          ? change.members.map((ref) => ('userId' in ref ? ref.userId : ref.newUserKey))
          : [],
      )
    expect(membersOf('boss')).toEqual(['hr1:a', 'hr1:b', 'hr1:c'])
    expect(membersOf(UNASSIGNED_TEAM_KEY)).toEqual(['hr1:boss', 'yy', 'zz'])
  })
})

import { describe, expect, it } from 'vitest'
import type { Directory, DirectoryUser } from '../src/index.js'
import { previewDisconnect, UNASSIGNED_TEAM_KEY } from '../src/index.js'
import { appUser, INTEGRATION, kinds, person, syncedDirectory, userOf } from './build.js'

const states = { act: 'active', dea: 'deactivated', uni: 'uninvited', inv: 'invited' } as const

function directory(options: { teamSync?: boolean } = {}): Directory {
  const employees = [
    person('boss'),
    ...Object.keys(states).map((id) => person(id, { managerRemoteId: 'boss' })),
  ]
  const invitedByAdmin: DirectoryUser = {
    ...appUser('manual-inv', { status: 'invited' }),
    link: { integrationId: INTEGRATION, remoteId: 'x' },
  }
  const other = appUser('other-hr', { link: { integrationId: 'scim', remoteId: '9' }, origin: 'hr' })
  const synced = syncedDirectory(
    employees,
    { ...states, boss: 'active' },
    {
      teamSync: options.teamSync,
      extraUsers: [appUser('zoe'), other],
    },
  )
  return { ...synced, users: [...synced.users, invitedByAdmin] }
}

describe('R7 disconnect', () => {
  const table = [
    [
      'act',
      'R7 disconnect: linked active stays active; link and label removed',
      'stays_active_unlinked',
      ['unlink_user'],
    ],
    ['dea', 'R7 disconnect: linked deactivated stays deactivated', 'stays_deactivated', ['unlink_user']],
    ['uni', 'R7 disconnect: uninvited is removed', 'removed', ['remove_user']],
    [
      'inv',
      'R7 disconnect: invited-not-accepted is revoked',
      'invitation_revoked_removed',
      ['revoke_invitation', 'remove_user'],
    ],
  ] as const
  for (const [remoteId, name, outcome, changeKinds] of table) {
    it(name, () => {
      const dir = directory()
      const preview = previewDisconnect(dir, INTEGRATION, false)
      const userId = userOf(dir, remoteId).id
      expect([...preview.keep, ...preview.remove].find((entry) => entry.userId === userId)?.outcome).toBe(
        outcome,
      )
      expect(
        kinds(preview.changes.filter((change) => 'userId' in change && change.userId === userId)),
      ).toEqual(changeKinds)
    })
  }

  it('R7 disconnect: app-only users and other integrations are untouched', () => {
    const preview = previewDisconnect(directory(), INTEGRATION, false)
    const touched = preview.changes.flatMap((change) => ('userId' in change ? [change.userId] : []))
    expect(touched).not.toContain('zoe')
    expect(touched).not.toContain('other-hr')
    expect(preview.untouched).toBe(2)
  })

  it('R7 disconnect: an app user invited by an admin (not from the HR list) keeps the invitation', () => {
    const preview = previewDisconnect(directory(), INTEGRATION, false)
    expect(preview.keep).toContainEqual({ userId: 'manual-inv', outcome: 'stays_invited_unlinked' })
  })

  it('R7 disconnect: team sync is stopped first (R18)', () => {
    const dir = directory({ teamSync: true })
    const preview = previewDisconnect(dir, INTEGRATION, true)
    expect(preview.teamSyncStopped).toBe(true)
    const teamChanges = preview.changes.findIndex((change) => change.kind === 'unlink_user')
    expect(kinds(preview.changes.slice(0, teamChanges))).toEqual(['convert_team', 'convert_team'])
    expect(dir.teams.map((team) => team.key).sort()).toEqual(['boss', UNASSIGNED_TEAM_KEY])
  })
})

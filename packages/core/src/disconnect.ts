import type { Change, Directory, DisconnectPreview } from './directory.js'
import { userName } from './match.js'
import { stopTeamSync } from './team-sync.js'

/** R7: what disconnecting an integration does to every user it touches, and the changes that do it. */
export function previewDisconnect(
  directory: Directory,
  integrationId: string,
  teamSyncOn: boolean,
): DisconnectPreview {
  const preview: DisconnectPreview = {
    keep: [],
    remove: [],
    untouched: 0,
    teamSyncStopped: teamSyncOn,
    // R18 first, so every team keeps its members and reviewers as ordinary teams.
    changes: teamSyncOn ? stopTeamSync(directory) : [],
  }
  const changes: Change[] = preview.changes
  for (const user of [...directory.users].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (user.link?.integrationId !== integrationId) {
      preview.untouched += 1
      continue
    }
    const userId = user.id
    const reason = `${userName(user)} came from an integration that was disconnected`
    switch (user.status) {
      case 'active':
        preview.keep.push({ userId, outcome: 'stays_active_unlinked' })
        changes.push({ kind: 'unlink_user', userId })
        break
      case 'deactivated':
        preview.keep.push({ userId, outcome: 'stays_deactivated' })
        changes.push({ kind: 'unlink_user', userId })
        break
      case 'uninvited':
        preview.remove.push({ userId, outcome: 'removed' })
        changes.push({ kind: 'remove_user', userId, reason })
        break
      case 'invited':
        if (user.origin === 'hr') {
          preview.remove.push({ userId, outcome: 'invitation_revoked_removed' })
          changes.push({ kind: 'revoke_invitation', userId, reason }, { kind: 'remove_user', userId, reason })
        } else {
          preview.keep.push({ userId, outcome: 'stays_invited_unlinked' })
          changes.push({ kind: 'unlink_user', userId })
        }
        break
    }
  }
  return preview
}

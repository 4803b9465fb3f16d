import { type DisconnectPreview, previewDisconnect } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  applyChanges,
  getIntegration,
  type Integration,
  loadDirectory,
  markDisconnected,
  type Queryable,
} from '../store/index.js'

async function connected(q: Queryable, id: string): Promise<Integration> {
  const integration = await getIntegration(q, id)
  if (!integration) throw notFound('integration', id)
  if (integration.status !== 'connected') {
    throw new RunnerError('integration_disconnected', 'This integration is already disconnected', 409)
  }
  return integration
}

/** R7: exactly what disconnecting would do to every user, without doing it. */
export async function disconnectPreview(ctx: RunnerContext, id: string): Promise<DisconnectPreview> {
  const integration = await connected(ctx.db, id)
  const directory = await loadDirectory(ctx.db, integration.companyId)
  return previewDisconnect(directory, id, integration.teamSync === 'on')
}

/** R7: stops team sync, keeps accepted users (unlinked), removes the rest the integration brought. */
export async function disconnect(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null = null,
): Promise<DisconnectPreview> {
  await connected(ctx.db, id)
  return ctx.locks.exclusive(id, async () => {
    const result = await ctx.db.transaction(async (tx) => {
      const integration = await connected(tx, id)
      const directory = await loadDirectory(tx, integration.companyId)
      const preview = previewDisconnect(directory, id, integration.teamSync === 'on')
      const { events } = await applyChanges(tx, preview.changes, {
        companyId: integration.companyId,
        integrationId: id,
        cause: { trigger: 'disconnect' },
        actor,
      })
      await markDisconnected(tx, id, ctx.now())
      await ctx.events.append(tx, [
        ...events,
        {
          companyId: integration.companyId,
          integrationId: id,
          type: 'integration.disconnected',
          payload: {
            integrationId: id,
            kept: preview.keep.length,
            removed: preview.remove.length,
            untouched: preview.untouched,
            teamSyncStopped: preview.teamSyncStopped,
          },
          actor,
        },
      ])
      return preview
    })
    ctx.scimTokens.forget(id)
    ctx.events.committed()
    return result
  })
}

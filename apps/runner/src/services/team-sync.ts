import {
  type Change,
  type Directory,
  finishTeamSync,
  type PersonRecord,
  previewTeamSync,
  type Snapshot,
  stopTeamSync,
  type TeamPreview,
  TeamSyncError,
  type TeamSyncReview,
  type UserRef,
  userRefKey,
} from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  applyChanges,
  getCompany,
  getIntegration,
  type Integration,
  loadDirectory,
  lockIntegration,
  type Queryable,
  setTeamSync,
  teamSyncPreview,
} from '../store/index.js'

/** A team member or reviewer as the console shows it: a user, or an HR person not yet a user. */
export interface PreviewPerson {
  userId: string | null
  remoteId: string | null
  name: string
  email: string | null
}

export interface TeamSyncPreviewView {
  teams: Array<{
    key: string
    name: string
    reviewer: PreviewPerson | null
    /** why the reviewer is not the team's manager; null when it is */
    reviewerNote: string | null
    members: PreviewPerson[]
  }>
  unassigned: { members: Array<PreviewPerson & { reason: string | null }>; reviewer: PreviewPerson | null }
  deletes: Array<{ teamId: string; name: string }>
  warnings: TeamPreview['warnings']
}

async function pullIntegration(ctx: RunnerContext, id: string): Promise<Integration> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  if (integration.status !== 'connected') {
    throw new RunnerError('integration_disconnected', 'This integration is disconnected', 409)
  }
  return integration
}

function describe(
  ref: UserRef | null,
  directory: Directory,
  persons: Map<string, { firstName: string | null; lastName: string | null; email: string | null }>,
  integrationId: string,
): PreviewPerson | null {
  if (ref === null) return null
  if ('userId' in ref) {
    const user = directory.users.find((u) => u.id === ref.userId)
    const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ') || user?.email || ref.userId
    return { userId: ref.userId, remoteId: user?.link?.remoteId ?? null, name, email: user?.email ?? null }
  }
  const remoteId = ref.newUserKey.slice(integrationId.length + 1)
  const person = persons.get(remoteId)
  const name = [person?.firstName, person?.lastName].filter(Boolean).join(' ') || person?.email || remoteId
  return { userId: null, remoteId, name, email: person?.email ?? null }
}

function viewOf(
  preview: TeamPreview,
  directory: Directory,
  persons: Map<string, PersonRecordLike>,
  id: string,
) {
  const who = (ref: UserRef | null) => describe(ref, directory, persons, id)
  const view: TeamSyncPreviewView = {
    teams: preview.teams.map((team) => ({
      key: team.key,
      name: team.name,
      reviewer: who(team.reviewer),
      reviewerNote: team.reviewerNote,
      members: team.members.map((member) => who(member)!),
    })),
    unassigned: {
      reviewer: who(preview.unassigned.reviewer),
      members: preview.unassigned.members.map((member) => {
        const person = who(member)!
        return { ...person, reason: preview.unassigned.reasons[userRefKey(member)] ?? null }
      }),
    },
    deletes: preview.deletes.map((teamId) => ({
      teamId,
      name: directory.teams.find((team) => team.id === teamId)?.name ?? teamId,
    })),
    warnings: preview.warnings,
  }
  return view
}

type PersonRecordLike = Pick<PersonRecord, 'firstName' | 'lastName'> & { email: string | null }

/** HR as it is now, with the persons' names for the preview. */
async function pullSnapshot(ctx: RunnerContext, integration: Integration) {
  const { connector } = await ctx.sync.context(integration.id)
  const pulled = await ctx.sync.pull(integration, connector)
  if (!pulled.ok) throw new RunnerError(pulled.code, pulled.failure, 422)
  const snapshot: Snapshot = {
    integrationId: integration.id,
    source: connector!.name,
    complete: true,
    employees: pulled.employees,
    skipped: pulled.skipped,
  }
  return { snapshot, persons: new Map(pulled.employees.map((e) => [e.remoteId, e])) }
}

/**
 * Team sync setup: pulls HR, computes the teams finishing would build, and keeps that preview for
 * the finish step. Nothing in the directory changes.
 */
export async function previewTeams(ctx: RunnerContext, id: string): Promise<TeamSyncPreviewView> {
  const integration = await pullIntegration(ctx, id)
  if (integration.teamSync === 'on') {
    throw new RunnerError('team_sync_on', 'Team sync is already on: stop it before setting it up again', 409)
  }
  return ctx.locks.exclusive(id, async () => {
    const { company } = await ctx.sync.context(id)
    const { snapshot, persons } = await pullSnapshot(ctx, integration)
    const directory = await loadDirectory(ctx.db, company.id)
    const preview = previewTeamSync(
      snapshot,
      directory,
      ctx.sync.settingsFor(integration, company),
      ctx.now(),
    )
    await setTeamSync(ctx.db, id, 'setup', preview)
    return viewOf(preview, directory, persons, id)
  })
}

/** Applies team sync changes in the caller's transaction and records them; returns how many applied. */
async function applyTeamChanges(
  ctx: RunnerContext,
  tx: Queryable,
  integration: Integration,
  planned: Change[],
  state: 'on' | 'off',
  eventType: string,
  actor: Actor | null,
): Promise<number> {
  const { applied, events } = await applyChanges(tx, planned, {
    companyId: integration.companyId,
    integrationId: integration.id,
    cause: { trigger: eventType },
    actor,
  })
  await setTeamSync(tx, integration.id, state, null)
  await ctx.events.append(tx, [
    ...events,
    {
      companyId: integration.companyId,
      integrationId: integration.id,
      type: eventType,
      payload: { integrationId: integration.id, changes: applied.length },
      actor,
    },
  ])
  return applied.length
}

/**
 * Finishes setup with the admin's review of Unassigned: the app's teams are replaced by synced ones,
 * laid out on HR and the directory as they are now. When the company changed since the preview in a
 * way that undoes the admin's choices, nothing changes: 409 `team_sync_preview_changed` with the new
 * preview, which is kept for the next finish.
 */
export async function finishTeams(
  ctx: RunnerContext,
  id: string,
  review: TeamSyncReview,
  actor: Actor | null = null,
): Promise<{ changes: number }> {
  const integration = await pullIntegration(ctx, id)
  const notInSetup = () =>
    new RunnerError(
      'team_sync_not_in_setup',
      'Team sync is not being set up: ask for a preview (POST .../team-sync/preview) first',
      409,
    )
  if (integration.teamSync !== 'setup') throw notInSetup()
  return ctx.locks.exclusive(id, async () => {
    const { company } = await ctx.sync.context(id)
    const { snapshot, persons } = await pullSnapshot(ctx, integration)
    type Outcome = { applied: number } | { changed: string; preview: TeamSyncPreviewView }
    const outcome = await ctx.db.transaction(async (tx): Promise<Outcome> => {
      // the preview the admin reviewed, read once HR is pulled: setup may have been stopped meanwhile
      const locked = await lockIntegration(tx, id)
      const shown = locked?.teamSync === 'setup' ? await teamSyncPreview(tx, id) : null
      if (!shown) throw notInSetup()
      const directory = await loadDirectory(tx, company.id)
      const present = previewTeamSync(
        snapshot,
        directory,
        ctx.sync.settingsFor(integration, company),
        ctx.now(),
      )
      try {
        const changes = finishTeamSync(present, review, directory, shown)
        return {
          applied: await applyTeamChanges(ctx, tx, integration, changes, 'on', 'team_sync.started', actor),
        }
      } catch (error) {
        if (!(error instanceof TeamSyncError)) throw error
        if (error.code !== 'preview_changed') throw new RunnerError(error.code, error.message, 400)
        await setTeamSync(tx, id, 'setup', present)
        return { changed: error.message, preview: viewOf(present, directory, persons, id) }
      }
    })
    if ('changed' in outcome) {
      throw new RunnerError('team_sync_preview_changed', outcome.changed, 409, { preview: outcome.preview })
    }
    ctx.events.committed()
    return { changes: outcome.applied }
  })
}

/** R18: synced teams become ordinary editable teams; user sync goes on. */
export async function stopTeams(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null = null,
): Promise<{ changes: number }> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  if (integration.teamSync === 'off') throw new RunnerError('team_sync_off', 'Team sync is not on', 409)
  if (integration.teamSync === 'setup') {
    await ctx.db.transaction(async (tx) => {
      await setTeamSync(tx, id, 'off', null)
      await ctx.events.append(tx, [
        {
          companyId: integration.companyId,
          integrationId: id,
          type: 'team_sync.stopped',
          payload: { integrationId: id, changes: 0 },
          actor,
        },
      ])
    })
    ctx.events.committed()
    return { changes: 0 }
  }
  const company = await getCompany(ctx.db, integration.companyId)
  if (!company) throw notFound('company', integration.companyId)
  return ctx.locks.exclusive(id, async () => {
    const changes = await ctx.db.transaction(async (tx) => {
      const directory = await loadDirectory(tx, integration.companyId)
      return applyTeamChanges(
        ctx,
        tx,
        integration,
        stopTeamSync(directory),
        'off',
        'team_sync.stopped',
        actor,
      )
    })
    ctx.events.committed()
    return { changes }
  })
}

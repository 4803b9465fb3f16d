import {
  type Change,
  type Directory,
  finishTeamSync,
  type PersonRecord,
  previewTeamSync,
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
  applyChanges,
  getCompany,
  getIntegration,
  type Integration,
  loadDirectory,
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
    const { company, connector } = await ctx.sync.context(id)
    const pulled = await ctx.sync.pull(integration, connector)
    if (!pulled.ok) throw new RunnerError(pulled.code, pulled.failure, 422)
    const snapshot = {
      integrationId: id,
      source: connector!.name,
      complete: true,
      employees: pulled.employees,
      skipped: pulled.skipped,
    }
    const directory = await loadDirectory(ctx.db, company.id)
    const preview = previewTeamSync(
      snapshot,
      directory,
      ctx.sync.settingsFor(integration, company),
      ctx.now(),
    )
    await setTeamSync(ctx.db, id, 'setup', preview)
    const persons = new Map(pulled.employees.map((e) => [e.remoteId, e]))
    return viewOf(preview, directory, persons, id)
  })
}

async function applyTeamChanges(
  ctx: RunnerContext,
  integration: Integration,
  changes: (directory: Directory) => Change[],
  state: 'on' | 'off',
  eventType: string,
): Promise<{ changes: number }> {
  const result = await ctx.db.transaction(async (tx) => {
    const directory = await loadDirectory(tx, integration.companyId)
    let planned: Change[]
    try {
      planned = changes(directory)
    } catch (error) {
      if (error instanceof TeamSyncError) throw new RunnerError(error.code, error.message, 400)
      throw error
    }
    const { applied, events } = await applyChanges(tx, planned, {
      companyId: integration.companyId,
      integrationId: integration.id,
      cause: { trigger: eventType },
    })
    await setTeamSync(tx, integration.id, state, null)
    await ctx.events.append(tx, [
      ...events,
      {
        companyId: integration.companyId,
        integrationId: integration.id,
        type: eventType,
        payload: { integrationId: integration.id, changes: applied.length },
      },
    ])
    return { changes: applied.length }
  })
  ctx.events.committed()
  return result
}

/** Finishes setup with the admin's review of Unassigned: the app's teams are replaced by synced ones. */
export async function finishTeams(
  ctx: RunnerContext,
  id: string,
  review: TeamSyncReview,
): Promise<{ changes: number }> {
  const integration = await pullIntegration(ctx, id)
  const preview = integration.teamSync === 'setup' ? await teamSyncPreview(ctx.db, id) : null
  if (!preview) {
    throw new RunnerError(
      'team_sync_not_in_setup',
      'Team sync is not being set up: ask for a preview (POST .../team-sync/preview) first',
      409,
    )
  }
  return ctx.locks.exclusive(id, () =>
    applyTeamChanges(
      ctx,
      integration,
      (directory) => finishTeamSync(preview, review, directory),
      'on',
      'team_sync.started',
    ),
  )
}

/** R18: synced teams become ordinary editable teams; user sync goes on. */
export async function stopTeams(ctx: RunnerContext, id: string): Promise<{ changes: number }> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  if (integration.teamSync === 'off') throw new RunnerError('team_sync_off', 'Team sync is not on', 409)
  if (integration.teamSync === 'setup') {
    await setTeamSync(ctx.db, id, 'off', null)
    return { changes: 0 }
  }
  const company = await getCompany(ctx.db, integration.companyId)
  if (!company) throw notFound('company', integration.companyId)
  return ctx.locks.exclusive(id, () =>
    applyTeamChanges(ctx, integration, (directory) => stopTeamSync(directory), 'off', 'team_sync.stopped'),
  )
}

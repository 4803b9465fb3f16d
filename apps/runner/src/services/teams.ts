import {
  type DirectoryTeam,
  type DirectoryUser,
  planTeamEdit,
  type TeamEdit,
  TeamEditError,
  type TeamSyncOn,
  type TeamUpdate,
} from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  connectedIntegration,
  deleteTeam,
  getCompany,
  getIntegration,
  getTeam,
  getUser,
  insertTeam,
  type StoredTeam,
  setTeamMembers,
  updateTeam,
} from '../store/index.js'

/** The company's integration whose team sync is on, if any, with its HR system's name. */
async function teamSyncOf(ctx: RunnerContext, companyId: string): Promise<TeamSyncOn | null> {
  const integration = await connectedIntegration(ctx.db, companyId)
  if (integration?.teamSync !== 'on') return null
  const source = ctx.registry.get(integration.connectorId)?.connector.name ?? 'the HR system'
  return { integrationId: integration.id, source }
}

/**
 * What the edit may write, as the team rules say (core's `planTeamEdit`): a refusal by team sync
 * answers 409 with the reason, an unknown or ineligible user 400.
 */
async function allowed(
  ctx: RunnerContext,
  companyId: string,
  team: DirectoryTeam | null,
  edit: TeamEdit,
): Promise<TeamUpdate> {
  const users = new Map<string, DirectoryUser>()
  for (const id of [edit.reviewerUserId, ...(edit.memberUserIds ?? [])]) {
    if (!id || users.has(id)) continue
    const user = await getUser(ctx.db, id)
    if (user && user.companyId === companyId) users.set(id, user)
  }
  try {
    return planTeamEdit(team, edit, users, await teamSyncOf(ctx, companyId))
  } catch (error) {
    if (!(error instanceof TeamEditError)) throw error
    const conflict = error.code === 'team_managed_by_hr_sync' || error.code === 'person_managed_by_hr_sync'
    throw new RunnerError(error.code, error.message, conflict ? 409 : 400)
  }
}

/** While team sync is on, synced teams and Unassigned are HR's: they are never deleted by hand. */
async function deletable(ctx: RunnerContext, teamId: string): Promise<StoredTeam> {
  const team = await getTeam(ctx.db, teamId)
  if (!team) throw notFound('team', teamId)
  if (team.kind !== 'ordinary') {
    const integration = team.integrationId ? await getIntegration(ctx.db, team.integrationId) : null
    const name = ctx.registry.get(integration?.connectorId ?? '')?.connector.name ?? 'the HR system'
    throw new RunnerError(
      'team_managed_by_hr_sync',
      `Team sync is on: move people by changing their manager in ${name}`,
      409,
    )
  }
  return team
}

export async function createTeam(
  ctx: RunnerContext,
  companyId: string,
  body: Required<Pick<TeamEdit, 'name'>> & TeamEdit,
  actor: Actor | null = null,
): Promise<StoredTeam> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  await allowed(ctx, companyId, null, body)
  const team = await ctx.db.transaction(async (tx) => {
    const team = await insertTeam(tx, {
      companyId,
      integrationId: null,
      name: body.name,
      kind: 'ordinary',
      key: null,
      reviewerUserId: body.reviewerUserId ?? null,
      memberUserIds: body.memberUserIds ?? [],
    })
    await ctx.events.append(tx, [
      {
        companyId,
        integrationId: null,
        type: 'team.created',
        payload: { teamId: team.id, name: team.name },
        actor,
      },
    ])
    return team
  })
  ctx.events.committed()
  return team
}

/** R13: a synced team's rename is kept on later runs; its members and reviewer stay HR's. */
export async function editTeam(
  ctx: RunnerContext,
  teamId: string,
  body: TeamEdit,
  actor: Actor | null = null,
): Promise<StoredTeam> {
  const team = await getTeam(ctx.db, teamId)
  if (!team) throw notFound('team', teamId)
  const update = await allowed(ctx, team.companyId, team, body)
  const updated = await ctx.db.transaction(async (tx) => {
    const { memberUserIds, ...fields } = update
    await updateTeam(tx, teamId, fields)
    if (memberUserIds) await setTeamMembers(tx, teamId, memberUserIds)
    await ctx.events.append(tx, [
      {
        companyId: team.companyId,
        integrationId: null,
        type: 'team.updated',
        payload: { teamId, ...body },
        actor,
      },
    ])
    return (await getTeam(tx, teamId))!
  })
  ctx.events.committed()
  return updated
}

export async function removeTeam(
  ctx: RunnerContext,
  teamId: string,
  actor: Actor | null = null,
): Promise<void> {
  const team = await deletable(ctx, teamId)
  await ctx.db.transaction(async (tx) => {
    await deleteTeam(tx, teamId)
    await ctx.events.append(tx, [
      {
        companyId: team.companyId,
        integrationId: null,
        type: 'team.deleted',
        payload: { teamId, name: team.name },
        actor,
      },
    ])
  })
  ctx.events.committed()
}

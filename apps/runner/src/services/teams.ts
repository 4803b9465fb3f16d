import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  deleteTeam,
  getCompany,
  getIntegration,
  getTeam,
  getUser,
  insertTeam,
  listTeams,
  type StoredTeam,
  setTeamMembers,
  updateTeam,
} from '../store/index.js'

export async function listCompanyTeams(ctx: RunnerContext, companyId: string): Promise<StoredTeam[]> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  return listTeams(ctx.db, companyId)
}

async function checkUsers(
  ctx: RunnerContext,
  companyId: string,
  ids: (string | null | undefined)[],
): Promise<void> {
  for (const id of ids) {
    if (!id) continue
    const user = await getUser(ctx.db, id)
    if (!user || user.companyId !== companyId)
      throw new RunnerError('unknown_user', `No user ${id} in this company`)
  }
}

/** While team sync is on, synced teams and Unassigned are read-only: HR decides who belongs where. */
async function editable(ctx: RunnerContext, teamId: string): Promise<StoredTeam> {
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

export interface TeamFields {
  name?: string
  reviewerUserId?: string | null
  memberUserIds?: string[]
}

export async function createTeam(
  ctx: RunnerContext,
  companyId: string,
  body: Required<Pick<TeamFields, 'name'>> & TeamFields,
): Promise<StoredTeam> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  await checkUsers(ctx, companyId, [body.reviewerUserId, ...(body.memberUserIds ?? [])])
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
      { companyId, integrationId: null, type: 'team.created', payload: { teamId: team.id, name: team.name } },
    ])
    return team
  })
  ctx.events.committed()
  return team
}

export async function editTeam(ctx: RunnerContext, teamId: string, body: TeamFields): Promise<StoredTeam> {
  const team = await editable(ctx, teamId)
  await checkUsers(ctx, team.companyId, [body.reviewerUserId, ...(body.memberUserIds ?? [])])
  const updated = await ctx.db.transaction(async (tx) => {
    await updateTeam(tx, teamId, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.reviewerUserId !== undefined ? { reviewerUserId: body.reviewerUserId } : {}),
    })
    if (body.memberUserIds) await setTeamMembers(tx, teamId, body.memberUserIds)
    await ctx.events.append(tx, [
      { companyId: team.companyId, integrationId: null, type: 'team.updated', payload: { teamId, ...body } },
    ])
    return (await getTeam(tx, teamId))!
  })
  ctx.events.committed()
  return updated
}

export async function removeTeam(ctx: RunnerContext, teamId: string): Promise<void> {
  const team = await editable(ctx, teamId)
  await ctx.db.transaction(async (tx) => {
    await deleteTeam(tx, teamId)
    await ctx.events.append(tx, [
      {
        companyId: team.companyId,
        integrationId: null,
        type: 'team.deleted',
        payload: { teamId, name: team.name },
      },
    ])
  })
  ctx.events.committed()
}

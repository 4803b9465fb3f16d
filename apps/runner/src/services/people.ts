import { randomBytes } from 'node:crypto'
import { normaliseEmail, reactivatable, todayIn, userFlags } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  deleteUser,
  findUserByEmail,
  getCompany,
  getIntegration,
  getUser,
  insertUser,
  type Queryable,
  type StoredUser,
  updateUser,
  userByInvitationHash,
} from '../store/index.js'
import { hashToken } from './integrations.js'

export interface UserView extends StoredUser {
  /** "added via <HR system>" while the user is linked to an integration */
  label: string | null
  flags: { returning: boolean; leavingOn: string | null; hrEmailDiffers: boolean }
  /** what the console offers on Add people: invite an uninvited user, reactivate a returning one */
  action: 'invite' | 'reactivate' | null
}

/** The HR system's name per integration of the users; `q` inside a transaction (one connection on PGlite). */
export async function connectorNames(
  ctx: Pick<RunnerContext, 'db' | 'registry'>,
  users: StoredUser[],
  q: Queryable = ctx.db,
): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  for (const integrationId of new Set(
    users.flatMap((user) => (user.link ? [user.link.integrationId] : [])),
  )) {
    const integration = await getIntegration(q, integrationId)
    const connectorId = integration?.connectorId ?? integrationId
    names.set(integrationId, ctx.registry.get(connectorId)?.connector.name ?? connectorId)
  }
  return names
}

export function view(user: StoredUser, names: Map<string, string>, today: string): UserView {
  const flags = userFlags(user, today)
  return {
    ...user,
    label: user.link ? `added via ${names.get(user.link.integrationId)}` : null,
    flags,
    action:
      user.status === 'uninvited' ? 'invite' : reactivatable(user, flags.returning) ? 'reactivate' : null,
  }
}

/** Users as the admin API shows them: with their label, flags and Add people action. */
export async function userViews(
  ctx: RunnerContext,
  timeZone: string,
  users: StoredUser[],
): Promise<UserView[]> {
  const names = await connectorNames(ctx, users)
  const today = todayIn(timeZone, ctx.now())
  return users.map((user) => view(user, names, today))
}

async function companyOf(ctx: RunnerContext, companyId: string) {
  const company = await getCompany(ctx.db, companyId)
  if (!company) throw notFound('company', companyId)
  return company
}

/** An app-only user an admin adds by hand; the sync never deactivates or deletes them (R12). */
export async function createManualUser(
  ctx: RunnerContext,
  companyId: string,
  body: {
    email: string
    firstName?: string | null
    lastName?: string | null
    role?: 'admin' | 'member'
    status?: 'active' | 'invited'
  },
  actor: Actor | null = null,
): Promise<UserView> {
  const company = await companyOf(ctx, companyId)
  const email = normaliseEmail(body.email)
  if (!email || !email.includes('@'))
    throw new RunnerError('invalid_request', 'body.email must be an email address')
  if (await findUserByEmail(ctx.db, companyId, email)) {
    throw new RunnerError(
      'email_taken',
      `A user with the email ${email} already exists in ${company.name}`,
      409,
    )
  }
  const user = await ctx.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      companyId,
      email,
      firstName: body.firstName ?? null,
      lastName: body.lastName ?? null,
      status: body.status ?? 'active',
      role: body.role ?? 'member',
      origin: 'manual',
    })
    await ctx.events.append(tx, [
      {
        companyId,
        integrationId: null,
        type: 'user.created',
        payload: { userId: user.id, email, origin: 'manual' },
        actor,
      },
    ])
    return user
  })
  ctx.events.committed()
  return view(user, new Map(), todayIn(company.timeZone, ctx.now()))
}

/** Deletes an app-only user; users the HR sync manages refuse. */
export async function deleteManualUser(
  ctx: RunnerContext,
  userId: string,
  actor: Actor | null = null,
): Promise<void> {
  const user = await getUser(ctx.db, userId)
  if (!user) throw notFound('user', userId)
  if (user.link) {
    const integration = await getIntegration(ctx.db, user.link.integrationId)
    const name = ctx.registry.get(integration?.connectorId ?? '')?.connector.name ?? 'the HR system'
    throw new RunnerError(
      'user_managed_by_hr_sync',
      `This user is synced from ${name}: they leave when HR records them as gone, or after disconnecting`,
      409,
    )
  }
  await ctx.db.transaction(async (tx) => {
    // the teams that name the user change with the deletion: each gets an event with its new state
    const named = await tx.query<{ id: string; integration_id: string | null; reviews: boolean }>(
      `SELECT id, integration_id, reviewer_user_id = $1 AS reviews FROM teams
        WHERE reviewer_user_id = $1 OR id IN (SELECT team_id FROM team_members WHERE user_id = $1)
        ORDER BY id`,
      [userId],
    )
    await deleteUser(tx, userId)
    await ctx.events.append(tx, [
      {
        companyId: user.companyId,
        integrationId: null,
        type: 'user.deleted',
        payload: { userId, email: user.email },
        actor,
      },
      ...named.map((team) => ({
        companyId: user.companyId,
        integrationId: team.integration_id,
        type: team.reviews ? 'team.reviewer_changed' : 'team.members_changed',
        payload: team.reviews ? { teamId: team.id, reviewerUserId: null } : { teamId: team.id },
        actor,
      })),
    ])
  })
  ctx.events.committed()
}

/**
 * Invites users from Add people: uninvited ones, and returning ones (R10, reactivation), among them
 * users an admin deactivated ahead of HR (the override ends). Returns one token per user for the
 * app to send; only its hash is stored. The sync never does this (R6).
 */
export async function inviteUsers(
  ctx: RunnerContext,
  companyId: string,
  userIds: string[],
  actor: Actor | null = null,
): Promise<Array<{ userId: string; email: string; token: string }>> {
  const company = await companyOf(ctx, companyId)
  const today = todayIn(company.timeZone, ctx.now())
  const invitations = await ctx.db.transaction(async (tx) => {
    const out: Array<{ userId: string; email: string; token: string }> = []
    for (const userId of [...new Set(userIds)]) {
      const user = await getUser(tx, userId)
      if (!user || user.companyId !== companyId) throw notFound('user', userId)
      if (user.status !== 'uninvited' && !reactivatable(user, userFlags(user, today).returning)) {
        throw new RunnerError(
          'not_invitable',
          `${user.email} is ${user.status}: only uninvited or returning users can be invited`,
          409,
        )
      }
      const token = `hrsync_inv_${randomBytes(24).toString('base64url')}`
      await updateUser(tx, userId, {
        status: 'invited',
        invitationTokenHash: hashToken(token),
        invitedAt: ctx.now(),
        deactivatedByAdmin: null,
      })
      out.push({ userId, email: user.email, token })
    }
    await ctx.events.append(
      tx,
      out.map(({ userId, email, token }) => ({
        companyId,
        integrationId: null,
        type: 'user.invited',
        // the app sends the email: the accept link is its own page (HRSYNC_INVITE_URL_TEMPLATE)
        payload: { userId, email, acceptUrl: ctx.inviteUrl(token) },
        actor,
      })),
    )
    return out
  })
  ctx.events.committed()
  return invitations
}

/** The invitee accepts: the user becomes active. The token works once. */
export async function acceptInvitation(ctx: RunnerContext, token: string): Promise<StoredUser> {
  const user = await ctx.db.transaction(async (tx) => {
    const user = await userByInvitationHash(tx, hashToken(token))
    if (!user || user.status !== 'invited') {
      throw new RunnerError(
        'invitation_not_found',
        'This invitation does not exist, was revoked or was already used',
        404,
      )
    }
    await updateUser(tx, user.id, { status: 'active', invitationTokenHash: null, acceptedAt: ctx.now() })
    await ctx.events.append(tx, [
      {
        companyId: user.companyId,
        integrationId: null,
        type: 'user.accepted',
        payload: { userId: user.id, email: user.email },
      },
    ])
    return (await getUser(tx, user.id))!
  })
  ctx.events.committed()
  return user
}

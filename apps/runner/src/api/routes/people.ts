import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import {
  acceptInvitation,
  createManualUser,
  deleteManualUser,
  inviteUsers,
  listUserViews,
} from '../../services/people.js'
import { createTeam, editTeam, listCompanyTeams, removeTeam } from '../../services/teams.js'
import {
  AcceptedBody,
  CompanyParams,
  CreateTeamBody,
  CreateUserBody,
  errors,
  InvitationParams,
  InvitationsBody,
  InviteBody,
  NoContent,
  PatchTeamBody,
  TeamBody,
  TeamListBody,
  TeamParams,
  UserListBody,
  UserParams,
  UsersQuery,
  UserViewBody,
} from '../schemas.js'

export function peopleRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/companies/:companyId/users',
      {
        schema: {
          tags: ['people'],
          summary: 'Users with status, label and flags',
          params: CompanyParams,
          querystring: UsersQuery,
          response: { 200: UserListBody, ...errors(404) },
        },
      },
      async (request) => ({ users: await listUserViews(ctx, request.params.companyId, request.query) }),
    )

    app.post(
      '/api/companies/:companyId/users',
      {
        schema: {
          tags: ['people'],
          summary: 'Add an app-only user',
          params: CompanyParams,
          body: CreateUserBody,
          response: { 201: UserViewBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createManualUser(ctx, request.params.companyId, request.body)),
    )

    app.delete(
      '/api/users/:userId',
      {
        schema: {
          tags: ['people'],
          summary: 'Delete an app-only user',
          params: UserParams,
          response: { 204: NoContent, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteManualUser(ctx, request.params.userId)
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/api/companies/:companyId/invitations',
      {
        schema: {
          tags: ['people'],
          summary: 'Invite uninvited or returning users; the tokens are returned once, for the app to send',
          params: CompanyParams,
          body: InviteBody,
          response: { 201: InvitationsBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send({ invitations: await inviteUsers(ctx, request.params.companyId, request.body.userIds) }),
    )

    app.post(
      '/api/invitations/:token/accept',
      {
        config: { access: 'public' },
        schema: {
          tags: ['people'],
          summary: 'Accept an invitation (the token is the credential: no admin token needed)',
          params: InvitationParams,
          security: [],
          response: { 200: AcceptedBody, ...errors(404) },
        },
      },
      async (request) => {
        const user = await acceptInvitation(ctx, request.params.token)
        return { userId: user.id, email: user.email, status: user.status }
      },
    )

    app.get(
      '/api/companies/:companyId/teams',
      {
        schema: {
          tags: ['teams'],
          summary: 'Teams with reviewers and members',
          params: CompanyParams,
          response: { 200: TeamListBody, ...errors(404) },
        },
      },
      async (request) => ({ teams: await listCompanyTeams(ctx, request.params.companyId) }),
    )

    app.post(
      '/api/companies/:companyId/teams',
      {
        schema: {
          tags: ['teams'],
          summary: 'Create an ordinary team; while team sync is on, of app-only users only',
          params: CompanyParams,
          body: CreateTeamBody,
          response: { 201: TeamBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await createTeam(ctx, request.params.companyId, request.body)),
    )

    app.patch(
      '/api/teams/:teamId',
      {
        schema: {
          tags: ['teams'],
          summary:
            "Edit a team. While team sync is on: a synced team can be renamed only, Unassigned's reviewer changed only, and synced people are placed by HR (409 with the reason)",
          params: TeamParams,
          body: PatchTeamBody,
          response: { 200: TeamBody, ...errors(400, 404, 409) },
        },
      },
      async (request) => editTeam(ctx, request.params.teamId, request.body),
    )

    app.delete(
      '/api/teams/:teamId',
      {
        schema: {
          tags: ['teams'],
          summary: 'Delete an ordinary team',
          params: TeamParams,
          response: { 204: NoContent, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        await removeTeam(ctx, request.params.teamId)
        return reply.status(204).send(null)
      },
    )
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { getCompanyTeam, getCompanyUser, listTeamsPage, listUsersPage } from '../../services/mirror.js'
import { acceptInvitation, createManualUser, deleteManualUser, inviteUsers } from '../../services/people.js'
import { createTeam, editTeam, removeTeam } from '../../services/teams.js'
import { actorOf } from '../auth.js'
import {
  AcceptedBody,
  CompanyParams,
  CompanyTeamParams,
  CompanyUserParams,
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
  TeamsQuery,
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
          operationId: 'listUsers',
          summary: 'List users',
          description:
            'Users with status, label and flags, a page at a time in a stable order: follow nextCursor until it is null. Filter by status, source, linked, or updatedSince to mirror only what changed.',
          params: CompanyParams,
          querystring: UsersQuery,
          response: { 200: UserListBody, ...errors(400, 404) },
        },
      },
      async (request) => {
        const page = await listUsersPage(ctx, request.params.companyId, request.query)
        return { users: page.items, nextCursor: page.nextCursor }
      },
    )

    app.get(
      '/api/companies/:companyId/users/:userId',
      {
        schema: {
          tags: ['people'],
          operationId: 'getUser',
          summary: 'Get a user',
          description: 'One user, exactly as the list and the events show it',
          params: CompanyUserParams,
          response: { 200: UserViewBody, ...errors(404) },
        },
      },
      async (request) => getCompanyUser(ctx, request.params.companyId, request.params.userId),
    )

    app.post(
      '/api/companies/:companyId/users',
      {
        schema: {
          tags: ['people'],
          operationId: 'createUser',
          summary: 'Add an app-only user',
          params: CompanyParams,
          body: CreateUserBody,
          response: { 201: UserViewBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createManualUser(ctx, request.params.companyId, request.body, actorOf(request))),
    )

    app.delete(
      '/api/users/:userId',
      {
        schema: {
          tags: ['people'],
          operationId: 'deleteUser',
          summary: 'Delete an app-only user',
          params: UserParams,
          response: { 204: NoContent, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        await deleteManualUser(ctx, request.params.userId, actorOf(request))
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/api/companies/:companyId/invitations',
      {
        schema: {
          tags: ['people'],
          operationId: 'inviteUsers',
          summary: 'Invite uninvited or returning users; the tokens are returned once, for the app to send',
          params: CompanyParams,
          body: InviteBody,
          response: { 201: InvitationsBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.status(201).send({
          invitations: await inviteUsers(
            ctx,
            request.params.companyId,
            request.body.userIds,
            actorOf(request),
          ),
        }),
    )

    app.post(
      '/api/invitations/:token/accept',
      {
        config: { access: 'public' },
        schema: {
          tags: ['people'],
          operationId: 'acceptInvitation',
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
          operationId: 'listTeams',
          summary: 'List teams',
          description:
            'Teams with reviewers and members, a page at a time in a stable order: follow nextCursor until it is null',
          params: CompanyParams,
          querystring: TeamsQuery,
          response: { 200: TeamListBody, ...errors(400, 404) },
        },
      },
      async (request) => {
        const page = await listTeamsPage(ctx, request.params.companyId, request.query)
        return { teams: page.items, nextCursor: page.nextCursor }
      },
    )

    app.get(
      '/api/companies/:companyId/teams/:teamId',
      {
        schema: {
          tags: ['teams'],
          operationId: 'getTeam',
          summary: 'Get a team',
          description: 'One team, exactly as the list and the events show it',
          params: CompanyTeamParams,
          response: { 200: TeamBody, ...errors(404) },
        },
      },
      async (request) => getCompanyTeam(ctx, request.params.companyId, request.params.teamId),
    )

    app.post(
      '/api/companies/:companyId/teams',
      {
        schema: {
          tags: ['teams'],
          operationId: 'createTeam',
          summary: 'Create an ordinary team; while team sync is on, of app-only users only',
          params: CompanyParams,
          body: CreateTeamBody,
          response: { 201: TeamBody, ...errors(400, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await createTeam(ctx, request.params.companyId, request.body, actorOf(request))),
    )

    app.patch(
      '/api/teams/:teamId',
      {
        schema: {
          tags: ['teams'],
          operationId: 'updateTeam',
          summary:
            "Edit a team. While team sync is on: a synced team can be renamed only, Unassigned's reviewer changed only, and synced people are placed by HR (409 with the reason)",
          params: TeamParams,
          body: PatchTeamBody,
          response: { 200: TeamBody, ...errors(400, 404, 409) },
        },
      },
      async (request) => editTeam(ctx, request.params.teamId, request.body, actorOf(request)),
    )

    app.delete(
      '/api/teams/:teamId',
      {
        schema: {
          tags: ['teams'],
          operationId: 'deleteTeam',
          summary: 'Delete an ordinary team',
          params: TeamParams,
          response: { 204: NoContent, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        await removeTeam(ctx, request.params.teamId, actorOf(request))
        return reply.status(204).send(null)
      },
    )
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { disconnect, disconnectPreview } from '../../services/disconnect.js'
import { approveHeldRemovals, rejectHeldRemovals } from '../../services/held.js'
import { changeIntegrationConfig } from '../../services/integration-settings.js'
import {
  connectIntegration,
  integrationView,
  revokePreviousScimToken,
  rotateScimToken,
} from '../../services/integrations.js'
import { runDetail, runsOf, syncNow } from '../../services/runs.js'
import { finishTeams, previewTeams, stopTeams } from '../../services/team-sync.js'
import { actorOf } from '../auth.js'
import { bodyOrEmpty, HeldDecisionBody } from '../review-schemas.js'
import {
  ApprovedBody,
  ChangeIntegrationBody,
  CompanyParams,
  ConnectBody,
  ConnectedBody,
  DisconnectedBody,
  DisconnectPreviewBody,
  errors,
  FinishTeamSyncBody,
  IntegrationBody,
  IntegrationChangedBody,
  IntegrationParams,
  RejectedBody,
  RevokedBody,
  RunDetailBody,
  RunListBody,
  RunParams,
  RunsQuery,
  ScimRotatedBody,
  SyncBody,
  SyncQuery,
  TeamSyncChangedBody,
  TeamSyncChangesBody,
  TeamSyncPreviewBody,
} from '../schemas.js'

export function integrationRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/companies/:companyId/integrations',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'connectIntegration',
          summary: 'Connect the HR system: plan gate, config validation, connection check',
          params: CompanyParams,
          body: ConnectBody,
          response: { 201: ConnectedBody, ...errors(400, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await connectIntegration(ctx, request.params.companyId, request.body, actorOf(request))),
    )

    app.get(
      '/api/integrations/:id',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'getIntegration',
          summary: 'Status, last/next sync, needs attention, team sync',
          params: IntegrationParams,
          response: { 200: IntegrationBody, ...errors(404) },
        },
      },
      async (request) => integrationView(ctx, request.params.id),
    )

    app.patch(
      '/api/integrations/:id',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'changeIntegrationSettings',
          summary: 'Change the connection settings: config validation, connection check',
          description:
            'The new config replaces the stored one after the checks connecting makes: the connector schema (400 invalid_config naming the field), then for a pull connector the connection check (422 with its code). A secret field left out keeps its stored value, one given replaces it; secrets are never returned. A refusal changes nothing; a sync or another change running answers 409 sync_in_progress. Emits integration.config_changed (the names of the settings changed, never their values). While the first sync is in review its plan is outdated from now on: GET .../review answers planOutdated until it is planned again (POST .../review, or the scheduler within a minute).',
          params: IntegrationParams,
          body: ChangeIntegrationBody,
          response: { 200: IntegrationChangedBody, ...errors(400, 404, 409, 422) },
        },
      },
      async (request) => changeIntegrationConfig(ctx, request.params.id, request.body, actorOf(request)),
    )

    app.post(
      '/api/integrations/:id/sync',
      {
        schema: {
          tags: ['sync'],
          operationId: 'syncIntegration',
          summary: 'Sync now; with dryRun=true the plan comes back and nothing is applied',
          params: IntegrationParams,
          querystring: SyncQuery,
          response: { 200: SyncBody, ...errors(404, 409) },
        },
      },
      async (request) =>
        syncNow(ctx, request.params.id, { dryRun: request.query.dryRun ?? false, actor: actorOf(request) }),
    )

    app.get(
      '/api/integrations/:id/runs',
      {
        schema: {
          tags: ['sync'],
          operationId: 'listRuns',
          summary: 'Sync runs, newest first',
          params: IntegrationParams,
          querystring: RunsQuery,
          response: { 200: RunListBody, ...errors(404) },
        },
      },
      async (request) => runsOf(ctx, request.params.id, request.query.limit ?? 50),
    )

    app.get(
      '/api/runs/:runId',
      {
        schema: {
          tags: ['sync'],
          operationId: 'getRun',
          summary: 'A run with its changes, warnings and held removals',
          params: RunParams,
          response: { 200: RunDetailBody, ...errors(404) },
        },
      },
      async (request) => runDetail(ctx, request.params.runId),
    )

    app.post(
      '/api/runs/:runId/held/approve',
      {
        schema: {
          tags: ['sync'],
          summary: 'Apply the removals this run held, of everyone or of the people named',
          description:
            'Each person is decided again against the present, as when the whole run is approved. The acting user (Hrsync-Acting-User) never decides their own removal (403 own_removal).',
          operationId: 'approveHeldRemovals',
          params: RunParams,
          body: HeldDecisionBody,
          response: { 200: ApprovedBody, ...errors(400, 403, 404, 409) },
        },
        preValidation: bodyOrEmpty,
      },
      async (request) => approveHeldRemovals(ctx, request.params.runId, actorOf(request), request.body),
    )

    app.post(
      '/api/runs/:runId/held/reject',
      {
        schema: {
          tags: ['sync'],
          summary: 'Keep everyone this run would have removed, or the people named',
          operationId: 'rejectHeldRemovals',
          params: RunParams,
          body: HeldDecisionBody,
          response: { 200: RejectedBody, ...errors(400, 403, 404, 409) },
        },
        preValidation: bodyOrEmpty,
      },
      async (request) => rejectHeldRemovals(ctx, request.params.runId, actorOf(request), request.body),
    )

    app.post(
      '/api/integrations/:id/scim-token/rotate',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'rotateScimToken',
          summary: 'A new SCIM token, shown once; the previous one works until the next rotation',
          params: IntegrationParams,
          response: { 200: ScimRotatedBody, ...errors(404, 409) },
        },
      },
      async (request) => rotateScimToken(ctx, request.params.id, actorOf(request)),
    )

    app.delete(
      '/api/integrations/:id/scim-token/previous',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'revokePreviousScimToken',
          summary: 'Revoke the SCIM token replaced at the last rotation at once',
          params: IntegrationParams,
          response: { 200: RevokedBody, ...errors(404, 409) },
        },
      },
      async (request) => revokePreviousScimToken(ctx, request.params.id, actorOf(request)),
    )

    app.get(
      '/api/integrations/:id/disconnect-preview',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'previewDisconnect',
          summary: 'What disconnecting would do to every user (R7)',
          params: IntegrationParams,
          response: { 200: DisconnectPreviewBody, ...errors(404, 409) },
        },
      },
      async (request) => disconnectPreview(ctx, request.params.id),
    )

    app.delete(
      '/api/integrations/:id',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'disconnectIntegration',
          summary: 'Disconnect (R7)',
          params: IntegrationParams,
          response: { 200: DisconnectedBody, ...errors(404, 409) },
        },
      },
      async (request) => ({
        disconnected: true,
        outcome: await disconnect(ctx, request.params.id, actorOf(request)),
      }),
    )

    app.post(
      '/api/integrations/:id/team-sync/preview',
      {
        schema: {
          tags: ['team sync'],
          operationId: 'previewTeamSync',
          summary: 'Set up team sync: the teams finishing would build',
          params: IntegrationParams,
          response: { 200: TeamSyncPreviewBody, ...errors(404, 409, 422) },
        },
      },
      async (request) => previewTeams(ctx, request.params.id),
    )

    app.post(
      '/api/integrations/:id/team-sync/finish',
      {
        schema: {
          tags: ['team sync'],
          operationId: 'finishTeamSync',
          summary: 'Finish setup with the review of Unassigned',
          description:
            'Lays the teams out again on HR and the directory as they are now. When people placed or the chosen reviewer are gone, or an app team was made since the preview, nothing changes: 409 team_sync_preview_changed with the new preview.',
          params: IntegrationParams,
          body: FinishTeamSyncBody,
          response: { 200: TeamSyncChangesBody, ...errors(400, 404, 422), 409: TeamSyncChangedBody },
        },
      },
      async (request) => finishTeams(ctx, request.params.id, request.body ?? {}, actorOf(request)),
    )

    app.post(
      '/api/integrations/:id/team-sync/stop',
      {
        schema: {
          tags: ['team sync'],
          operationId: 'stopTeamSync',
          summary: 'Stop team sync: synced teams become ordinary (R18)',
          params: IntegrationParams,
          response: { 200: TeamSyncChangesBody, ...errors(404, 409) },
        },
      },
      async (request) => stopTeams(ctx, request.params.id, actorOf(request)),
    )
  }
}

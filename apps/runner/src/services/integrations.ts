import { createHash, randomBytes } from 'node:crypto'
import { checkConnection, validateConfig } from '@hrsync/connector-kit'
import { type Connector, isConnectorError, secretKeys } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  hashScimToken,
  newScimToken,
  revokePreviousScimTokenHash,
  rotateScimTokenHash,
} from '../scim/tokens.js'
import {
  type Actor,
  connectedIntegration,
  createIntegration,
  getCompany,
  getIntegration,
  HR_PLANS,
  type Integration,
  integrationConfig,
  UnsealError,
} from '../store/index.js'
import type { SyncProgress } from '../store/progress.js'

export const SECRET_MASK = '********'

/** A config with every secret value replaced by the mask: what leaves the runner. */
export function maskSecrets(
  connector: Connector | null,
  config: Record<string, unknown>,
): Record<string, unknown> {
  if (!connector) return {}
  const secret = new Set(secretKeys(connector.config))
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, secret.has(key) ? SECRET_MASK : value]),
  )
}

export interface IntegrationView extends Integration {
  connectorName: string | null
  /** the config with secrets masked; empty when the connector is not installed */
  config: Record<string, unknown>
  /** a sync of it runs, on this replica or (while it reports progress) on another */
  syncing: boolean
  /** how far the running pull got; null when none runs */
  progress: Omit<SyncProgress, 'updatedAt'> | null
}

export async function integrationView(ctx: RunnerContext, id: string): Promise<IntegrationView> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  const connector = ctx.registry.get(integration.connectorId)?.connector ?? null
  // a config this runner cannot unseal shows as empty; attentionReason says why
  const config = await integrationConfig(ctx.db, ctx.box, id).catch((error: unknown) => {
    if (error instanceof UnsealError) return {}
    throw error
  })
  const progress = await ctx.sync.progress.current(id)
  return {
    ...integration,
    connectorName: connector?.name ?? null,
    config: maskSecrets(connector, config ?? {}),
    syncing: ctx.locks.isBusy(id) || progress !== null,
    progress: progress && {
      pages: progress.pages,
      people: progress.people,
      totalPeople: progress.totalPeople,
      startedAt: progress.startedAt,
    },
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The connection settings as the connector's schema reads them; 400 invalid_config naming the field. */
export function validConfig(connector: Connector, raw: unknown): Record<string, unknown> {
  try {
    return validateConfig(connector, raw) as Record<string, unknown>
  } catch (error) {
    if (isConnectorError(error)) throw new RunnerError('invalid_config', error.message, 400)
    throw error
  }
}

/**
 * Runs the connection check of a pull connector on `config` (its calls kept to the connector's
 * allowedHosts): 422 with the connector's own code when it fails. Answers the config to save.
 */
export async function checkedConfig(
  ctx: RunnerContext,
  connector: Connector,
  config: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (connector.mode !== 'pull') return config
  // the check may spend a refresh token the vendor rotates: keep the new one in what is saved
  const rotated: Record<string, string> = {}
  const check = await checkConnection(connector, config, {
    now: ctx.now(),
    logger: ctx.logger,
    importDir: ctx.importDir,
    ...(ctx.rateLimitStore ? { rateLimitStore: ctx.rateLimitStore } : {}),
    onCredentialsChanged: (changes) => Object.assign(rotated, changes),
  })
  if (!check.ok) throw new RunnerError(check.code, check.message, 422)
  return { ...config, ...rotated }
}

const PLAN_NAMES: Record<string, string> = {
  starter: 'Starter',
  essential: 'Essential',
  advanced: 'Advanced',
  beyond: 'Beyond',
}

/**
 * Connects a company to its HR system: plan gate, config validation, connection check (pull
 * connectors), then the integration is saved with its config encrypted. The first sync is due at once:
 * planned for review (a pull connector), or applied with `autoApply`. A SCIM push is never in review.
 */
export async function connectIntegration(
  ctx: RunnerContext,
  companyId: string,
  body: { connector: string; config: unknown; autoApply?: boolean },
  actor: Actor | null = null,
): Promise<{ integration: IntegrationView; scim?: { baseUrl: string; token: string } }> {
  const company = await getCompany(ctx.db, companyId)
  if (!company) throw notFound('company', companyId)
  if (!HR_PLANS.includes(company.plan)) {
    throw new RunnerError(
      'plan_not_eligible',
      `HR integrations need the Advanced or Beyond plan; ${company.name} is on the ${PLAN_NAMES[company.plan]} plan`,
      403,
    )
  }
  const loaded = ctx.registry.get(body.connector)
  if (!loaded) {
    throw new RunnerError(
      'unknown_connector',
      `No connector "${body.connector}" is installed (GET /api/connectors lists the available ones)`,
      400,
    )
  }
  const { connector } = loaded
  const valid = validConfig(connector, body.config)
  if (await connectedIntegration(ctx.db, companyId)) {
    throw new RunnerError(
      'integration_exists',
      `${company.name} is already connected to an HR system: disconnect it before connecting another`,
      409,
    )
  }
  const config = await checkedConfig(ctx, connector, valid)
  const scimToken =
    connector.mode === 'push' ? `hrsync_scim_${randomBytes(24).toString('base64url')}` : undefined
  const integration = await ctx.db.transaction(async (tx) => {
    const created = await createIntegration(tx, ctx.box, {
      companyId,
      connectorId: connector.id,
      mode: connector.mode,
      config,
      nextSyncAt: connector.mode === 'pull' ? ctx.now() : null,
      inReview: connector.mode === 'pull' && body.autoApply !== true,
      ...(scimToken ? { scimTokenHash: hashToken(scimToken) } : {}),
    }).catch((error: unknown) => {
      // two connects at once: the unique index lets one through
      if (String((error as Error).message).includes('integrations_one_connected')) {
        throw new RunnerError(
          'integration_exists',
          `${company.name} is already connected to an HR system`,
          409,
        )
      }
      throw error
    })
    await ctx.events.append(tx, [
      {
        companyId,
        integrationId: created.id,
        type: 'integration.connected',
        payload: {
          integrationId: created.id,
          connector: connector.id,
          mode: connector.mode,
          inReview: created.inReview,
        },
        actor,
      },
    ])
    return created
  })
  ctx.events.committed()
  const view = await integrationView(ctx, integration.id)
  return scimToken
    ? { integration: view, scim: { baseUrl: `${ctx.publicUrl()}/scim/v2`, token: scimToken } }
    : { integration: view }
}

async function pushIntegration(ctx: RunnerContext, id: string): Promise<Integration> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  if (integration.mode !== 'push') {
    throw new RunnerError(
      'not_push',
      'Only an integration that pushes over SCIM (Okta, Entra ID) has a SCIM token',
      409,
    )
  }
  if (integration.status !== 'connected') {
    throw new RunnerError(
      'integration_disconnected',
      'This integration was disconnected: connect it again',
      409,
    )
  }
  return integration
}

/**
 * Issues a new SCIM token, shown once. The token it replaces keeps working until the next rotation
 * (or until it is revoked), so the identity provider can be switched over without a gap.
 */
export async function rotateScimToken(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null = null,
): Promise<{ scim: { baseUrl: string; token: string } }> {
  const integration = await pushIntegration(ctx, id)
  const token = newScimToken()
  await ctx.db.transaction(async (tx) => {
    if (!(await rotateScimTokenHash(tx, id, hashScimToken(token)))) {
      throw new RunnerError(
        'integration_disconnected',
        'This integration was disconnected: connect it again',
        409,
      )
    }
    await ctx.events.append(tx, [
      {
        companyId: integration.companyId,
        integrationId: id,
        type: 'scim.token_rotated',
        payload: { integrationId: id },
        actor,
      },
    ])
  })
  ctx.scimTokens.forget(id)
  ctx.events.committed()
  return { scim: { baseUrl: `${ctx.publicUrl()}/scim/v2`, token } }
}

/** Revokes the token replaced at the last rotation at once. */
export async function revokePreviousScimToken(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null = null,
): Promise<{ revoked: boolean }> {
  const integration = await pushIntegration(ctx, id)
  const revoked = await ctx.db.transaction(async (tx) => {
    const revoked = await revokePreviousScimTokenHash(tx, id)
    if (revoked) {
      await ctx.events.append(tx, [
        {
          companyId: integration.companyId,
          integrationId: id,
          type: 'scim.previous_token_revoked',
          payload: { integrationId: id },
          actor,
        },
      ])
    }
    return revoked
  })
  ctx.scimTokens.forget(id)
  if (revoked) ctx.events.committed()
  return { revoked }
}

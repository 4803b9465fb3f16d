import { type Connector, secretKeys } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  getIntegration,
  type Integration,
  integrationConfig,
  type Lease,
  lockIntegration,
  replaceIntegrationConfig,
  UnsealError,
} from '../store/index.js'
import {
  checkedConfig,
  type IntegrationView,
  integrationView,
  SECRET_MASK,
  validConfig,
} from './integrations.js'

function disconnected(): RunnerError {
  return new RunnerError(
    'integration_disconnected',
    'This integration was disconnected: connect it again with the new settings',
    409,
  )
}

async function connectedIntegration(ctx: RunnerContext, id: string): Promise<Integration> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  if (integration.status !== 'connected') throw disconnected()
  return integration
}

function installedConnector(ctx: RunnerContext, integration: Integration): Connector {
  const loaded = ctx.registry.get(integration.connectorId)
  if (!loaded) {
    throw new RunnerError(
      'connector_not_installed',
      `The connector "${integration.connectorId}" is not installed on this runner (see GET /health)`,
      409,
    )
  }
  return loaded.connector
}

/** The stored settings; none when this runner cannot unseal them, so every secret must be given again. */
async function storedConfig(ctx: RunnerContext, id: string): Promise<Record<string, unknown>> {
  const stored = await integrationConfig(ctx.db, ctx.box, id).catch((error: unknown) => {
    if (error instanceof UnsealError) return null
    throw error
  })
  return stored ?? {}
}

/** A secret the admin did not give: absent, empty, or the mask GET answers in its place. */
const leftOut = (value: unknown) =>
  value === undefined || value === null || value === '' || value === SECRET_MASK

/**
 * The given settings with each secret left out taken from the stored ones: an admin's form never
 * shows a secret, so it cannot send it back.
 */
function withKeptSecrets(
  connector: Connector,
  given: Record<string, unknown>,
  stored: Record<string, unknown>,
): Record<string, unknown> {
  const config = { ...given }
  for (const key of secretKeys(connector.config)) {
    if (leftOut(given[key]) && stored[key] !== undefined) config[key] = stored[key]
  }
  return config
}

/** The names of the settings whose values differ, sorted: what the event tells, never the values. */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort()
}

/**
 * Replaces an integration's connection settings after the checks connecting makes (the connector's
 * schema, then for a pull the connection check, its calls kept to the connector's allowedHosts).
 * A secret left out keeps its stored value. Runs alone on the integration, as a sync does; a refusal
 * changes nothing. While the first sync is in review, its plan is outdated from now on (GET .../review
 * says so) and the scheduler plans it again.
 */
export async function changeIntegrationConfig(
  ctx: RunnerContext,
  id: string,
  body: { config: Record<string, unknown> },
  actor: Actor | null = null,
): Promise<{ integration: IntegrationView }> {
  const integration = await connectedIntegration(ctx, id)
  const connector = installedConnector(ctx, integration)
  const changed = await ctx.locks.exclusive(id, async (lease) => {
    // read under the lease: a sync may just have saved a refresh token the vendor rotated
    const stored = await storedConfig(ctx, id)
    const valid = validConfig(connector, withKeptSecrets(connector, body.config, stored))
    const config = await checkedConfig(ctx, connector, valid)
    const changed = changedKeys(stored, config)
    if (changed.length > 0) await saveConfig(ctx, integration, config, changed, lease, actor)
    return changed
  })
  if (changed.length > 0) ctx.events.committed()
  return { integration: await integrationView(ctx, id) }
}

async function saveConfig(
  ctx: RunnerContext,
  integration: Integration,
  config: Record<string, unknown>,
  changed: string[],
  lease: Lease,
  actor: Actor | null,
): Promise<void> {
  const { id, companyId } = integration
  await ctx.db.transaction(async (tx) => {
    const locked = await lockIntegration(tx, id)
    await lease.confirm(tx)
    if (!locked || locked.status !== 'connected') throw disconnected()
    await replaceIntegrationConfig(tx, ctx.box, id, config, ctx.now())
    await ctx.events.append(tx, [
      {
        companyId,
        integrationId: id,
        type: 'integration.config_changed',
        payload: {
          integrationId: id,
          connector: integration.connectorId,
          changed,
          inReview: locked.inReview,
        },
        actor,
      },
    ])
  })
}

import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  getIntegration,
  heldRemovals,
  type Integration,
  latestReviewRun,
  type StoredHeldRemoval,
  type SyncRun,
} from '../store/index.js'
import type { SyncOutcome } from '../sync/service.js'

export interface FirstSyncReview {
  integrationId: string
  inReview: boolean
  /** the latest plan shown for review: its full change list and counts; null until one is planned */
  run: SyncRun | null
  /** the connection settings changed after that plan was made: it must be planned again */
  planOutdated: boolean
}

async function integrationOf(ctx: RunnerContext, id: string): Promise<Integration> {
  const integration = await getIntegration(ctx.db, id)
  if (!integration) throw notFound('integration', id)
  return integration
}

/** The first sync as it was last planned for review. */
export async function firstSyncReview(ctx: RunnerContext, id: string): Promise<FirstSyncReview> {
  const integration = await integrationOf(ctx, id)
  const run = await latestReviewRun(ctx.db, id)
  return {
    integrationId: id,
    inReview: integration.inReview,
    run,
    planOutdated: plannedBeforeSettingsChanged(run, integration),
  }
}

/**
 * A plan that began by the time the settings changed may have pulled with the old ones (a plan
 * started in the same millisecond counts as outdated: the safe side).
 */
function plannedBeforeSettingsChanged(run: SyncRun | null, integration: Integration): boolean {
  if (!run || !integration.configChangedAt) return false
  return Date.parse(run.startedAt) <= Date.parse(integration.configChangedAt)
}

/** Plans the first sync again on HR and the directory as they are now (after a settings change), applying nothing. */
export async function planReviewAgain(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null,
): Promise<SyncOutcome> {
  const integration = await integrationOf(ctx, id)
  if (!integration.inReview) {
    throw new RunnerError(
      'not_in_review',
      'This integration’s first sync was already confirmed: preview a sync with POST /api/integrations/:id/sync?dryRun=true',
      409,
    )
  }
  return ctx.sync.sync(id, { dryRun: true, trigger: 'review', actor })
}

/**
 * The admin confirms the first sync: it is planned again against the present and applied like any
 * sync, and the integration leaves review (a failed pull leaves it in review, nothing applied).
 */
export async function confirmReview(
  ctx: RunnerContext,
  id: string,
  actor: Actor | null,
): Promise<{ run: SyncRun & { held: StoredHeldRemoval[] }; plan: SyncOutcome['plan'] }> {
  const { run, plan } = await ctx.sync.sync(id, { trigger: 'manual', actor, confirmReview: true })
  return { run: { ...run, held: await heldRemovals(ctx.db, run.id) }, plan }
}

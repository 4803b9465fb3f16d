import type { RunnerContext } from '../context.js'
import { notFound } from '../errors.js'
import {
  type Actor,
  getIntegration,
  getRun,
  heldRemovals,
  listRuns,
  type StoredHeldRemoval,
  type SyncRun,
} from '../store/index.js'
import type { SyncOutcome } from '../sync/service.js'

/** A run as the API shows it in full: with the removals it held for approval. */
export interface RunDetail extends SyncRun {
  held: StoredHeldRemoval[]
}

/** A run in a list: its changes counted, not listed. */
export type RunSummary = Omit<SyncRun, 'changes'> & { changeCount: number }

/** Syncs an integration now, as an admin asked; with `dryRun` the plan comes back and nothing is applied. */
export async function syncNow(
  ctx: RunnerContext,
  integrationId: string,
  options: { dryRun: boolean; actor: Actor | null },
): Promise<{ run: RunDetail; plan: SyncOutcome['plan'] }> {
  const { run, plan } = await ctx.sync.sync(integrationId, { ...options, trigger: 'manual' })
  return { run: { ...run, held: await heldRemovals(ctx.db, run.id) }, plan }
}

/** An integration's runs, newest first. */
export async function runsOf(
  ctx: RunnerContext,
  integrationId: string,
  limit: number,
): Promise<{ runs: RunSummary[] }> {
  if (!(await getIntegration(ctx.db, integrationId))) throw notFound('integration', integrationId)
  const runs = await listRuns(ctx.db, integrationId, { limit })
  return { runs: runs.map(({ changes, ...run }) => ({ ...run, changeCount: changes.length })) }
}

/** A run with its changes, warnings and held removals. */
export async function runDetail(ctx: RunnerContext, runId: string): Promise<RunDetail> {
  const run = await getRun(ctx.db, runId)
  if (!run) throw notFound('run', runId)
  return { ...run, held: await heldRemovals(ctx.db, run.id) }
}

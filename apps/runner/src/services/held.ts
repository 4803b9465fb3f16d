import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type AppliedChange,
  applyChanges,
  decideHeldRemovals,
  getRun,
  getUser,
  heldRemovals,
  insertRun,
  type StoredHeldRemoval,
  type SyncRun,
} from '../store/index.js'

async function undecided(
  ctx: RunnerContext,
  runId: string,
): Promise<{ run: SyncRun; held: StoredHeldRemoval[] }> {
  const run = await getRun(ctx.db, runId)
  if (!run) throw notFound('run', runId)
  const held = (await heldRemovals(ctx.db, runId)).filter((removal) => removal.decision === null)
  if (held.length === 0)
    throw new RunnerError('nothing_held', 'This run has no removals waiting for a decision', 409)
  return { run, held }
}

/**
 * Applies the removals a run held (R5, R17) as an admin approved them. A removal whose user is gone
 * or already in the target state is skipped. Recorded as a run of its own with one event per change.
 */
export async function approveHeldRemovals(
  ctx: RunnerContext,
  runId: string,
  approvedBy: string | null,
): Promise<{ run: SyncRun; applied: AppliedChange[]; skipped: string[] }> {
  const { run } = await undecided(ctx, runId)
  return ctx.locks.exclusive(run.integrationId, async () => {
    const startedAt = ctx.now()
    const result = await ctx.db.transaction(async (tx) => {
      const held = (await heldRemovals(tx, runId, true)).filter((removal) => removal.decision === null)
      if (held.length === 0) throw new RunnerError('nothing_held', 'These removals were already decided', 409)
      const changes = []
      const skipped: string[] = []
      for (const removal of held) {
        const user = await getUser(tx, removal.userId)
        const done =
          !user ||
          (removal.change.kind === 'deactivate_user' && user.status === 'deactivated') ||
          (removal.change.kind === 'revoke_invitation' && user.status !== 'invited')
        if (done) skipped.push(removal.userId)
        else changes.push(removal.change)
      }
      const { applied, events } = await applyChanges(tx, changes, {
        companyId: run.companyId,
        integrationId: run.integrationId,
        cause: { trigger: 'approval', heldInRunId: runId, approvedBy },
      })
      await decideHeldRemovals(
        tx,
        held.map((removal) => removal.id),
        'approved',
        startedAt,
      )
      const approval = await insertRun(tx, {
        integrationId: run.integrationId,
        companyId: run.companyId,
        trigger: 'approval',
        status: 'succeeded',
        dryRun: false,
        startedAt: startedAt.toISOString(),
        finishedAt: ctx.now().toISOString(),
        counts: {
          deactivated: applied.filter((c) => c.kind === 'deactivate_user').length,
          removed: applied.filter((c) => c.kind === 'remove_user').length,
          skipped: skipped.length,
        },
        changes: applied,
        warnings: [],
        failure: null,
      })
      await ctx.events.append(tx, [
        ...events.map((event) => ({ ...event, payload: { ...event.payload, runId: approval.id } })),
        {
          companyId: run.companyId,
          integrationId: run.integrationId,
          type: 'held_removals.approved',
          payload: { runId, approvalRunId: approval.id, count: held.length, approvedBy },
        },
      ])
      return { run: approval, applied, skipped }
    })
    ctx.events.committed()
    return result
  })
}

/** Keeps everyone the run would have removed; a later run that still finds them gone holds them again. */
export async function rejectHeldRemovals(
  ctx: RunnerContext,
  runId: string,
  rejectedBy: string | null,
): Promise<{ rejected: number }> {
  const { run, held } = await undecided(ctx, runId)
  await ctx.db.transaction(async (tx) => {
    await decideHeldRemovals(
      tx,
      held.map((removal) => removal.id),
      'rejected',
      ctx.now(),
    )
    await ctx.events.append(tx, [
      {
        companyId: run.companyId,
        integrationId: run.integrationId,
        type: 'held_removals.rejected',
        payload: { runId, count: held.length, rejectedBy },
      },
    ])
  })
  ctx.events.committed()
  return { rejected: held.length }
}

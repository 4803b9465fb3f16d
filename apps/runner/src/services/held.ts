import { approveHeld, type SkippedRemoval, type SyncWarning, stillGoneAfter, todayIn } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  type AppliedChange,
  applyChanges,
  getCompany,
  getIntegration,
  getRun,
  heldRemovals,
  insertRun,
  latestSyncSince,
  loadDirectory,
  type Queryable,
  recordHeldDecisions,
  type StoredHeldRemoval,
  type SyncRun,
} from '../store/index.js'

/** Which of a run's held removals an admin decides: all of them, or only those of some users. */
export interface HeldSelection {
  /** only the removals of these users; every undecided removal of the run when absent */
  userIds?: readonly string[]
}

export interface ApprovalOutcome {
  /** the approval, recorded as a run of its own */
  run: SyncRun
  applied: AppliedChange[]
  /** the users whose removal no longer holds, each with the reason */
  skipped: SkippedRemoval[]
  warnings: SyncWarning[]
}

/** The run's removals still waiting for a decision, among those selected. */
async function undecided(
  q: Queryable,
  runId: string,
  selection: HeldSelection,
  forUpdate = false,
): Promise<StoredHeldRemoval[]> {
  const only = selection.userIds ? new Set(selection.userIds) : null
  return (await heldRemovals(q, runId, forUpdate)).filter(
    (removal) => removal.decision === null && (only === null || only.has(removal.userId)),
  )
}

/**
 * R17: a removal held for an admin waits for another admin. Whoever the app names as acting
 * (Hrsync-Acting-User) decides nobody's removal that is their own.
 */
function refuseOwnRemoval(held: readonly StoredHeldRemoval[], actor: Actor | null): void {
  const own = actor?.userId ? held.find((removal) => removal.userId === actor.userId) : undefined
  if (own) {
    throw new RunnerError(
      'own_removal',
      'This includes the removal of the acting user: another admin decides it (R17)',
      403,
    )
  }
}

async function heldRun(ctx: RunnerContext, runId: string, selection: HeldSelection): Promise<SyncRun> {
  const run = await getRun(ctx.db, runId)
  if (!run) throw notFound('run', runId)
  const held = new Set((await heldRemovals(ctx.db, runId)).map((removal) => removal.userId))
  const stranger = selection.userIds?.find((userId) => !held.has(userId))
  if (stranger !== undefined)
    throw new RunnerError('not_held', `This run held no removal of the user ${stranger}`, 404)
  if ((await undecided(ctx.db, runId, selection)).length === 0)
    throw new RunnerError('nothing_held', 'This run has no removals waiting for a decision', 409)
  return run
}

/**
 * Applies the removals a run held (R5, R17) as an admin approved them, decided again on the present
 * (`approveHeld`): a user changed since the hold, or whom a later successful sync no longer finds
 * gone, is skipped with the reason, and the last active admin is kept. With team sync on, approved
 * users leave their teams in the same transaction. Recorded as a run of its own with one event per
 * change; every selected removal is decided, applied or skipped.
 */
export async function approveHeldRemovals(
  ctx: RunnerContext,
  runId: string,
  approvedBy: Actor | null,
  selection: HeldSelection = {},
): Promise<ApprovalOutcome> {
  const run = await heldRun(ctx, runId, selection)
  return ctx.locks.exclusive(run.integrationId, async () => {
    const startedAt = ctx.now()
    const result = await ctx.db.transaction(async (tx) => {
      const held = await undecided(tx, runId, selection, true)
      if (held.length === 0) throw new RunnerError('nothing_held', 'These removals were already decided', 409)
      refuseOwnRemoval(held, approvedBy)
      const integration = (await getIntegration(tx, run.integrationId))!
      const directory = await loadDirectory(tx, run.companyId)
      const company = (await getCompany(tx, run.companyId))!
      const later = await latestSyncSince(tx, run)
      const decision = approveHeld(directory, held, {
        integrationId: run.integrationId,
        source: ctx.registry.get(integration.connectorId)?.connector.name ?? 'the HR system',
        teamSync: integration.teamSync === 'on',
        today: todayIn(company.timeZone, startedAt),
        stillGone:
          later === null
            ? null
            : stillGoneAfter(
                { held: later.held, warnings: later.run.warnings },
                directory.users,
                run.integrationId,
              ),
      })
      const { applied, events } = await applyChanges(tx, decision.changes, {
        companyId: run.companyId,
        integrationId: run.integrationId,
        cause: { trigger: 'approval', heldInRunId: runId },
      })
      await recordHeldDecisions(
        tx,
        held.map((removal) => removal.id),
        'approved',
        startedAt,
        approvedBy,
      )
      const count = (kind: AppliedChange['kind']) => applied.filter((change) => change.kind === kind).length
      const approval = await insertRun(tx, {
        integrationId: run.integrationId,
        companyId: run.companyId,
        trigger: 'approval',
        status: 'succeeded',
        dryRun: false,
        startedAt: startedAt.toISOString(),
        finishedAt: ctx.now().toISOString(),
        counts: {
          deactivated: count('deactivate_user'),
          removed: count('remove_user'),
          skipped: decision.skipped.length,
          teamsChanged: new Set(applied.flatMap((change) => change.teamId ?? [])).size,
        },
        changes: applied,
        warnings: decision.warnings,
        failure: null,
        actor: approvedBy,
      })
      await ctx.events.append(tx, [
        ...events.map((event) => ({
          ...event,
          payload: { ...event.payload, runId: approval.id },
          actor: approvedBy,
        })),
        {
          companyId: run.companyId,
          integrationId: run.integrationId,
          type: 'held_removals.approved',
          payload: {
            runId,
            approvalRunId: approval.id,
            count: held.length,
            skipped: decision.skipped,
          },
          actor: approvedBy,
        },
      ])
      return { run: approval, applied, skipped: decision.skipped, warnings: decision.warnings }
    })
    ctx.events.committed()
    return result
  })
}

/** Keeps everyone the run would have removed; a later run that still finds them gone holds them again. */
export async function rejectHeldRemovals(
  ctx: RunnerContext,
  runId: string,
  rejectedBy: Actor | null,
  selection: HeldSelection = {},
): Promise<{ rejected: number }> {
  const run = await heldRun(ctx, runId, selection)
  const rejected = await ctx.db.transaction(async (tx) => {
    const held = await undecided(tx, runId, selection, true)
    if (held.length === 0) throw new RunnerError('nothing_held', 'These removals were already decided', 409)
    refuseOwnRemoval(held, rejectedBy)
    await recordHeldDecisions(
      tx,
      held.map((removal) => removal.id),
      'rejected',
      ctx.now(),
      rejectedBy,
    )
    await ctx.events.append(tx, [
      {
        companyId: run.companyId,
        integrationId: run.integrationId,
        type: 'held_removals.rejected',
        payload: { runId, count: held.length },
        actor: rejectedBy,
      },
    ])
    return held.length
  })
  ctx.events.committed()
  return { rejected }
}

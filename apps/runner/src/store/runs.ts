import type { Change, HeldRemoval, HeldUserState, PendingRemoval, SyncPlan, SyncWarning } from '@hrsync/core'
import type { Queryable } from './db.js'
import type { Actor } from './keys.js'
import { iso, json, newId, toJson } from './rows.js'

/** `review`: the plan of an integration's first sync, shown for an admin to confirm (a dry run) */
export type RunTrigger = 'schedule' | 'manual' | 'approval' | 'push' | 'review'

export interface SyncRun {
  id: string
  integrationId: string
  companyId: string
  trigger: RunTrigger
  status: 'succeeded' | 'failed'
  dryRun: boolean
  startedAt: string
  finishedAt: string
  counts: SyncPlan['counts'] | Record<string, number>
  changes: Change[]
  warnings: SyncWarning[]
  failure: string | null
  /** the integration's first sync (dry runs aside): the one connecting it started, whoever asked */
  first: boolean
  /** who started it through the admin API (sync now, an approval); null for the scheduler and SCIM */
  actor: Actor | null
}

export interface StoredHeldRemoval extends PendingRemoval {
  runId: string
  integrationId: string
  decision: 'approved' | 'rejected' | null
  decidedAt: string | null
  decidedBy: Actor | null
}

interface RunRow {
  id: string
  integration_id: string
  company_id: string
  trigger: RunTrigger
  status: 'succeeded' | 'failed'
  dry_run: boolean
  started_at: unknown
  finished_at: unknown
  counts: unknown
  changes: unknown
  warnings: unknown
  failure: string | null
  first?: boolean
  actor?: unknown
}

function runFromRow(row: RunRow): SyncRun {
  return {
    id: row.id,
    integrationId: row.integration_id,
    companyId: row.company_id,
    trigger: row.trigger,
    status: row.status,
    dryRun: row.dry_run,
    startedAt: iso(row.started_at)!,
    finishedAt: iso(row.finished_at)!,
    counts: json(row.counts),
    changes: json(row.changes),
    warnings: json(row.warnings),
    failure: row.failure,
    first: row.first === true,
    actor: row.actor ? json<Actor>(row.actor) : null,
  }
}

/** Selects `first`: no run of the integration but dry runs started before this one. */
const FIRST = `NOT dry_run AND NOT EXISTS (SELECT 1 FROM sync_runs earlier
  WHERE earlier.integration_id = sync_runs.integration_id AND NOT earlier.dry_run
    AND (earlier.started_at, earlier.id) < (sync_runs.started_at, sync_runs.id)) AS first`

interface HeldRow {
  id: string
  run_id: string
  integration_id: string
  user_id: string
  change: unknown
  reason: HeldRemoval['reason']
  user_at_hold: unknown
  decision: 'approved' | 'rejected' | null
  decided_at: unknown
  decided_by?: unknown
}

function heldFromRow(row: HeldRow): StoredHeldRemoval {
  return {
    id: row.id,
    runId: row.run_id,
    integrationId: row.integration_id,
    userId: row.user_id,
    change: json(row.change),
    reason: row.reason,
    userAtHold: row.user_at_hold ? json<HeldUserState>(row.user_at_hold) : null,
    decision: row.decision,
    decidedAt: iso(row.decided_at),
    decidedBy: row.decided_by ? json<Actor>(row.decided_by) : null,
  }
}

export async function insertRun(
  q: Queryable,
  run: Omit<SyncRun, 'id' | 'first' | 'actor'> & { actor?: Actor | null },
  held: HeldRemoval[] = [],
): Promise<SyncRun> {
  const id = newId('run')
  const [row] = await q.query<RunRow>(
    `INSERT INTO sync_runs (id, integration_id, company_id, trigger, status, dry_run, started_at, finished_at,
       counts, changes, warnings, failure, actor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13::jsonb) RETURNING *, ${FIRST}`,
    [
      id,
      run.integrationId,
      run.companyId,
      run.trigger,
      run.status,
      run.dryRun,
      run.startedAt,
      run.finishedAt,
      toJson(run.counts),
      toJson(run.changes),
      toJson(run.warnings),
      run.failure,
      toJson(run.actor),
    ],
  )
  // The user as it is now, before their held removal: what an approval checks for changes (R5).
  for (const removal of held) {
    await q.query(
      `INSERT INTO held_removals (id, run_id, integration_id, user_id, change, reason, user_at_hold)
       SELECT $1, $2, $3, $4, $5::jsonb, $6, (
         SELECT jsonb_build_object('status', status, 'role', role, 'email', email, 'link',
           CASE WHEN link_integration_id IS NULL OR link_remote_id IS NULL THEN NULL
             ELSE jsonb_build_object('integrationId', link_integration_id, 'remoteId', link_remote_id) END)
         FROM users WHERE id = $4)`,
      [newId('held'), id, run.integrationId, removal.userId, toJson(removal.change), removal.reason],
    )
  }
  return runFromRow(row!)
}

export async function getRun(q: Queryable, id: string): Promise<SyncRun | null> {
  const [row] = await q.query<RunRow>(`SELECT *, ${FIRST} FROM sync_runs WHERE id = $1`, [id])
  return row ? runFromRow(row) : null
}

export async function listRuns(
  q: Queryable,
  integrationId: string,
  options: { limit?: number; includeDryRuns?: boolean } = {},
): Promise<SyncRun[]> {
  const rows = await q.query<RunRow>(
    `SELECT *, ${FIRST} FROM sync_runs WHERE integration_id = $1 AND ($2 OR NOT dry_run)
     ORDER BY started_at DESC, id DESC LIMIT $3`,
    [integrationId, options.includeDryRuns ?? true, options.limit ?? 50],
  )
  return rows.map(runFromRow)
}

export async function heldRemovals(
  q: Queryable,
  runId: string,
  forUpdate = false,
): Promise<StoredHeldRemoval[]> {
  const rows = await q.query<HeldRow>(
    `SELECT * FROM held_removals WHERE run_id = $1 ORDER BY id${forUpdate ? ' FOR UPDATE' : ''}`,
    [runId],
  )
  return rows.map(heldFromRow)
}

/**
 * The latest successful sync of the run's integration that started after it (dry runs and approvals
 * are no syncs), with what it held; null when none did. Runs of one integration never overlap.
 */
export async function latestSyncSince(
  q: Queryable,
  run: SyncRun,
): Promise<{ run: SyncRun; held: StoredHeldRemoval[] } | null> {
  const [row] = await q.query<RunRow>(
    `SELECT * FROM sync_runs WHERE integration_id = $1 AND id <> $2 AND started_at >= $3
       AND status = 'succeeded' AND NOT dry_run AND trigger <> 'approval'
     ORDER BY started_at DESC, finished_at DESC LIMIT 1`,
    [run.integrationId, run.id, run.finishedAt],
  )
  if (!row) return null
  return { run: runFromRow(row), held: await heldRemovals(q, row.id) }
}

export async function recordHeldDecisions(
  q: Queryable,
  ids: string[],
  decision: 'approved' | 'rejected',
  at: Date,
  by: Actor | null = null,
): Promise<void> {
  for (const id of ids) {
    await q.query(
      'UPDATE held_removals SET decision = $2, decided_at = $3, decided_by = $4::jsonb WHERE id = $1',
      [id, decision, at, toJson(by)],
    )
  }
}

/** The latest plan of the integration's first sync shown for review, or null. */
export async function latestReviewRun(q: Queryable, integrationId: string): Promise<SyncRun | null> {
  const [row] = await q.query<RunRow>(
    `SELECT *, ${FIRST} FROM sync_runs WHERE integration_id = $1 AND trigger = 'review'
     ORDER BY started_at DESC, id DESC LIMIT 1`,
    [integrationId],
  )
  return row ? runFromRow(row) : null
}

import { pullEmployees, type RateLimitStore } from '@hrsync/connector-kit'
import type { Connector, Logger, SyncPlan, SyncSettings, SyncWarning } from '@hrsync/core'
import { DEFAULT_MASS_REMOVAL, isConnectorError, plan } from '@hrsync/core'
import { companyPaused, notFound, RunnerError } from '../errors.js'
import type { EventLog } from '../events/log.js'
import type { ConnectorRegistry } from '../plugins/index.js'
import { explainWindow, pushedSnapshot, pushMassRemoval } from '../scim/snapshot.js'
import {
  type Actor,
  applyChanges,
  type Company,
  type Database,
  endReview,
  getCompany,
  getIntegration,
  HR_PLANS,
  type Integration,
  insertRun,
  integrationConfig,
  type Lease,
  loadDirectory,
  lockIntegration,
  type RunTrigger,
  recordSyncFailure,
  recordSyncSuccess,
  reviewPlanned,
  type SecretBox,
  type SyncRun,
  UnsealError,
  unreadableConfigReason,
  updateIntegrationCredentials,
} from '../store/index.js'
import type { IntegrationLocks } from './lock.js'
import { ProgressTracker } from './progress.js'

export interface SyncServiceOptions {
  db: Database
  box: SecretBox
  registry: ConnectorRegistry
  events: EventLog
  locks: IntegrationLocks
  /** time between two scheduled syncs of one integration */
  intervalMs: number
  /** ± fraction of the interval added at random so integrations spread out (0.1 = ±10 %) */
  jitter: number
  massRemoval?: SyncSettings['massRemoval']
  logger?: Logger
  now?: () => Date
  /** the only folder connectors may read files from (csv imports) */
  importDir?: string
  /** where limits a vendor counts per partner app are shared with the other replicas (PostgreSQL) */
  rateLimitStore?: RateLimitStore
}

export interface SyncOutcome {
  run: SyncRun
  /** the plan, for a dry run or a successful run; absent when the pull failed */
  plan: SyncPlan | null
}

/** The snapshot a pull makes, or why there is none. */
export type PullOutcome =
  | {
      ok: true
      employees: Awaited<ReturnType<typeof pullEmployees>>['employees']
      /** what a SCIM snapshot reports of itself (managers not pushed yet); a pull leaves judging to the plan */
      warnings: SyncWarning[]
      skipped: Awaited<ReturnType<typeof pullEmployees>>['skipped']
    }
  | { ok: false; failure: string; code: string }

/** One sync: pull → directory → plan → apply in one transaction → run and events recorded. */
export class SyncService {
  /** how far the running syncs got, for the API, the console and the CLI */
  readonly progress: ProgressTracker

  constructor(private readonly options: SyncServiceOptions) {
    this.progress = new ProgressTracker(options.db, () => this.now(), options.logger)
  }

  private now(): Date {
    return this.options.now?.() ?? new Date()
  }

  /** When the next scheduled sync of an integration falls, counted from `from`. */
  nextSyncAfter(from: Date): Date {
    const { intervalMs, jitter } = this.options
    const spread = intervalMs * jitter * (Math.random() * 2 - 1)
    return new Date(from.getTime() + intervalMs + spread)
  }

  /** A pushing integration is never pulled on a schedule: its syncs follow its SCIM changes. */
  private nextScheduled(integration: Integration, from: Date): Date | null {
    return integration.mode === 'push' ? null : this.nextSyncAfter(from)
  }

  settingsFor(integration: Integration, company: Company): SyncSettings {
    return {
      integrationId: integration.id,
      timeZone: company.timeZone,
      teamSync: integration.teamSync === 'on',
      massRemoval: this.options.massRemoval ?? { ...DEFAULT_MASS_REMOVAL },
    }
  }

  /** The integration, its company and its connector; throws what the API answers when one is missing. */
  async context(
    integrationId: string,
  ): Promise<{ integration: Integration; company: Company; connector: Connector | null }> {
    const integration = await getIntegration(this.options.db, integrationId)
    if (!integration) throw notFound('integration', integrationId)
    const company = await getCompany(this.options.db, integration.companyId)
    if (!company) throw notFound('company', integration.companyId)
    const connector = this.options.registry.get(integration.connectorId)?.connector ?? null
    return { integration, company, connector }
  }

  /** Reads the whole HR list; a failure on any page fails the whole pull. */
  async pull(
    integration: Integration,
    connector: Connector | null,
    signal?: AbortSignal,
    /** report each page to the progress of the integration's running sync */
    tracked = false,
  ): Promise<PullOutcome> {
    if (!connector) {
      return {
        ok: false,
        code: 'connector_not_installed',
        failure: `The connector "${integration.connectorId}" is not installed on this runner (see GET /health)`,
      }
    }
    // R19: what Okta or Entra pushed is the snapshot, planned exactly like a pull
    if (connector.mode === 'push') return pushedSnapshot(this.options.db, integration.id, connector.name)
    // A vendor that rotates its refresh token on every use (Nmbrs) must find the new one next time,
    // even when the pull fails after the token was refreshed.
    const rotated: Record<string, string> = {}
    try {
      const config = await integrationConfig(this.options.db, this.options.box, integration.id)
      const result = await pullEmployees(connector, config, {
        now: this.now(),
        onCredentialsChanged: (changes) => Object.assign(rotated, changes),
        ...(tracked ? { onPage: (page) => this.progress.page(integration.id, page) } : {}),
        ...(this.options.importDir ? { importDir: this.options.importDir } : {}),
        ...(this.options.rateLimitStore ? { rateLimitStore: this.options.rateLimitStore } : {}),
        ...(signal ? { signal } : {}),
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      })
      return {
        ok: true,
        employees: result.employees,
        skipped: result.skipped,
        warnings: [],
      }
    } catch (error) {
      if (error instanceof UnsealError)
        return { ok: false, code: 'config_unreadable', failure: unreadableConfigReason(error) }
      return {
        ok: false,
        code: isConnectorError(error) ? error.code : 'pull_failed',
        failure: error instanceof Error ? error.message : String(error),
      }
    } finally {
      if (Object.keys(rotated).length > 0) {
        await updateIntegrationCredentials(this.options.db, this.options.box, integration.id, rotated)
      }
    }
  }

  /**
   * Runs one sync of a connected integration. A dry run plans and records, but applies nothing.
   * A scheduled sync names its `claim` (the next_sync_at its claim set) and runs only while that
   * claim stands: a job left over from a cycle that has since synced is refused as `claim_stale`.
   * An integration in review is only planned (its plan stored as a `review` run) until a sync that
   * `confirmReview`s applies it.
   */
  async sync(
    integrationId: string,
    options: {
      dryRun?: boolean
      trigger?: RunTrigger
      claim?: Date
      actor?: Actor | null
      confirmReview?: boolean
    } = {},
  ): Promise<SyncOutcome> {
    const { integration, company, connector } = await this.context(integrationId)
    if (!HR_PLANS.includes(company.plan)) throw companyPaused(company)
    if (integration.status !== 'connected') {
      throw new RunnerError(
        'integration_disconnected',
        'This integration was disconnected: connect it again to sync',
        409,
      )
    }
    const confirm = options.confirmReview ?? false
    if (confirm && !integration.inReview) throw reviewConfirmed()
    if (integration.inReview && !confirm && !options.dryRun && options.trigger !== 'schedule') {
      throw new RunnerError(
        'integration_in_review',
        'This integration’s first sync waits for review: confirm it (POST /api/integrations/:id/review/confirm) or preview it again',
        409,
      )
    }
    const work = (lease: Lease | null) =>
      this.syncExclusive(
        integrationId,
        connector,
        options.dryRun ?? false,
        options.trigger ?? 'manual',
        options.claim,
        options.actor ?? null,
        confirm,
        lease,
      )
    // a dry run changes nothing, so it need not wait for (or block) a real one
    if (options.dryRun) return work(null)
    if (connector?.mode !== 'pull') return this.options.locks.exclusive(integrationId, work)
    // a pull's progress, of the real sync only: a dry run may run beside it
    return this.options.locks.exclusive(integrationId, async (lease) => {
      await this.progress.begin(integrationId, this.now())
      return work(lease).finally(() => this.progress.end(integrationId))
    })
  }

  private async syncExclusive(
    integrationId: string,
    connector: Connector | null,
    dryRun: boolean,
    trigger: RunTrigger,
    claim: Date | undefined,
    actor: Actor | null,
    confirm: boolean,
    lease: Lease | null,
  ): Promise<SyncOutcome> {
    const { db, events } = this.options
    const startedAt = this.now()
    const { integration } = await this.context(integrationId)
    if (claim && integration.nextSyncAt !== claim.toISOString()) {
      throw new RunnerError('claim_stale', 'This scheduled sync already ran, or was claimed again', 409)
    }
    const pulled = await this.pull(integration, connector, undefined, !dryRun)
    if (!pulled.ok)
      return this.recordFailure(integration, pulled.failure, startedAt, dryRun, trigger, [], null, actor)

    const outcome = await db.transaction(async (tx) => {
      const locked = await lockIntegration(tx, integrationId)
      // a sync whose lease lapsed (the database out of reach for a minute) may have been overtaken
      await lease?.confirm(tx)
      if (!locked || locked.status !== 'connected') {
        throw new RunnerError(
          'integration_disconnected',
          'This integration was disconnected during the sync',
          409,
        )
      }
      if (confirm && !locked.inReview) throw reviewConfirmed()
      // the first sync of an integration in review is planned, never applied, until an admin confirms
      const reviewing = locked.inReview && !confirm
      const company = (await getCompany(tx, locked.companyId))!
      const directory = await loadDirectory(tx, company.id)
      const snapshot = {
        integrationId,
        source: connector!.name,
        complete: true,
        employees: pulled.employees,
        skipped: pulled.skipped,
      }
      const settings = this.settingsFor(locked, company)
      const window =
        locked.mode === 'push'
          ? await pushMassRemoval(tx, integrationId, directory, settings, startedAt)
          : null
      if (window) settings.massRemoval = window.massRemoval
      const syncPlan = withWarnings(
        plan(snapshot, directory, settings, startedAt),
        pulled.warnings,
        window?.reason ?? null,
      )
      const { warnings } = syncPlan
      if (dryRun || reviewing || !syncPlan.ok) return { syncPlan, warnings, company, run: null, reviewing }

      const { applied, events: changeEvents } = await applyChanges(tx, syncPlan.changes, {
        companyId: company.id,
        integrationId,
        cause: { trigger },
        actor,
      })
      const finishedAt = this.now()
      const run = await insertRun(
        tx,
        {
          integrationId,
          companyId: company.id,
          trigger,
          status: 'succeeded',
          dryRun: false,
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt.toISOString(),
          counts: syncPlan.counts,
          changes: applied,
          warnings,
          failure: null,
          actor,
        },
        syncPlan.held,
      )
      const summary = { runId: run.id, counts: syncPlan.counts }
      await events.append(tx, [
        ...changeEvents.map((event) => ({ ...event, payload: { ...event.payload, runId: run.id } })),
        ...(syncPlan.held.length > 0
          ? [
              {
                companyId: company.id,
                integrationId,
                type: 'sync.removals_held',
                payload: { ...summary, held: syncPlan.held },
              },
            ]
          : []),
        { companyId: company.id, integrationId, type: 'sync.succeeded', payload: summary, actor },
        ...(confirm
          ? [
              {
                companyId: company.id,
                integrationId,
                type: 'integration.review_confirmed',
                payload: summary,
                actor,
              },
            ]
          : []),
      ])
      if (confirm) await endReview(tx, integrationId)
      await recordSyncSuccess(tx, integrationId, finishedAt, this.nextScheduled(locked, finishedAt))
      return { syncPlan, warnings, company, run, reviewing }
    })

    if (outcome.run) {
      events.committed()
      return { run: outcome.run, plan: outcome.syncPlan }
    }
    if (!outcome.syncPlan.ok) {
      return this.recordFailure(
        integration,
        outcome.syncPlan.failure ?? 'The pull failed',
        startedAt,
        dryRun,
        trigger,
        outcome.warnings,
        outcome.syncPlan,
        actor,
      )
    }
    const planned = {
      integrationId,
      companyId: outcome.company.id,
      trigger,
      status: 'succeeded' as const,
      dryRun: true,
      startedAt: startedAt.toISOString(),
      finishedAt: this.now().toISOString(),
      counts: outcome.syncPlan.counts,
      changes: outcome.syncPlan.changes,
      warnings: outcome.warnings,
      failure: null,
      actor,
    }
    if (!outcome.reviewing) return { run: await insertRun(db, planned), plan: outcome.syncPlan }
    // any plan of an integration in review is the one shown; nothing more is scheduled until it is confirmed
    const run = await db.transaction(async (tx) => {
      const run = await insertRun(tx, { ...planned, trigger: 'review' })
      await reviewPlanned(tx, integrationId)
      await events.append(tx, [
        {
          companyId: outcome.company.id,
          integrationId,
          type: 'integration.review_ready',
          payload: { runId: run.id, counts: run.counts },
          actor,
        },
      ])
      return run
    })
    events.committed()
    return { run, plan: outcome.syncPlan }
  }

  /** A failed pull changes nothing: the run is recorded with the reason and the failure counted. */
  private async recordFailure(
    integration: Integration,
    failure: string,
    startedAt: Date,
    dryRun: boolean,
    trigger: RunTrigger,
    warnings: SyncWarning[],
    syncPlan: SyncPlan | null = null,
    actor: Actor | null = null,
  ): Promise<SyncOutcome> {
    const { db, events } = this.options
    const finishedAt = this.now()
    const run = await db.transaction(async (tx) => {
      const run = await insertRun(tx, {
        integrationId: integration.id,
        companyId: integration.companyId,
        trigger,
        status: 'failed',
        dryRun,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        counts: syncPlan?.counts ?? {},
        changes: [],
        warnings,
        failure,
        actor,
      })
      if (dryRun) return run
      const before = integration.needsAttention
      const after = await recordSyncFailure(
        tx,
        integration.id,
        failure,
        finishedAt,
        this.nextScheduled(integration, finishedAt),
      )
      const base = { companyId: integration.companyId, integrationId: integration.id }
      await events.append(tx, [
        {
          ...base,
          type: 'sync.failed',
          payload: { runId: run.id, failure, consecutiveFailures: after.consecutiveFailures },
        },
        ...(!before && after.needsAttention
          ? [
              {
                ...base,
                type: 'integration.needs_attention',
                payload: { reason: failure, consecutiveFailures: after.consecutiveFailures },
              },
            ]
          : []),
      ])
      return run
    })
    if (!dryRun) events.committed()
    this.options.logger?.warn('sync failed', { integrationId: integration.id, runId: run.id, failure })
    return { run, plan: syncPlan }
  }
}

function reviewConfirmed(): RunnerError {
  return new RunnerError('not_in_review', 'This integration’s first sync was already confirmed', 409)
}

/** The run's warnings: the snapshot's own, then the plan's; counts.warnings is always their number. */
function withWarnings(syncPlan: SyncPlan, pulled: SyncWarning[], windowReason: string | null): SyncPlan {
  const warnings = [...pulled, ...explainWindow(syncPlan.warnings, windowReason)]
  return { ...syncPlan, warnings, counts: { ...syncPlan.counts, warnings: warnings.length } }
}

import { api, type FirstSyncReview, type Integration, type Run, type Team, type User } from '../api.js'
import { ChangeList } from '../change-list.js'
import { countPhrases, formatTime, plural } from '../format.js'
import { href } from '../routes.js'
import { ErrorNotice, Loading, Notice, useAction, useAsync } from '../ui.js'

const path = (integrationId: string, rest: string) =>
  `/api/integrations/${encodeURIComponent(integrationId)}${rest}`

/** A planned run: its counts, then every change grouped by kind (nothing of it is applied). */
export function PlannedChanges({ companyId, run }: { companyId: string; run: Run }) {
  const directory = useAsync(async () => {
    const company = `/api/companies/${encodeURIComponent(companyId)}`
    const [users, teams] = await Promise.all([
      api<{ users: User[] }>('GET', `${company}/users?limit=500`),
      api<{ teams: Team[] }>('GET', `${company}/teams?limit=500`),
    ])
    return {
      users: new Map(users.users.map((user) => [user.id, user])),
      teams: new Map(teams.teams.map((team) => [team.id, team])),
    }
  }, [companyId, run.id])
  const counts = countPhrases(run.counts)
  return (
    <div data-testid="planned-changes">
      {counts.length > 0 && (
        <ul class="count-list">
          {counts.map((count) => (
            <li key={count.key}>{count.text}</li>
          ))}
        </ul>
      )}
      {run.warnings.length > 0 && <p class="small">{plural(run.warnings.length, 'warning')}: see below.</p>}
      {run.changes.length === 0 ? (
        <p class="muted">No change: everyone is already in step with HR.</p>
      ) : !directory.data ? (
        <Loading what="Loading the changes" />
      ) : (
        <ChangeList changes={run.changes} users={directory.data.users} teams={directory.data.teams} />
      )}
      {run.warnings.length > 0 && (
        <ul class="warning-list">
          {run.warnings.map((warning, index) => (
            <li key={`${warning.code}-${index}`}>{warning.message}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/**
 * A new integration's first sync, planned and waiting: the full change list with counts, planned
 * again on demand (after a change in HR or the settings), applied when an admin confirms it.
 */
export function FirstSyncReviewCard({
  integration,
  onConfirmed,
}: {
  integration: Integration
  onConfirmed: (run: Run) => void
}) {
  const review = useAsync(
    () => api<FirstSyncReview>('GET', path(integration.id, '/review')),
    [integration.id],
  )
  const plan = useAction(async () => {
    await api('POST', path(integration.id, '/review'))
    review.reload()
  })
  const confirm = useAction(async () => {
    const answer = await api<{ run: Run }>('POST', path(integration.id, '/review/confirm'))
    onConfirmed(answer.run)
  })
  const run = review.data?.run ?? null
  const name = integration.connectorName ?? integration.connectorId
  const busy = plan.busy || confirm.busy
  return (
    <section class="card" data-testid="first-sync-review">
      <h2>Review the first sync</h2>
      <p>
        Nothing changes in the app until you confirm. This is what reading {name} would do now; when you
        confirm, hrsync reads {name} again and applies what it finds then.
      </p>
      {review.error ? <ErrorNotice error={review.error} onRetry={review.reload} /> : null}
      {!review.data && review.loading && <Loading what="Loading the first sync's plan" />}
      {review.data && !run && (
        <p class="muted">The first sync is not planned yet: preview it to see every change it would make.</p>
      )}
      {run && (
        <>
          <p class="small muted">Planned {formatTime(run.startedAt)}</p>
          {run.status === 'failed' ? (
            <Notice kind="error" title={`${name} could not be read`}>
              <p>{run.failure}</p>
            </Notice>
          ) : (
            <PlannedChanges companyId={integration.companyId} run={run} />
          )}
        </>
      )}
      {plan.error ? <ErrorNotice error={plan.error} /> : null}
      {confirm.error ? <ErrorNotice error={confirm.error} /> : null}
      <div class="form-actions">
        <button
          type="button"
          class="button button-primary"
          disabled={busy || !run || run.status === 'failed'}
          onClick={() => confirm.go()}
        >
          {confirm.busy ? 'Applying…' : 'Confirm and apply'}
        </button>
        <button type="button" class="button" disabled={busy} onClick={() => plan.go()}>
          {plan.busy ? 'Previewing…' : 'Preview'}
        </button>
      </div>
    </section>
  )
}

/** Preview: what a sync would do now (a dry run), for an integration already syncing. */
export function SyncPreview({ integration, onClose }: { integration: Integration; onClose: () => void }) {
  const preview = useAsync(
    async () => (await api<{ run: Run }>('POST', path(integration.id, '/sync?dryRun=true'))).run,
    [integration.id],
  )
  const run = preview.data ?? null
  return (
    <section class="card" data-testid="sync-preview">
      <h2>Preview: what a sync would do now</h2>
      <p class="small muted">Nothing was applied.</p>
      {preview.error ? <ErrorNotice error={preview.error} onRetry={preview.reload} /> : null}
      {!run && preview.loading && <Loading what="Planning a sync" />}
      {run &&
        (run.status === 'failed' ? (
          <Notice kind="error" title="The HR system could not be read">
            <p>{run.failure}</p>
          </Notice>
        ) : (
          <PlannedChanges companyId={integration.companyId} run={run} />
        ))}
      <div class="form-actions">
        <button type="button" class="button" disabled={preview.loading} onClick={preview.reload}>
          Preview again
        </button>
        <button type="button" class="button" onClick={onClose}>
          Close
        </button>
        {run && (
          <a class="button" href={href(integration.companyId, 'history', run.id)}>
            Open as a run
          </a>
        )}
      </div>
    </section>
  )
}

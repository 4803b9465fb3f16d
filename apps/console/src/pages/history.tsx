import { useState } from 'preact/hooks'
import {
  type Actor,
  api,
  type CompanyDetail,
  type HeldRemoval,
  listTeams,
  listUsers,
  type Run,
  type RunSummary,
  type User,
} from '../api.js'
import { ChangeList } from '../change-list.js'
import {
  countPhrases,
  describeChange,
  formatTime,
  fullName,
  plural,
  runLabel,
  warningTitle,
} from '../format.js'
import { href } from '../routes.js'
import { Badge, ErrorNotice, Loading, Notice, PageHeader, useAction, useAsync } from '../ui.js'

/** Sync history: every run of every integration of the company, newest first; a run's details. */
export function HistoryPage({ company, runId }: { company: CompanyDetail; runId: string | undefined }) {
  if (runId) return <RunDetail company={company} runId={runId} />
  return <RunList company={company} />
}

function RunList({ company }: { company: CompanyDetail }) {
  const runs = useAsync(async () => {
    const lists = await Promise.all(
      company.integrations.map(async (integration) => {
        const { runs } = await api<{ runs: RunSummary[] }>(
          'GET',
          `/api/integrations/${encodeURIComponent(integration.id)}/runs`,
        )
        return runs.map((run) => ({
          ...run,
          connectorId: integration.connectorId,
          current: integration.status === 'connected',
        }))
      }),
    )
    return lists.flat().sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  }, [company.id, company.integrations.length])
  return (
    <>
      <PageHeader
        title="Sync history"
        subtitle="Every sync: what it read, what it changed, and what needs your attention."
      />
      {runs.error ? <ErrorNotice error={runs.error} onRetry={runs.reload} /> : null}
      {!runs.data && runs.loading && <Loading what="Loading the sync history" />}
      {runs.data && runs.data.length === 0 && (
        <p class="empty">
          No syncs yet.{' '}
          {company.integrations.length === 0 && (
            <a href={href(company.id, 'integrations')}>Connect an HR system</a>
          )}
        </p>
      )}
      {runs.data && runs.data.length > 0 && (
        <table class="table runs-table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Result</th>
              <th>Summary</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => {
              const held = run.counts.held ?? 0
              return (
                <tr key={run.id}>
                  <td data-label="When">
                    <a href={href(company.id, 'history', run.id)}>{formatTime(run.startedAt)}</a>
                  </td>
                  <td data-label="What">
                    {runLabel(run)}
                    {!run.current && <span class="muted small block">earlier connection</span>}
                  </td>
                  <td data-label="Result">
                    {run.status === 'failed' ? (
                      <Badge tone="danger">Failed</Badge>
                    ) : held > 0 ? (
                      <Badge tone="warning">Removals held</Badge>
                    ) : (
                      <Badge tone="success">Succeeded</Badge>
                    )}
                  </td>
                  <td data-label="Summary">
                    {run.status === 'failed' ? (
                      <span>{run.failure ?? 'The HR system could not be read; nothing changed.'}</span>
                    ) : (
                      <span>
                        {plural(run.changeCount ?? 0, 'change')} · {plural(run.warnings.length, 'warning')}
                        {held > 0 && ` · ${plural(held, 'removal')} held`}
                      </span>
                    )}{' '}
                    <a href={href(company.id, 'history', run.id)} class="small">
                      Details
                    </a>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </>
  )
}

function RunDetail({ company, runId }: { company: CompanyDetail; runId: string }) {
  const data = useAsync(async () => {
    const [run, users, teams] = await Promise.all([
      api<Run>('GET', `/api/runs/${encodeURIComponent(runId)}`),
      listUsers(company.id),
      listTeams(company.id),
    ])
    return {
      run,
      users: new Map(users.users.map((user) => [user.id, user])),
      teams: new Map(teams.teams.map((team) => [team.id, team])),
    }
  }, [runId])
  const [decided, setDecided] = useState<string | null>(null)
  // every undecided removal, or one person's (userIds)
  const decide = useAction(async (decision: 'approve' | 'reject', userIds?: string[]) => {
    const answer = await api<{ applied?: unknown[]; skipped?: unknown[]; rejected?: number }>(
      'POST',
      `/api/runs/${encodeURIComponent(runId)}/held/${decision}`,
      userIds ? { userIds } : undefined,
    )
    const skipped = answer.skipped?.length ?? 0
    setDecided(
      decision === 'approve'
        ? `Approved: ${plural(answer.applied?.length ?? 0, 'removal')} applied${skipped > 0 ? `, ${plural(skipped, 'person', 'people')} kept because they changed or came back since the hold` : ''}.`
        : `Rejected: ${userIds ? 'they keep' : 'everyone keeps'} their access. A later sync that still finds them gone holds them again.`,
    )
    data.reload()
  })
  if (!data.data) {
    return (
      <>
        <PageHeader title="Sync run" />
        {data.error ? (
          <ErrorNotice error={data.error} onRetry={data.reload} />
        ) : (
          <Loading what="Loading the run" />
        )}
      </>
    )
  }
  const { run, users, teams } = data.data
  const pending = run.held.filter((removal) => removal.decision === null)
  const decidedHeld = run.held.filter((removal) => removal.decision !== null)
  return (
    <>
      <PageHeader
        title={`${runLabel(run)} — ${formatTime(run.startedAt)}`}
        subtitle={<a href={href(company.id, 'history')}>← All syncs</a>}
      />
      {decided && (
        <Notice kind="success">
          <p>{decided}</p>
        </Notice>
      )}
      {run.status === 'failed' && (
        <Notice kind="error" title="This sync failed; nothing changed">
          <p>{run.failure}</p>
        </Notice>
      )}
      {pending.length > 0 && (
        <section class="card held" data-testid="held-removals">
          <h2>{plural(pending.length, 'removal')} waiting for your decision</h2>
          <p>
            {pending.some((removal) => removal.reason === 'mass_removal')
              ? 'This sync would remove more people than usual at once, so hrsync held the removals. Check HR: if these people really left, approve; if the HR data is wrong, reject and everyone keeps their access.'
              : 'Removing an admin needs another admin to confirm.'}
          </p>
          <ul class="people-list held-people">
            {pending.map((removal) => {
              const who = users.get(removal.userId)
              const name = who ? fullName(who) : 'this person'
              return (
                <li key={removal.id} data-testid="held-person">
                  <span>{describeChange(removal.change, users, teams)}</span>
                  <span class="held-actions">
                    <button
                      type="button"
                      class="button button-small button-danger"
                      aria-label={`Approve the removal of ${name}`}
                      disabled={decide.busy}
                      onClick={() => decide.go('approve', [removal.userId])}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`Keep ${name}`}
                      disabled={decide.busy}
                      onClick={() => decide.go('reject', [removal.userId])}
                    >
                      Keep
                    </button>
                  </span>
                </li>
              )
            })}
          </ul>
          {decide.error ? <ErrorNotice error={decide.error} /> : null}
          <div class="form-actions">
            <button
              type="button"
              class="button button-danger"
              disabled={decide.busy}
              onClick={() => decide.go('approve')}
            >
              Approve {pending.length === 1 ? 'the removal' : `all ${plural(pending.length, 'removal')}`}
            </button>
            <button type="button" class="button" disabled={decide.busy} onClick={() => decide.go('reject')}>
              Reject — keep everyone
            </button>
          </div>
        </section>
      )}
      {decidedHeld.length > 0 && (
        <section class="card" data-testid="held-decided">
          <h2>Decided ({decidedHeld.length})</h2>
          <ul class="people-list">
            {decidedHeld.map((removal) => (
              <li key={removal.id}>{decisionLine(removal, users)}</li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>Summary</h2>
        <ul class="count-list">
          {countPhrases(run.counts).map((count) => (
            <li key={count.key}>{count.text}</li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>Warnings ({run.warnings.length})</h2>
        {run.warnings.length === 0 ? (
          <p class="muted">Nothing to report.</p>
        ) : (
          <ul class="warning-list">
            {run.warnings.map((warning, index) => (
              <li key={`${warning.code}-${index}`}>
                <Badge tone="warning">{warningTitle(warning)}</Badge> {warning.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <h2>Changes ({run.changes.length})</h2>
        {run.changes.length === 0 ? (
          <p class="muted">No change: everyone was already in step with HR.</p>
        ) : (
          <ChangeList changes={run.changes} users={users} teams={teams} testId="changes" />
        )}
      </section>
    </>
  )
}

/** Who decided, as the run history shows it: the app user the app named, else the key. */
function actorName(actor: Actor | null): string {
  if (!actor) return 'an admin'
  return actor.userId ? `app user ${actor.userId}` : `key ${actor.keyId}`
}

/** One decided held removal: who it was, what was decided, by whom and when. */
function decisionLine(removal: HeldRemoval, users: Map<string, User>): string {
  const who = users.get(removal.userId)
  const name = who ? fullName(who) : 'A person no longer in the directory'
  const what = removal.decision === 'approved' ? 'removal approved' : 'kept (removal rejected)'
  const when = removal.decidedAt ? ` on ${formatTime(removal.decidedAt)}` : ''
  return `${name} — ${what} by ${actorName(removal.decidedBy)}${when}`
}

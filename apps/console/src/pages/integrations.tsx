import { useEffect, useState } from 'preact/hooks'
import {
  ApiError,
  api,
  type CompanyDetail,
  type ConnectorInfo,
  type DisconnectPreview,
  type Integration,
  listUsers,
  type Run,
  type Scim,
  type SyncProgress,
} from '../api.js'
import { formatTime, fullName, PLAN_LABEL, plural, relativeTime } from '../format.js'
import { href } from '../routes.js'
import {
  Badge,
  CopyButton,
  ErrorNotice,
  Loading,
  Modal,
  Notice,
  PageHeader,
  useAction,
  useAsync,
} from '../ui.js'
import { FirstSyncReviewCard, SyncPreview } from './review.js'
import { SchemaForm } from './schema-form.js'

const HR_PLANS = ['advanced', 'beyond']
/** HR systems by the name people know them by, in the browser's language ("Eurécia" before "Microsoft Entra ID"). */
const byName = new Intl.Collator(undefined, { sensitivity: 'base' })
/** where the runner found each connector, in an operator's words */
const sourceLabel: Record<string, string> = {
  builtin: 'Built in',
  node_modules: 'npm package',
  installed: 'Installed plugin',
  configured: 'HRSYNC_PLUGINS',
  workspace: 'Workspace',
}

function connectedOf(company: CompanyDetail) {
  return company.integrations.find((integration) => integration.status === 'connected') ?? null
}

/** Settings › Integrations: connect, status, sync now, SCIM token, disconnect. */
export function IntegrationsPage({ company, onChanged }: { company: CompanyDetail; onChanged: () => void }) {
  const connected = connectedOf(company)
  const [scim, setScim] = useState<Scim | null>(null)
  return (
    <>
      <PageHeader
        title="Integrations"
        subtitle="Connect the HR system: new hires can be invited without typing them in, and leavers lose access automatically."
      />
      {connected ? (
        <IntegrationStatus
          key={connected.id}
          company={company}
          integrationId={connected.id}
          scim={scim}
          onScim={setScim}
          onDisconnected={() => {
            setScim(null)
            onChanged()
          }}
        />
      ) : (
        <Connect
          company={company}
          onConnected={(result) => {
            setScim(result ?? null)
            onChanged()
          }}
        />
      )}
    </>
  )
}

function Connect({ company, onConnected }: { company: CompanyDetail; onConnected: (scim?: Scim) => void }) {
  const connectors = useAsync(() => api<{ connectors: ConnectorInfo[] }>('GET', '/api/connectors'), [])
  const [chosen, setChosen] = useState<ConnectorInfo | null>(null)
  const [filter, setFilter] = useState('')
  const connect = useAction(async (connector: ConnectorInfo, config: Record<string, unknown>) => {
    const answer = await api<{ integration: Integration; scim?: Scim }>(
      'POST',
      `/api/companies/${encodeURIComponent(company.id)}/integrations`,
      { connector: connector.id, config },
    )
    onConnected(answer.scim)
  })
  const eligible = HR_PLANS.includes(company.plan)
  const known = [...(connectors.data?.connectors ?? [])].sort((a, b) => byName.compare(a.name, b.name))
  if (!eligible) {
    return (
      <section class="card plan-gate" data-testid="plan-gate">
        <h2>HR integrations are not part of the {PLAN_LABEL[company.plan] ?? company.plan} plan</h2>
        <p>
          {company.name} is on the <strong>{PLAN_LABEL[company.plan] ?? company.plan}</strong> plan.
          Connecting an HR system needs the <strong>Advanced</strong> or <strong>Beyond</strong> plan.
        </p>
        <ul class="checklist">
          <li>New hires appear on Add people, ready to invite</li>
          <li>Leavers lose access automatically</li>
          <li>Teams and reviewers follow the manager hierarchy (team sync)</li>
        </ul>
        <p class="muted">Upgrade to Advanced or Beyond to connect one of the HR systems below.</p>
        {connectors.data && <p class="muted small">Available: {known.map((c) => c.name).join(', ')}.</p>}
      </section>
    )
  }
  if (chosen) {
    const failed = connect.error instanceof ApiError ? connect.error : null
    return (
      <section class="card">
        <h2>Connect {chosen.name}</h2>
        <p class="muted">
          {chosen.mode === 'push'
            ? `${chosen.name} sends people to hrsync over SCIM. Connecting creates the SCIM address and a token to paste into ${chosen.name}.`
            : `hrsync checks the connection before saving it, then reads ${chosen.name} every 3 hours. Nothing is ever written back to ${chosen.name}.`}
          {chosen.docsUrl && (
            <>
              {' '}
              <a href={chosen.docsUrl} target="_blank" rel="noreferrer">
                Setup guide
              </a>
            </>
          )}
        </p>
        {connect.error ? (
          <div class="notice notice-error" role="alert">
            <p class="notice-title">
              {failed?.status === 422
                ? `The connection check failed: hrsync could not read ${chosen.name} with these settings.`
                : failed?.status === 400
                  ? 'Some settings are not right.'
                  : 'The integration was not saved.'}
            </p>
            <p>{failed?.message ?? String(connect.error)}</p>
          </div>
        ) : null}
        <SchemaForm
          key={chosen.id}
          schema={chosen.configSchema}
          secretKeys={chosen.secretKeys}
          busy={connect.busy}
          submitLabel={`Connect ${chosen.name}`}
          onSubmit={(config) => connect.go(chosen, config)}
          onCancel={() => {
            connect.setError(null)
            setChosen(null)
          }}
        />
      </section>
    )
  }
  const list = known.filter((c) => c.name.toLowerCase().includes(filter.trim().toLowerCase()))
  return (
    <section>
      <div class="section-head">
        <h2>HR systems</h2>
        <input
          type="search"
          class="search"
          placeholder="Search HR systems"
          aria-label="Search HR systems"
          value={filter}
          onInput={(event) => setFilter((event.target as HTMLInputElement).value)}
        />
      </div>
      {connectors.error ? <ErrorNotice error={connectors.error} onRetry={connectors.reload} /> : null}
      {connectors.loading && !connectors.data && <Loading what="Loading the HR systems" />}
      {connectors.data && list.length === 0 && <p class="empty">No HR system matches “{filter}”.</p>}
      <ul class="connector-grid">
        {list.map((connector) => (
          <li key={connector.id} class="card connector-card">
            <div>
              <strong>{connector.name}</strong>
              <p class="muted small">
                {connector.mode === 'push' ? 'Pushes people over SCIM' : 'Read every 3 hours'}
              </p>
              <p class="muted small" title={connector.package}>
                {sourceLabel[connector.source] ?? connector.source} · v{connector.version}
              </p>
            </div>
            <button
              type="button"
              class="button"
              aria-label={`Connect ${connector.name}`}
              onClick={() => setChosen(connector)}
            >
              Connect
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

function ScimDetails({
  integration,
  scim,
  onScim,
}: {
  integration: Integration
  scim: Scim | null
  onScim: (scim: Scim) => void
}) {
  const rotate = useAction(async () => {
    const answer = await api<{ scim?: Scim; baseUrl?: string; token?: string }>(
      'POST',
      `/api/integrations/${encodeURIComponent(integration.id)}/scim-token/rotate`,
    )
    const next = answer.scim ?? {
      baseUrl: answer.baseUrl ?? `${window.location.origin}/scim/v2`,
      token: answer.token ?? '',
    }
    onScim(next)
  })
  const baseUrl = scim?.baseUrl ?? `${window.location.origin}/scim/v2`
  const name = integration.connectorName ?? integration.connectorId
  const rotateError =
    rotate.error instanceof ApiError && rotate.error.status === 404 && rotate.error.code === 'route_not_found'
      ? 'This runner cannot rotate SCIM tokens yet: update hrsync, or disconnect and connect again for a new token.'
      : rotate.error
        ? (rotate.error as Error).message
        : null
  return (
    <section class="card">
      <h2>SCIM provisioning</h2>
      <p class="muted">
        Paste these into the {name} app integration. {name} then pushes people to hrsync.
      </p>
      <dl class="details">
        <dt>SCIM base URL</dt>
        <dd class="secret-row">
          <code data-testid="scim-base-url">{baseUrl}</code>
          <CopyButton text={baseUrl} />
        </dd>
        <dt>Bearer token</dt>
        <dd class="secret-row">
          {scim?.token ? (
            <>
              <code data-testid="scim-token">{scim.token}</code>
              <CopyButton text={scim.token} />
            </>
          ) : (
            <span class="muted">
              Hidden: it was shown once, when it was created. Rotate it to get a new one.
            </span>
          )}
        </dd>
      </dl>
      {scim?.token && (
        <Notice kind="warning">
          <p>Copy the token now: it is shown only this once. hrsync keeps only a fingerprint of it.</p>
        </Notice>
      )}
      {rotateError && (
        <div class="notice notice-error" role="alert">
          <p>{rotateError}</p>
        </div>
      )}
      <div class="form-actions">
        <button type="button" class="button" disabled={rotate.busy} onClick={() => rotate.go()}>
          {rotate.busy ? 'Rotating…' : 'Rotate token'}
        </button>
        <span class="muted small">The old token stops working at once.</span>
      </div>
    </section>
  )
}

const PROGRESS_POLL_MS = 1000

/** A running sync: people read so far, of how many when the HR system said, and since when. */
function SyncProgressLine({ progress, hr }: { progress: SyncProgress; hr: string }) {
  const { people, totalPeople, pages } = progress
  const known = totalPeople !== null && totalPeople > 0
  const counts = known
    ? `${people} of ${plural(totalPeople, 'person', 'people')}`
    : plural(people, 'person', 'people')
  return (
    <div class="sync-progress" data-testid="sync-progress">
      <progress
        aria-label={`People read from ${hr}`}
        {...(known ? { value: Math.min(people, totalPeople), max: totalPeople } : {})}
      />
      <p class="small" aria-live="polite">
        Reading people from {hr}: {counts} so far, {plural(pages, 'page')} · started{' '}
        {relativeTime(progress.startedAt)}
      </p>
    </div>
  )
}

function IntegrationStatus({
  company,
  integrationId,
  scim,
  onScim,
  onDisconnected,
}: {
  company: CompanyDetail
  integrationId: string
  scim: Scim | null
  onScim: (scim: Scim) => void
  onDisconnected: () => void
}) {
  const integration = useAsync(
    () => api<Integration>('GET', `/api/integrations/${encodeURIComponent(integrationId)}`),
    [integrationId],
  )
  const [lastRun, setLastRun] = useState<Run | null>(null)
  const [disconnecting, setDisconnecting] = useState(false)
  const [previewing, setPreviewing] = useState(false)
  const sync = useAction(async () => {
    const answer = await api<{ run: Run }>(
      'POST',
      `/api/integrations/${encodeURIComponent(integrationId)}/sync`,
    )
    setLastRun(answer.run)
    integration.reload()
  })
  const data = integration.data
  const running = data?.syncing === true || sync.busy
  // while a sync runs (here or started elsewhere), its progress is read again every second
  useEffect(() => {
    if (!running) return
    const timer = setInterval(integration.reload, PROGRESS_POLL_MS)
    return () => clearInterval(timer)
  }, [running, integration.reload])
  if (!data)
    return integration.error ? (
      <ErrorNotice error={integration.error} onRetry={integration.reload} />
    ) : (
      <Loading what="Loading the integration" />
    )
  const name = data.connectorName ?? data.connectorId
  const heldCount = lastRun?.held.filter((h) => h.decision === null).length ?? 0
  return (
    <>
      <section class="card status-card" data-testid="integration-status">
        <div class="status-head">
          <div>
            <h2>{name}</h2>
            <p class="muted small">
              {data.mode === 'push' ? 'Pushes people over SCIM' : 'Read every 3 hours'} · connected{' '}
              {formatTime(data.createdAt)}
            </p>
          </div>
          {data.needsAttention ? (
            <Badge tone="danger">Needs attention</Badge>
          ) : data.inReview ? (
            <Badge tone="warning">First sync in review</Badge>
          ) : data.syncing ? (
            <Badge tone="info">Syncing</Badge>
          ) : (
            <Badge tone="success">Connected</Badge>
          )}
        </div>
        {data.needsAttention && (
          <Notice kind="error" title="This integration needs attention">
            <p>{data.attentionReason ?? `The last ${data.consecutiveFailures} syncs failed.`}</p>
            <p class="small">Fix the cause in {name}, then sync now. Nobody loses access while syncs fail.</p>
          </Notice>
        )}
        <dl class="details">
          <dt>Last sync</dt>
          <dd>
            {data.lastSyncAt ? (
              <>
                {formatTime(data.lastSyncAt)} ({relativeTime(data.lastSyncAt)}) —{' '}
                {data.lastSyncStatus === 'failed' ? (
                  <Badge tone="danger">failed</Badge>
                ) : (
                  <Badge tone="success">succeeded</Badge>
                )}
              </>
            ) : (
              'Not synced yet'
            )}
          </dd>
          <dt>Next sync</dt>
          <dd>
            {data.mode === 'push'
              ? `Whenever ${name} pushes a change`
              : data.nextSyncAt
                ? `${formatTime(data.nextSyncAt)} (${relativeTime(data.nextSyncAt)})`
                : 'Not scheduled'}
          </dd>
          <dt>Team sync</dt>
          <dd>
            {data.teamSync === 'on' ? 'On' : data.teamSync === 'setup' ? 'Being set up' : 'Off'} ·{' '}
            <a href={href(company.id, 'teams')}>Team sync settings</a>
          </dd>
        </dl>
        {data.progress && <SyncProgressLine progress={data.progress} hr={name} />}
        {sync.error ? <ErrorNotice error={sync.error} /> : null}
        {lastRun && (
          <Notice
            kind={lastRun.status === 'failed' ? 'error' : heldCount > 0 ? 'warning' : 'success'}
            title={lastRun.status === 'failed' ? 'The sync failed; nothing changed' : 'Sync finished'}
          >
            <p>
              {lastRun.status === 'failed'
                ? lastRun.failure
                : `${plural(lastRun.changes.length, 'change')} applied, ${plural(lastRun.warnings.length, 'warning')}.`}
              {heldCount > 0 && ` ${plural(heldCount, 'removal')} held for your approval.`}{' '}
              <a href={href(company.id, 'history', lastRun.id)}>See the details</a>
            </p>
          </Notice>
        )}
        <div class="form-actions">
          {data.mode === 'pull' && !data.inReview && (
            <button
              type="button"
              class="button button-primary"
              disabled={sync.busy}
              onClick={() => sync.go()}
            >
              {sync.busy ? 'Syncing…' : 'Sync now'}
            </button>
          )}
          {!data.inReview && (
            <button type="button" class="button" disabled={previewing} onClick={() => setPreviewing(true)}>
              Preview
            </button>
          )}
          <a class="button" href={href(company.id, 'history')}>
            Sync history
          </a>
          <button type="button" class="button button-danger" onClick={() => setDisconnecting(true)}>
            Disconnect
          </button>
        </div>
      </section>
      {data.inReview && (
        <FirstSyncReviewCard
          integration={data}
          onConfirmed={(run) => {
            setLastRun(run)
            integration.reload()
          }}
        />
      )}
      {previewing && <SyncPreview integration={data} onClose={() => setPreviewing(false)} />}
      {data.mode === 'push' && <ScimDetails integration={data} scim={scim} onScim={onScim} />}
      {disconnecting && (
        <DisconnectDialog
          company={company}
          integration={data}
          onClose={() => setDisconnecting(false)}
          onDone={() => {
            setDisconnecting(false)
            onDisconnected()
          }}
        />
      )}
    </>
  )
}

const KEEP_TEXT: Record<string, string> = {
  stays_active_unlinked: 'keeps access; the “added via” label goes',
  stays_deactivated: 'stays deactivated',
  stays_invited_unlinked: 'keeps their invitation',
}
const REMOVE_TEXT: Record<string, string> = {
  removed: 'removed from Add people',
  invitation_revoked_removed: 'invitation revoked and removed',
}

function DisconnectDialog({
  company,
  integration,
  onClose,
  onDone,
}: {
  company: CompanyDetail
  integration: Integration
  onClose: () => void
  onDone: () => void
}) {
  const preview = useAsync(async () => {
    const [p, u] = await Promise.all([
      api<DisconnectPreview>(
        'GET',
        `/api/integrations/${encodeURIComponent(integration.id)}/disconnect-preview`,
      ),
      listUsers(company.id),
    ])
    return { preview: p, users: new Map(u.users.map((user) => [user.id, user])) }
  }, [integration.id])
  const disconnect = useAction(async () => {
    await api('DELETE', `/api/integrations/${encodeURIComponent(integration.id)}`)
    onDone()
  })
  const name = integration.connectorName ?? integration.connectorId
  const data = preview.data
  return (
    <Modal title={`Disconnect ${name}?`} onClose={onClose}>
      {preview.error ? <ErrorNotice error={preview.error} onRetry={preview.reload} /> : null}
      {!data && preview.loading && <Loading what="Working out what disconnecting would do" />}
      {data && (
        <div data-testid="disconnect-preview">
          <p>hrsync stops reading {name}. This is what happens to every user it brought:</p>
          <ul class="outcomes">
            <li>
              <strong>
                {plural(
                  data.preview.keep.filter((k) => k.outcome === 'stays_active_unlinked').length,
                  'active user',
                )}
              </strong>{' '}
              keep access; their “added via {name}” label goes.
            </li>
            <li>
              <strong>{plural(data.preview.remove.length, 'person', 'people')}</strong> who never accepted an
              invitation are removed (pending invitations are revoked).
            </li>
            {data.preview.keep.some((k) => k.outcome === 'stays_deactivated') && (
              <li>
                <strong>
                  {plural(
                    data.preview.keep.filter((k) => k.outcome === 'stays_deactivated').length,
                    'deactivated user',
                  )}
                </strong>{' '}
                stay deactivated.
              </li>
            )}
            <li>
              <strong>{plural(data.preview.untouched, 'app-only user')}</strong> added in the app{' '}
              {data.preview.untouched === 1 ? 'is' : 'are'} not touched.
            </li>
            {data.preview.teamSyncStopped && (
              <li>
                <strong>Team sync stops first</strong>: the synced teams become ordinary teams you can edit.
              </li>
            )}
          </ul>
          <details>
            <summary>See everyone ({data.preview.keep.length + data.preview.remove.length})</summary>
            <ul class="people-list">
              {data.preview.keep.map((k) => (
                <li key={k.userId}>
                  {fullName(data.users.get(k.userId))} — {KEEP_TEXT[k.outcome]}
                </li>
              ))}
              {data.preview.remove.map((r) => (
                <li key={r.userId}>
                  {fullName(data.users.get(r.userId))} — {REMOVE_TEXT[r.outcome]}
                </li>
              ))}
            </ul>
          </details>
          {disconnect.error ? <ErrorNotice error={disconnect.error} /> : null}
          <div class="form-actions">
            <button
              type="button"
              class="button button-danger"
              disabled={disconnect.busy}
              onClick={() => disconnect.go()}
            >
              {disconnect.busy ? 'Disconnecting…' : `Disconnect ${name}`}
            </button>
            <button type="button" class="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </Modal>
  )
}

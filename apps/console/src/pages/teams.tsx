import { useState } from 'preact/hooks'
import {
  api,
  type CompanyDetail,
  type Integration,
  listTeams,
  listUsers,
  type PreviewPerson,
  type Team,
  type TeamSyncPreview,
  type User,
} from '../api.js'
import { fullName, plural } from '../format.js'
import { href } from '../routes.js'
import { Badge, ErrorNotice, Loading, Modal, Notice, PageHeader, useAction, useAsync } from '../ui.js'

interface Data {
  integration: Integration | null
  teams: Team[]
  users: Map<string, User>
}

async function load(company: CompanyDetail): Promise<Data> {
  const connected = company.integrations.find((i) => i.status === 'connected')
  const [integration, teams, users] = await Promise.all([
    connected ? api<Integration>('GET', `/api/integrations/${encodeURIComponent(connected.id)}`) : null,
    listTeams(company.id),
    listUsers(company.id),
  ])
  return { integration, teams: teams.teams, users: new Map(users.users.map((user) => [user.id, user])) }
}

/** Team sync: set up (preview, Unassigned review, finish), read-only teams while on, stop. */
export function TeamsPage({ company, onChanged }: { company: CompanyDetail; onChanged: () => void }) {
  const data = useAsync(() => load(company), [company.id, company.integrations.map((i) => i.status).join()])
  const [preview, setPreview] = useState<TeamSyncPreview | null>(null)
  const [stopping, setStopping] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const integration = data.data?.integration ?? null
  const hr = integration?.connectorName ?? 'the HR system'
  const start = useAction(async () => {
    setMessage(null)
    setPreview(
      await api<TeamSyncPreview>(
        'POST',
        `/api/integrations/${encodeURIComponent(integration!.id)}/team-sync/preview`,
      ),
    )
  })
  const stop = useAction(async () => {
    await api('POST', `/api/integrations/${encodeURIComponent(integration!.id)}/team-sync/stop`)
    setStopping(false)
    setPreview(null)
    setMessage('Team sync is off. The teams it built are now ordinary teams you can edit.')
    data.reload()
    onChanged()
  })

  const cancel = useAction(async () => {
    await api('POST', `/api/integrations/${encodeURIComponent(integration!.id)}/team-sync/stop`)
    setPreview(null)
    setMessage('Team sync setup was cancelled: nothing changed.')
    data.reload()
    onChanged()
  })

  if (!data.data) {
    return (
      <>
        <PageHeader title="Team sync" />
        {data.error ? (
          <ErrorNotice error={data.error} onRetry={data.reload} />
        ) : (
          <Loading what="Loading teams" />
        )}
      </>
    )
  }
  const { teams, users } = data.data
  const state = integration?.teamSync ?? 'off'

  if (preview && integration) {
    return (
      <SetupWizard
        integration={integration}
        preview={preview}
        users={users}
        onCancel={() => cancel.go()}
        onFinished={() => {
          setPreview(null)
          setMessage(`Team sync is on: teams now follow the manager hierarchy in ${hr}.`)
          data.reload()
          onChanged()
        }}
      />
    )
  }

  return (
    <>
      <PageHeader
        title="Team sync"
        subtitle="Build one team per manager, with the manager as reviewer, and keep the teams in step with HR."
        actions={
          state === 'on' ? (
            <button type="button" class="button" onClick={() => setStopping(true)}>
              Stop team sync
            </button>
          ) : integration?.mode === 'pull' ? (
            <button
              type="button"
              class="button button-primary"
              disabled={start.busy}
              onClick={() => start.go()}
            >
              {start.busy ? `Reading ${hr}…` : state === 'setup' ? 'Continue setup' : 'Set up team sync'}
            </button>
          ) : null
        }
      />
      {message && (
        <Notice kind="success">
          <p>{message}</p>
        </Notice>
      )}
      {start.error ? <ErrorNotice error={start.error} /> : null}
      {stop.error ? <ErrorNotice error={stop.error} /> : null}
      {cancel.error ? <ErrorNotice error={cancel.error} /> : null}
      {!integration && (
        <Notice kind="info" title="No HR system connected">
          <p>
            Team sync builds teams from the manager hierarchy in the HR system.{' '}
            <a href={href(company.id, 'integrations')}>Connect an HR system</a> first.
          </p>
        </Notice>
      )}
      {integration?.mode === 'push' && (
        <Notice kind="info">
          <p>Team sync needs an HR system hrsync reads, with manager data. {hr} pushes people over SCIM.</p>
        </Notice>
      )}
      {state === 'on' && (
        <Notice kind="info" title="Teams are managed by team sync">
          <p data-testid="read-only-reason">
            Members and reviewers follow the manager hierarchy in {hr}: move people by changing their manager
            in {hr}. You can rename a synced team; later syncs keep the name you give it.
          </p>
        </Notice>
      )}
      {state === 'setup' && (
        <Notice kind="warning">
          <p>Team sync setup was started but not finished. Continue it to review the teams, or stop it.</p>
        </Notice>
      )}
      {teams.length === 0 ? (
        <p class="empty">No teams yet.</p>
      ) : (
        <>
          <h2>{plural(teams.length, 'team')}</h2>
          <div class="team-grid">
            {teams.map((team) => (
              <TeamCard
                key={team.id}
                team={team}
                users={users}
                managedBy={state === 'on' && team.kind !== 'ordinary' ? hr : null}
                onSaved={data.reload}
              />
            ))}
          </div>
        </>
      )}
      {stopping && (
        <Modal title="Stop team sync?" onClose={() => setStopping(false)}>
          <p>
            Every synced team becomes an ordinary team with its current members and reviewer, and you can edit
            them again. Users keep syncing from {hr}. To turn team sync on again, you go through setup again.
          </p>
          {stop.error ? <ErrorNotice error={stop.error} /> : null}
          <div class="form-actions">
            <button type="button" class="button button-danger" disabled={stop.busy} onClick={() => stop.go()}>
              {stop.busy ? 'Stopping…' : 'Stop team sync'}
            </button>
            <button type="button" class="button" onClick={() => setStopping(false)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </>
  )
}

/**
 * A team. While team sync is on (`managedBy`: the HR system's name), a synced team's members and
 * reviewer are HR's and only its name can be changed; Unassigned keeps its name too.
 */
function TeamCard({
  team,
  users,
  managedBy,
  onSaved,
}: {
  team: Team
  users: Map<string, User>
  managedBy: string | null
  onSaved: () => void
}) {
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState(team.name)
  const save = useAction(async () => {
    await api('PATCH', `/api/teams/${encodeURIComponent(team.id)}`, { name })
    setEditing(false)
    onSaved()
  })
  const reviewer = team.reviewerUserId ? users.get(team.reviewerUserId) : null
  return (
    <article class="card team-card" data-team={team.name}>
      <div class="team-head">
        {editing ? (
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault()
              save.go()
            }}
          >
            <input
              aria-label="Team name"
              value={name}
              onInput={(event) => setName((event.target as HTMLInputElement).value)}
            />
            <button type="submit" class="button button-small button-primary" disabled={save.busy}>
              Save
            </button>
            <button
              type="button"
              class="button button-small"
              onClick={() => {
                setEditing(false)
                save.setError(null)
                setName(team.name)
              }}
            >
              Cancel
            </button>
          </form>
        ) : (
          <>
            <h3>{team.name}</h3>
            <span class="team-badges">
              {team.kind === 'synced' && <Badge tone="brand">Synced</Badge>}
              {team.kind === 'unassigned' && <Badge tone="warning">Unassigned</Badge>}
              {team.needsReviewer && <Badge tone="danger">Needs a reviewer</Badge>}
            </span>
          </>
        )}
      </div>
      {save.error ? <ErrorNotice error={save.error} /> : null}
      <p class="small">
        <span class="muted">Reviewer: </span>
        {reviewer ? fullName(reviewer) : <span class="muted">none</span>}
      </p>
      <p class="small muted">{plural(team.memberUserIds.length, 'member')}</p>
      <ul class="member-list">
        {team.memberUserIds.slice(0, 8).map((id) => (
          <li key={id}>{fullName(users.get(id))}</li>
        ))}
        {team.memberUserIds.length > 8 && <li class="muted">and {team.memberUserIds.length - 8} more</li>}
      </ul>
      {managedBy && (
        <p class="small muted" data-testid="managed-by-hr">
          {team.kind === 'unassigned'
            ? `Who is here follows ${managedBy}; the name stays Unassigned.`
            : `Members and reviewer follow the manager chain in ${managedBy}.`}
        </p>
      )}
      {!editing && !(managedBy && team.kind === 'unassigned') && (
        <button type="button" class="button button-small button-quiet" onClick={() => setEditing(true)}>
          Rename
        </button>
      )}
    </article>
  )
}

function personLabel(person: PreviewPerson | null): string {
  if (!person) return 'nobody'
  return person.userId ? person.name : `${person.name} (not invited yet)`
}

function SetupWizard({
  integration,
  preview,
  users,
  onCancel,
  onFinished,
}: {
  integration: Integration
  preview: TeamSyncPreview
  users: Map<string, User>
  onCancel: () => void
  onFinished: () => void
}) {
  const hr = integration.connectorName ?? 'the HR system'
  const [reviewer, setReviewer] = useState<string>(preview.unassigned.reviewer?.userId ?? '')
  const [placements, setPlacements] = useState<Record<string, string>>({})
  const finish = useAction(async () => {
    const chosen = Object.fromEntries(Object.entries(placements).filter(([, key]) => key !== ''))
    await api('POST', `/api/integrations/${encodeURIComponent(integration.id)}/team-sync/finish`, {
      unassignedReviewerUserId: reviewer || null,
      ...(Object.keys(chosen).length > 0 ? { placements: chosen } : {}),
    })
    onFinished()
  })
  const reviewers = [...users.values()].filter((user) => user.status === 'active')
  const appOnly = (person: PreviewPerson) => person.userId !== null && users.get(person.userId)?.link === null
  return (
    <div data-testid="team-sync-setup">
      <PageHeader
        title="Set up team sync"
        subtitle={`These teams come from the manager hierarchy in ${hr}. Nothing changes until you finish.`}
      />
      <ol class="steps">
        <li class="done">Read {hr}</li>
        <li class="current">Review the teams and Unassigned</li>
        <li>Finish</li>
      </ol>
      {preview.deletes.length > 0 && (
        <Notice
          kind="warning"
          title={`Finishing replaces ${plural(preview.deletes.length, 'existing team')}`}
        >
          <p>
            {preview.deletes.map((team) => team.name).join(', ')}. Their reviewers will no longer apply to
            expenses awaiting review.
          </p>
        </Notice>
      )}
      {preview.warnings.length > 0 && (
        <Notice
          kind="warning"
          title={`${plural(preview.warnings.length, 'thing')} to know about the HR data`}
        >
          <ul>
            {preview.warnings.map((warning) => (
              <li key={warning.message}>{warning.message}</li>
            ))}
          </ul>
        </Notice>
      )}
      <h2>{plural(preview.teams.length, 'team')} from managers</h2>
      <div class="team-grid">
        {preview.teams.map((team) => (
          <article class="card team-card" key={team.key}>
            <h3>{team.name}</h3>
            <p class="small">
              <span class="muted">Reviewer: </span>
              {personLabel(team.reviewer)}
            </p>
            {team.reviewerNote && (
              <p class="small reviewer-note" data-testid="reviewer-note">
                {team.reviewerNote}
              </p>
            )}
            <p class="small muted">{plural(team.members.length, 'member')}</p>
            <ul class="member-list">
              {team.members.slice(0, 6).map((member) => (
                <li key={member.remoteId ?? member.userId}>{personLabel(member)}</li>
              ))}
              {team.members.length > 6 && <li class="muted">and {team.members.length - 6} more</li>}
            </ul>
          </article>
        ))}
      </div>
      <section class="card unassigned" data-testid="unassigned-review">
        <h2>Review Unassigned ({preview.unassigned.members.length})</h2>
        <p class="muted">
          People with no manager in {hr}, a manager hrsync cannot find, or a loop in the manager chain, and
          users added in the app. Choose who reviews their expenses; you can place app-only users in a team.
        </p>
        <label class="field">
          <span class="field-label">Reviewer of Unassigned</span>
          <select
            aria-label="Reviewer of Unassigned"
            value={reviewer}
            onChange={(event) => setReviewer((event.target as HTMLSelectElement).value)}
          >
            <option value="">No reviewer</option>
            {reviewers.map((user) => (
              <option key={user.id} value={user.id}>
                {fullName(user)}
              </option>
            ))}
          </select>
        </label>
        <table class="table">
          <thead>
            <tr>
              <th>Person</th>
              <th>Why here</th>
              <th>Team</th>
            </tr>
          </thead>
          <tbody>
            {preview.unassigned.members.map((member) => (
              <tr key={member.remoteId ?? member.userId}>
                <td data-label="Person">
                  {personLabel(member)}
                  {member.email && <span class="muted small block">{member.email}</span>}
                </td>
                <td data-label="Why here">
                  {member.reason ?? (appOnly(member) ? 'Added in the app, not in HR' : 'No manager in HR')}
                </td>
                <td data-label="Team">
                  {appOnly(member) && member.userId ? (
                    <select
                      aria-label={`Team for ${member.name}`}
                      value={placements[member.userId] ?? ''}
                      onChange={(event) =>
                        setPlacements((old) => ({
                          ...old,
                          [member.userId!]: (event.target as HTMLSelectElement).value,
                        }))
                      }
                    >
                      <option value="">Unassigned</option>
                      {preview.teams.map((team) => (
                        <option key={team.key} value={team.key}>
                          {team.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span class="muted">Unassigned</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {finish.error ? <ErrorNotice error={finish.error} /> : null}
      <div class="form-actions sticky-actions">
        <button
          type="button"
          class="button button-primary"
          disabled={finish.busy}
          onClick={() => finish.go()}
        >
          {finish.busy ? 'Finishing…' : 'Finish setup'}
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel setup
        </button>
      </div>
    </div>
  )
}

import { useState } from 'preact/hooks'
import {
  api,
  type CompanyDetail,
  errorMessage,
  type Invitation,
  listUsers,
  type User,
  type UserStatus,
} from '../api.js'
import { formatDay, fullName, plural, STATUS_LABEL } from '../format.js'
import { Badge, ErrorNotice, Loading, Modal, Notice, PageHeader, useAction, useAsync } from '../ui.js'
import { UserAccess } from './user-access.js'

const STATUS_TONE: Record<UserStatus, string> = {
  uninvited: 'neutral',
  invited: 'info',
  active: 'success',
  deactivated: 'danger',
}

function Flags({ user }: { user: User }) {
  return (
    <span class="flags">
      {user.role === 'admin' && <Badge tone="brand">Admin</Badge>}
      {user.flags.returning && <Badge tone="info">Returning</Badge>}
      {user.flags.leavingOn && <Badge tone="warning">Leaving on {formatDay(user.flags.leavingOn)}</Badge>}
      {user.flags.hrEmailDiffers && (
        <Badge tone="warning">
          <span title={user.person?.hrEmail ? `HR email: ${user.person.hrEmail}` : undefined}>
            HR email differs
          </span>
        </Badge>
      )}
      {user.person?.status === 'leave' && <Badge tone="neutral">On leave</Badge>}
      {user.keepAccessUntil && <Badge tone="info">Access kept until {formatDay(user.keepAccessUntil)}</Badge>}
      {user.adminDeactivated && <Badge tone="neutral">Deactivated by an admin</Badge>}
    </span>
  )
}

type Tab = 'all' | 'add'

/** Users and Add people: status, "added via" label, flags, filters, invite, delete app-only users. */
export function UsersPage({ company }: { company: CompanyDetail }) {
  const users = useAsync(() => listUsers(company.id), [company.id])
  const [tab, setTab] = useState<Tab>('all')
  const [status, setStatus] = useState<'' | UserStatus>('')
  const [source, setSource] = useState('')
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [invitations, setInvitations] = useState<Invitation[] | null>(null)
  const [adding, setAdding] = useState(false)
  const [managing, setManaging] = useState<User | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const invite = useAction(async () => {
    const answer = await api<{ invitations: Invitation[] }>(
      'POST',
      `/api/companies/${encodeURIComponent(company.id)}/invitations`,
      { userIds: [...selected] },
    )
    setInvitations(answer.invitations)
    setSelected(new Set())
    users.reload()
  })
  const remove = useAction(async (user: User) => {
    await api('DELETE', `/api/users/${encodeURIComponent(user.id)}`)
    setNotice(`${fullName(user)} was deleted.`)
    users.reload()
  })

  const all = users.data?.users ?? []
  const toAdd = all.filter((user) => user.action !== null)
  const sources = [
    ...new Set(all.map((user) => user.label).filter((label): label is string => label !== null)),
  ]
  const q = query.trim().toLowerCase()
  const shown = (tab === 'add' ? toAdd : all).filter(
    (user) =>
      (!status || user.status === status) &&
      (!source || (source === 'app' ? user.label === null : user.label === source)) &&
      (!q || fullName(user).toLowerCase().includes(q) || user.email.includes(q)),
  )
  const toggle = (id: string) =>
    setSelected((old) => {
      const next = new Set(old)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const selectable = shown.filter((user) => user.action !== null)
  const allSelected = selectable.length > 0 && selectable.every((user) => selected.has(user.id))

  return (
    <>
      <PageHeader
        title="Users"
        subtitle="Everyone in the app. People from the HR system wait on Add people until you invite them: the sync never grants access."
        actions={
          <button type="button" class="button" onClick={() => setAdding(true)}>
            Add a user by hand
          </button>
        }
      />
      <div class="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'all'}
          class={tab === 'all' ? 'active' : ''}
          onClick={() => setTab('all')}
        >
          All users <span class="count">{all.length}</span>
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'add'}
          class={tab === 'add' ? 'active' : ''}
          onClick={() => setTab('add')}
        >
          Add people <span class="count">{toAdd.length}</span>
        </button>
      </div>
      {notice && (
        <Notice kind="success">
          <p>{notice}</p>
        </Notice>
      )}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      {invitations && (
        <InvitationsSent
          invitations={invitations}
          onAccepted={users.reload}
          onClose={() => setInvitations(null)}
        />
      )}
      <div class="toolbar">
        <input
          type="search"
          class="search"
          placeholder="Search name or email"
          aria-label="Search name or email"
          value={query}
          onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
        />
        <label class="inline-field">
          Status
          <select
            aria-label="Filter by status"
            value={status}
            onChange={(event) => setStatus((event.target as HTMLSelectElement).value as UserStatus | '')}
          >
            <option value="">All</option>
            {(Object.keys(STATUS_LABEL) as UserStatus[]).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label class="inline-field">
          Source
          <select
            aria-label="Filter by source"
            value={source}
            onChange={(event) => setSource((event.target as HTMLSelectElement).value)}
          >
            <option value="">All</option>
            {sources.map((label) => (
              <option key={label} value={label}>
                {label.replace(/^added via /, 'Added via ')}
              </option>
            ))}
            <option value="app">Added in the app</option>
          </select>
        </label>
        {selected.size > 0 && (
          <button
            type="button"
            class="button button-primary"
            disabled={invite.busy}
            onClick={() => invite.go()}
          >
            {invite.busy ? 'Inviting…' : `Invite ${plural(selected.size, 'person', 'people')}`}
          </button>
        )}
      </div>
      {invite.error ? <ErrorNotice error={invite.error} /> : null}
      {users.error ? <ErrorNotice error={users.error} onRetry={users.reload} /> : null}
      {!users.data && users.loading && <Loading what="Loading users" />}
      {users.data && shown.length === 0 && (
        <p class="empty">
          {tab === 'add' && toAdd.length === 0
            ? 'Nobody is waiting to be invited.'
            : 'No user matches these filters.'}
        </p>
      )}
      {shown.length > 0 && (
        <table class="table users-table">
          <thead>
            <tr>
              <th class="select-col">
                <input
                  type="checkbox"
                  aria-label="Select everyone who can be invited"
                  checked={allSelected}
                  disabled={selectable.length === 0}
                  onChange={() =>
                    setSelected(allSelected ? new Set() : new Set(selectable.map((user) => user.id)))
                  }
                />
              </th>
              <th>Name</th>
              <th>Status</th>
              <th>Source</th>
              <th>Start date</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((user) => (
              <tr key={user.id} data-email={user.email}>
                <td class="select-col">
                  {user.action && (
                    <input
                      type="checkbox"
                      aria-label={`Select ${fullName(user)}`}
                      checked={selected.has(user.id)}
                      onChange={() => toggle(user.id)}
                    />
                  )}
                </td>
                <td data-label="Name">
                  <strong>{fullName(user)}</strong>
                  <span class="muted small block">{user.email}</span>
                  {user.person?.jobTitle && <span class="muted small block">{user.person.jobTitle}</span>}
                  <Flags user={user} />
                </td>
                <td data-label="Status">
                  <Badge tone={STATUS_TONE[user.status]}>{STATUS_LABEL[user.status]}</Badge>
                </td>
                <td data-label="Source">
                  {user.label ? (
                    user.label.replace(/^added via /, 'Added via ')
                  ) : (
                    <span class="muted">Added in the app</span>
                  )}
                </td>
                <td data-label="Start date">{formatDay(user.person?.startDate)}</td>
                <td class="row-actions">
                  {user.action === 'reactivate' && <span class="muted small block">Can be re-invited</span>}
                  {user.status !== 'uninvited' && (
                    <button
                      type="button"
                      class="button button-small button-quiet"
                      aria-label={`Access of ${fullName(user)}`}
                      onClick={() => setManaging(user)}
                    >
                      Access
                    </button>
                  )}
                  {user.link === null ? (
                    <button
                      type="button"
                      class="button button-small button-quiet"
                      aria-label={`Delete ${fullName(user)}`}
                      disabled={remove.busy}
                      onClick={() => {
                        if (window.confirm(`Delete ${fullName(user)}? They lose access to the app.`))
                          remove.go(user)
                      }}
                    >
                      Delete
                    </button>
                  ) : (
                    <span class="muted small" title="Synced users leave when HR records them as gone">
                      Managed by HR
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {managing && (
        <UserAccess
          user={managing}
          onClose={() => setManaging(null)}
          onChanged={(what) => {
            setManaging(null)
            setNotice(what)
            users.reload()
          }}
        />
      )}
      {adding && (
        <AddUser
          company={company}
          onClose={() => setAdding(false)}
          onAdded={(user) => {
            setAdding(false)
            setNotice(`${fullName(user)} was added.`)
            users.reload()
          }}
        />
      )}
    </>
  )
}

function InvitationsSent({
  invitations,
  onAccepted,
  onClose,
}: {
  invitations: Invitation[]
  onAccepted: () => void
  onClose: () => void
}) {
  const [accepted, setAccepted] = useState<Record<string, string>>({})
  const accept = async (invitation: Invitation) => {
    try {
      await api('POST', `/api/invitations/${encodeURIComponent(invitation.token)}/accept`)
      setAccepted((old) => ({ ...old, [invitation.userId]: 'accepted' }))
      onAccepted()
    } catch (error) {
      setAccepted((old) => ({ ...old, [invitation.userId]: errorMessage(error) }))
    }
  }
  return (
    <section class="card invitations" data-testid="invitations">
      <div class="section-head">
        <h2>{plural(invitations.length, 'invitation')} sent</h2>
        <button type="button" class="button button-small button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <p class="muted small">
        The app emails each person their invitation link. For this demo, open a link here to accept it as that
        person.
      </p>
      <ul class="people-list">
        {invitations.map((invitation) => (
          <li key={invitation.userId} class="invitation-row">
            <span>{invitation.email}</span>
            {accepted[invitation.userId] === 'accepted' ? (
              <Badge tone="success">Accepted</Badge>
            ) : (
              <button type="button" class="button button-small" onClick={() => accept(invitation)}>
                Open invitation link
              </button>
            )}
            {accepted[invitation.userId] && accepted[invitation.userId] !== 'accepted' && (
              <span class="field-error">{accepted[invitation.userId]}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function AddUser({
  company,
  onClose,
  onAdded,
}: {
  company: CompanyDetail
  onClose: () => void
  onAdded: (user: User) => void
}) {
  const [form, setForm] = useState({ email: '', firstName: '', lastName: '', role: 'member' })
  const add = useAction(async () => {
    const user = await api<User>('POST', `/api/companies/${encodeURIComponent(company.id)}/users`, {
      email: form.email,
      firstName: form.firstName || null,
      lastName: form.lastName || null,
      role: form.role,
    })
    onAdded(user)
  })
  const input = (key: keyof typeof form) => (event: Event) =>
    setForm((old) => ({ ...old, [key]: (event.target as HTMLInputElement).value }))
  return (
    <Modal title="Add a user by hand" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault()
          add.go()
        }}
      >
        <p class="muted small">
          For people who are not in the HR system, like an outside bookkeeper. The sync never removes them.
        </p>
        <label class="field">
          <span class="field-label">Email</span>
          <input type="email" required value={form.email} onInput={input('email')} />
        </label>
        <div class="field-row">
          <label class="field">
            <span class="field-label">First name</span>
            <input value={form.firstName} onInput={input('firstName')} />
          </label>
          <label class="field">
            <span class="field-label">Last name</span>
            <input value={form.lastName} onInput={input('lastName')} />
          </label>
        </div>
        <label class="field">
          <span class="field-label">Role</span>
          <select value={form.role} onChange={input('role')}>
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        {add.error ? <ErrorNotice error={add.error} /> : null}
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={add.busy}>
            {add.busy ? 'Adding…' : 'Add user'}
          </button>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  )
}

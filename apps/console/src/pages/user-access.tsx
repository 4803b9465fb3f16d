import { useState } from 'preact/hooks'
import { api, type User } from '../api.js'
import { formatDay, fullName } from '../format.js'
import { ErrorNotice, Modal, useAction } from '../ui.js'

/** What an admin may change on one user ahead of HR (PATCH /api/users/:userId). */
type Override = { status: 'deactivated' } | { role: User['role'] } | { keepAccessUntil: string | null }

/**
 * Admin overrides of one user: deactivate now, change the role, keep a leaver's access until a date.
 * The runner decides (R17, grace periods only for synced users with access) and says why it refuses.
 */
export function UserAccess({
  user,
  onClose,
  onChanged,
}: {
  user: User
  onClose: () => void
  onChanged: (what: string) => void
}) {
  const name = fullName(user)
  const [role, setRole] = useState(user.role)
  const [until, setUntil] = useState(user.keepAccessUntil ?? '')
  const change = useAction(async (override: Override, what: string) => {
    await api('PATCH', `/api/users/${encodeURIComponent(user.id)}`, override)
    onChanged(what)
  })
  const hasAccess = user.status === 'active' || user.status === 'invited'
  return (
    <Modal title={`Access of ${name}`} onClose={onClose}>
      {change.error ? <ErrorNotice error={change.error} /> : null}
      <form
        class="form-actions"
        onSubmit={(event) => {
          event.preventDefault()
          change.go({ role }, `${name} is now ${role === 'admin' ? 'an admin' : 'a member'}.`)
        }}
      >
        <label class="inline-field">
          Role
          <select
            value={role}
            onChange={(event) => setRole((event.target as HTMLSelectElement).value as User['role'])}
          >
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </label>
        <button type="submit" class="button" disabled={change.busy || role === user.role}>
          Change role
        </button>
      </form>
      {user.link !== null && hasAccess && (
        <form
          class="form-actions"
          onSubmit={(event) => {
            event.preventDefault()
            change.go({ keepAccessUntil: until }, `${name} keeps access until ${formatDay(until)}.`)
          }}
        >
          <label class="inline-field">
            Keep access until
            <input
              type="date"
              required
              value={until}
              onInput={(event) => setUntil((event.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" class="button" disabled={change.busy || !until}>
            Keep access
          </button>
          {user.keepAccessUntil && (
            <button
              type="button"
              class="button button-quiet"
              disabled={change.busy}
              onClick={() =>
                change.go({ keepAccessUntil: null }, `${name} leaves as soon as HR records them as gone.`)
              }
            >
              End the grace period
            </button>
          )}
        </form>
      )}
      {user.link !== null && hasAccess && (
        <p class="muted small">
          For a leaver with expenses to file: while HR records them as gone they keep access through this
          date, then the sync removes them.
        </p>
      )}
      {hasAccess && (
        <div class="form-actions">
          <button
            type="button"
            class="button button-danger"
            disabled={change.busy}
            onClick={() => {
              if (window.confirm(`Deactivate ${name} now? HR listing them again gives no access back.`))
                change.go({ status: 'deactivated' }, `${name} was deactivated.`)
            }}
          >
            Deactivate now
          </button>
          <span class="muted small">Ahead of HR: they stay deactivated until you invite them again.</span>
        </div>
      )}
    </Modal>
  )
}

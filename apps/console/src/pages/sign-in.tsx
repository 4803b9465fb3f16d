import { useState } from 'preact/hooks'
import { errorMessage, setToken } from '../api.js'
import { fetchMe } from '../scope.js'

export function SignIn({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    const token = value.trim()
    if (!token) {
      setError('Paste the admin token of this runner, or an API key.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await fetchMe(token)
      setToken(token)
      onSignedIn()
    } catch (caught) {
      setError(
        (caught as { status?: number }).status === 401
          ? 'This token is not the admin token of this runner. No live API key matches it either.'
          : errorMessage(caught),
      )
    } finally {
      setBusy(false)
    }
  }
  return (
    <main class="sign-in">
      <form class="card sign-in-card" onSubmit={submit}>
        <span class="brand">
          <span class="brand-mark" aria-hidden="true" />
          hrsync
        </span>
        <h1>Sign in to the admin console</h1>
        {expired && <p class="notice notice-warning">Your session ended: sign in again.</p>}
        <label class="field">
          <span class="field-label">Admin token or API key</span>
          <input
            type="password"
            name="token"
            autocomplete="off"
            value={value}
            onInput={(event) => setValue((event.target as HTMLInputElement).value)}
            placeholder="hrsync_admin_…"
          />
          <span class="field-help">
            `pnpm start` prints the admin token, with a link that signs you in. An operator key (hrsync_op_…)
            opens every company, a company key (hrsync_co_…) its own. It is kept in this browser tab only.
          </span>
        </label>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}

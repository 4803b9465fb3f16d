import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import {
  api,
  type Company,
  type CompanyDetail,
  clearToken,
  getToken,
  onUnauthorized,
  takeTokenFromFragment,
} from './api.js'
import { PLAN_LABEL } from './format.js'
import { HistoryPage } from './pages/history.js'
import { IntegrationsPage } from './pages/integrations.js'
import { SignIn } from './pages/sign-in.js'
import { TeamsPage } from './pages/teams.js'
import { UsersPage } from './pages/users.js'
import { href } from './routes.js'
import { fetchMe, type Me } from './scope.js'
import { Badge, ErrorNotice, Loading, PageHeader, useAsync } from './ui.js'
import './styles.css'

type Route =
  | { page: 'companies' }
  | { page: 'integrations' | 'users' | 'teams' | 'history'; companyId: string; runId?: string }

function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] === 'c' && parts[1]) {
    const page = parts[2]
    if (page === 'users' || page === 'teams' || page === 'integrations') return { page, companyId: parts[1] }
    if (page === 'history') return { page, companyId: parts[1], ...(parts[3] ? { runId: parts[3] } : {}) }
    return { page: 'integrations', companyId: parts[1] }
  }
  return { page: 'companies' }
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onHash = () => {
      setRoute(parseRoute(window.location.hash))
      window.scrollTo(0, 0)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  return route
}

function CompanyPicker({ onSignOut }: { onSignOut: () => void }) {
  const companies = useAsync(() => api<{ companies: Company[] }>('GET', '/api/companies'), [])
  return (
    <div class="picker">
      <header class="picker-head">
        <span class="brand">
          <span class="brand-mark" aria-hidden="true" />
          hrsync
        </span>
        <button type="button" class="button button-quiet" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        <PageHeader
          title="Choose a company"
          subtitle="This runner keeps the people and teams of these companies in step with their HR systems."
        />
        {companies.error ? <ErrorNotice error={companies.error} onRetry={companies.reload} /> : null}
        {!companies.data && companies.loading && <Loading what="Loading companies" />}
        {companies.data && companies.data.companies.length === 0 && (
          <div class="empty">
            <p>No companies yet.</p>
            <p class="muted">Companies are created by the app through the admin API (POST /api/companies).</p>
          </div>
        )}
        <ul class="company-list">
          {companies.data?.companies.map((company) => (
            <li key={company.id}>
              <a class="company-card" href={href(company.id, 'integrations')}>
                <span class="company-initial" aria-hidden="true">
                  {company.name.slice(0, 1).toUpperCase()}
                </span>
                <span class="company-text">
                  <strong>{company.name}</strong>
                  <span class="muted">{company.timeZone}</span>
                </span>
                <Badge tone={company.plan === 'advanced' || company.plan === 'beyond' ? 'brand' : 'neutral'}>
                  {PLAN_LABEL[company.plan] ?? company.plan} plan
                </Badge>
              </a>
            </li>
          ))}
        </ul>
      </main>
    </div>
  )
}

const NAV: Array<{ page: 'integrations' | 'users' | 'teams' | 'history'; label: string }> = [
  { page: 'integrations', label: 'Integrations' },
  { page: 'users', label: 'Users' },
  { page: 'teams', label: 'Team sync' },
  { page: 'history', label: 'Sync history' },
]

function CompanyShell({
  route,
  me,
  onSignOut,
}: {
  route: Exclude<Route, { page: 'companies' }>
  me: Me
  onSignOut: () => void
}) {
  const company = useAsync(
    () => api<CompanyDetail>('GET', `/api/companies/${encodeURIComponent(route.companyId)}`),
    [route.companyId],
  )
  const [menuOpen, setMenuOpen] = useState(false)
  useEffect(() => setMenuOpen(false), [route.page, route.companyId])
  const detail = company.data
  return (
    <div class="shell">
      <aside class={`sidebar${menuOpen ? ' open' : ''}`}>
        <div class="sidebar-top">
          <a class="brand" href={me.companyId ? href(me.companyId, 'integrations') : '#/'}>
            <span class="brand-mark" aria-hidden="true" />
            hrsync
          </a>
          <button
            type="button"
            class="icon-button menu-toggle"
            aria-label="Menu"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(!menuOpen)}
          >
            ☰
          </button>
        </div>
        <div class="sidebar-company">
          <span class="muted small">Company</span>
          <strong data-testid="company-name">{detail?.name ?? '…'}</strong>
          {detail && <span class="small muted">{PLAN_LABEL[detail.plan] ?? detail.plan} plan</span>}
        </div>
        <nav aria-label="Sections">
          <span class="nav-group">Settings</span>
          {NAV.map((item) => (
            <a
              key={item.page}
              href={href(route.companyId, item.page)}
              class={route.page === item.page ? 'active' : ''}
              aria-current={route.page === item.page ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        <div class="sidebar-foot">
          {me.companyId ? (
            <span class="small" data-testid="company-key">
              Signed in with the company key “{me.key.name}”
            </span>
          ) : (
            <a href="#/">Switch company</a>
          )}
          <button type="button" class="link-button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main class="content">
        {company.error && !detail ? <ErrorNotice error={company.error} onRetry={company.reload} /> : null}
        {!detail && company.loading && <Loading what="Loading the company" />}
        {detail && route.page === 'integrations' && (
          <IntegrationsPage company={detail} onChanged={company.reload} />
        )}
        {detail && route.page === 'users' && <UsersPage company={detail} />}
        {detail && route.page === 'teams' && <TeamsPage company={detail} onChanged={company.reload} />}
        {detail && route.page === 'history' && <HistoryPage company={detail} runId={route.runId} />}
      </main>
    </div>
  )
}

function App() {
  const [token, setTokenState] = useState(() => {
    takeTokenFromFragment()
    return getToken()
  })
  const [expired, setExpired] = useState(false)
  const route = useRoute()
  useEffect(() => {
    // a `#token=…` link opened in a tab that is already on the console
    const onHash = () => {
      if (takeTokenFromFragment()) {
        setExpired(false)
        setTokenState(getToken())
      }
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  useEffect(
    () =>
      onUnauthorized(() => {
        clearToken()
        setExpired(true)
        setTokenState(null)
      }),
    [],
  )
  const signOut = () => {
    clearToken()
    setExpired(false)
    setTokenState(null)
  }
  if (!token)
    return (
      <SignIn
        expired={expired}
        onSignedIn={() => {
          setExpired(false)
          setTokenState(getToken())
        }}
      />
    )
  return <SignedIn route={route} onSignOut={signOut} />
}

/** The console for the signed-in key: a company key opens its own company, never the chooser. */
function SignedIn({ route, onSignOut }: { route: Route; onSignOut: () => void }) {
  const me = useAsync(() => fetchMe(), [])
  const own = me.data?.companyId
  const elsewhere = own && (route.page === 'companies' || route.companyId !== own)
  useEffect(() => {
    if (own && elsewhere) window.location.replace(href(own, 'integrations'))
  }, [own, elsewhere])
  if (me.error && !me.data) return <ErrorNotice error={me.error} onRetry={me.reload} />
  if (!me.data || elsewhere) return <Loading what="Signing in" />
  if (route.page === 'companies') return <CompanyPicker onSignOut={onSignOut} />
  return <CompanyShell route={route} me={me.data} onSignOut={onSignOut} />
}

const root = document.getElementById('app')
if (root) render(<App />, root)

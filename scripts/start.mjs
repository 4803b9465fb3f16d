// `pnpm start`: the runner on the embedded default (PGlite in ./.hrsync) with every workspace
// connector loaded. On first start it creates a demo company on the Beyond plan, connects it to the
// csv connector with examples/demo-org.csv and runs its first sync, all through the admin API.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// checked before the build: an older Node fails deep inside it with errors that do not say why
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `hrsync needs Node.js 22.12 or newer (24 recommended); this is ${process.versions.node}.\n` +
      'Install it with a version manager, which reads .nvmrc / .node-version in this folder:\n' +
      '  nvm install && nvm use        (or: fnm use --install-if-missing, or: volta install node@24)\n' +
      'then enable the pnpm this repository names and start again:\n' +
      '  corepack enable && pnpm install && pnpm start',
  )
  process.exit(1)
}
try {
  execFileSync('pnpm', ['--silent', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    stdio: 'inherit',
  })
} catch {
  console.error('hrsync: the build failed (its errors are above); run `pnpm install` first if you have not')
  process.exit(1)
}
const { startRunner } = await import('../apps/runner/dist/index.js')

const DEMO_NAME = 'Acme Demo'
const APP_USERS = [
  {
    email: 'margit.lindqvist@acme.example.com',
    firstName: 'Margit',
    lastName: 'Lindqvist',
    role: 'admin',
    status: 'active',
  },
  {
    email: 'anna.becker@acme.example.com',
    firstName: 'Anna',
    lastName: 'Becker',
    role: 'admin',
    status: 'active',
  },
  { email: 'elif.garcia@acme.example.com', firstName: 'Elif', lastName: 'García', status: 'active' },
  { email: 'david.dubois@acme.example.com', firstName: 'David', lastName: 'Dubois', status: 'active' },
  { email: 'bookkeeper@outside-firm.example.com', firstName: 'Pat', lastName: 'Outside', status: 'active' },
]
const demoExport = fileURLToPath(new URL('../examples/demo-org.csv', import.meta.url))

const runner = await startRunner({ logger: process.env.HRSYNC_LOG_LEVEL ?? 'warn' })
// the csv connector reads only the runner's import folder: the demo export is copied there on each start
mkdirSync(runner.services.importDir, { recursive: true })
copyFileSync(demoExport, join(runner.services.importDir, 'demo-org.csv'))

async function api(method, path, body) {
  const response = await fetch(`${runner.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${runner.adminToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const answer = response.status === 204 ? null : await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${answer?.error?.message ?? response.status}`)
  return answer
}

async function demoCompany() {
  const { companies } = await api('GET', '/api/companies')
  const existing = companies.find((c) => c.name === DEMO_NAME)
  if (existing) {
    const { integrations } = await api('GET', `/api/companies/${existing.id}`)
    return { company: existing, integrationId: integrations[0]?.id, firstStart: false }
  }
  const company = await api('POST', '/api/companies', {
    name: DEMO_NAME,
    plan: 'beyond',
    timeZone: 'Europe/Copenhagen',
  })
  // People who used the app before HR was connected: the sync links them by work email.
  for (const user of APP_USERS) await api('POST', `/api/companies/${company.id}/users`, user)
  const { integration } = await api('POST', `/api/companies/${company.id}/integrations`, {
    connector: 'csv',
    config: { path: 'demo-org.csv' },
    // the demo applies its first sync at once; a real connection starts in review
    autoApply: true,
  })
  await api('POST', `/api/integrations/${integration.id}/sync`)
  return { company, integrationId: integration.id, firstStart: true }
}

try {
  const { company, integrationId, firstStart } = await demoCompany()
  const { users } = await api('GET', `/api/companies/${company.id}/users`)
  const linked = users.filter((u) => u.label !== null).length
  const toInvite = users.filter((u) => u.status === 'uninvited').length
  const { runs } = integrationId ? await api('GET', `/api/integrations/${integrationId}/runs`) : { runs: [] }
  const last = runs[0] ? await api('GET', `/api/runs/${runs[0].id}`) : null
  console.log('')
  console.log(`hrsync is running at ${runner.url}`)
  console.log(`  admin console:  ${runner.url}/#token=${encodeURIComponent(runner.adminToken)}`)
  console.log(`  admin API docs: ${runner.url}/docs`)
  console.log(`  admin token:    ${runner.adminToken}`)
  console.log('')
  console.log(
    `Demo company "${company.name}" (${company.id})${firstStart ? ': created and synced from examples/demo-org.csv' : ''}`,
  )
  console.log(`  users linked to HR: ${linked} (of ${users.length} users)`)
  console.log(`  app-only users (never touched by the sync): ${users.length - linked}`)
  console.log(`  waiting on Add people (to invite): ${toInvite}`)
  console.log(`  warnings in the last sync: ${last?.warnings?.length ?? 0}`)
  for (const warning of (last?.warnings ?? []).slice(0, 5)) console.log(`    - ${warning.message}`)
  console.log('')
  console.log(
    `Try: curl -H "Authorization: Bearer ${runner.adminToken}" ${runner.url}/api/companies/${company.id}/users`,
  )
  console.log('Press Ctrl-C to stop.')
} catch (error) {
  console.error(`hrsync could not set up the demo company: ${error.message}`)
  await runner.close()
  process.exit(1)
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await runner.close()
    process.exit(0)
  })
}

// One planner measurement in a process of its own, so its peak RSS is its own.
// argv: <persons>  — prints one JSON line { persons, changes, ms, peakRssMb }
import { DEFAULT_MASS_REMOVAL, employee, plan } from '../packages/core/dist/index.js'

const size = Number(process.argv[2])
const INTEGRATION = 'hr1'
const NOW = new Date('2025-06-15T12:00:00Z')
const settings = {
  integrationId: INTEGRATION,
  timeZone: 'Europe/Berlin',
  teamSync: false,
  massRemoval: { ...DEFAULT_MASS_REMOVAL },
}

function person(i) {
  const id = `p${i}`
  return employee({
    remoteId: id,
    status: 'active',
    email: `${id}@acme.test`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    managerRemoteId: i === 0 ? null : `p${Math.floor((i - 1) / 8)}`,
    department: `Dept ${i % 40}`,
    jobTitle: `Title ${i % 25}`,
    startDate: '2020-01-01',
  })
}

// the directory in step with the HR list: one run of the planner on an empty directory, applied
const base = Array.from({ length: size }, (_, i) => person(i))
const first = plan(
  { integrationId: INTEGRATION, source: 'Bench', complete: true, employees: base },
  { users: [], teams: [] },
  settings,
  NOW,
)
if (!first.ok) throw new Error(`setup plan failed: ${first.failure}`)
let n = 0
const users = []
for (const change of first.changes) {
  if (change.kind !== 'create_user') continue
  users.push({
    id: `u${n++}`,
    email: change.email,
    firstName: change.firstName,
    lastName: change.lastName,
    status: 'active',
    role: 'member',
    link: { integrationId: INTEGRATION, remoteId: change.remoteId },
    origin: 'hr',
    person: change.person,
    pinnedTeamKey: null,
  })
}
const directory = { users, teams: [] }

// 1 % changed: every 100th person gets a new job title
const employees = base.map((p, i) => (i % 100 === 7 ? { ...p, jobTitle: `${p.jobTitle} (senior)` } : p))
const snapshot = { integrationId: INTEGRATION, source: 'Bench', complete: true, employees }

globalThis.gc?.()
const rssBefore = process.memoryUsage().rss
let best = Number.POSITIVE_INFINITY
let changes = 0
const rounds = size >= 1_000_000 ? 3 : size >= 100_000 ? 5 : 20
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now()
  const result = plan(snapshot, directory, settings, NOW)
  const ms = performance.now() - t0
  if (!result.ok) throw new Error(`plan failed: ${result.failure}`)
  changes = result.changes.length
  best = Math.min(best, ms)
}
const peakRssMb = process.resourceUsage().maxRSS / 1024
console.log(
  JSON.stringify({
    persons: size,
    changes,
    ms: Math.round(best * 10) / 10,
    peakRssMb: Math.round(peakRssMb),
    baselineRssMb: Math.round(rssBefore / 1024 / 1024),
  }),
)

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

// The directory in step with the HR list, as the store would load it after earlier runs: every
// person linked to a user holding their last record. (The first measured round checks it: only
// the 1 % changed below may give changes.)
const base = Array.from({ length: size }, (_, i) => person(i))
const users = base.map((p, n) => ({
  id: `u${n}`,
  email: p.email,
  firstName: p.firstName,
  lastName: p.lastName,
  status: 'active',
  role: n === 0 ? 'admin' : 'member',
  link: { integrationId: INTEGRATION, remoteId: p.remoteId },
  origin: 'hr',
  person: {
    status: p.status,
    hrEmail: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    department: p.department,
    jobTitle: p.jobTitle,
    managerRemoteId: p.managerRemoteId,
    startDate: p.startDate,
    terminationDate: p.terminationDate,
  },
  pinnedTeamKey: null,
}))
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
  if (changes !== Math.ceil((size - 7) / 100))
    throw new Error(`expected only the changed persons, got ${changes} changes`)
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

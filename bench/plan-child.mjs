// One planner measurement in a process of its own, so its peak RSS is its own.
// argv: <persons> [teams] — prints one JSON line { persons, changes, ms, peakRssMb }. With `teams`,
// team sync is on: the first plan of team sync (every team created, `firstMs`) is measured, then the
// usual 1 % change against the teams it made (`ms`).
import {
  DEFAULT_MASS_REMOVAL,
  employee,
  plan,
  UNASSIGNED_TEAM_KEY,
  userRefKey,
} from '../packages/core/dist/index.js'

const size = Number(process.argv[2])
const withTeams = process.argv[3] === 'teams'
const INTEGRATION = 'hr1'
const NOW = new Date('2025-06-15T12:00:00Z')
const settings = {
  integrationId: INTEGRATION,
  timeZone: 'Europe/Berlin',
  teamSync: withTeams,
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
const measure = (label, rounds, snapshot, check) => {
  let best = Number.POSITIVE_INFINITY
  let result
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now()
    result = plan(snapshot, directory, settings, NOW)
    const ms = performance.now() - t0
    if (!result.ok) throw new Error(`${label} plan failed: ${result.failure}`)
    check(result)
    best = Math.min(best, ms)
  }
  return { best, result }
}

// 1 % changed: every 100th person gets a new job title
const employees = base.map((p, i) => (i % 100 === 7 ? { ...p, jobTitle: `${p.jobTitle} (senior)` } : p))
const snapshot = { integrationId: INTEGRATION, source: 'Bench', complete: true, employees }

globalThis.gc?.()
const rssBefore = process.memoryUsage().rss
const rounds = size >= 1_000_000 ? 3 : size >= 100_000 ? 5 : 20
let firstMs
if (withTeams) {
  // the first plan with team sync: one team per manager and Unassigned, every one created
  const managers = Math.ceil((size - 1) / 8)
  const first = measure('first team', Math.max(2, rounds - 1), { ...snapshot, employees: base }, (r) => {
    if (r.changes.length !== managers + 1) throw new Error(`expected ${managers + 1} new teams`)
  })
  firstMs = first.best
  directory.teams = first.result.changes.map((change, n) => ({
    id: `t${n}`,
    name: change.name,
    kind: change.key === UNASSIGNED_TEAM_KEY ? 'unassigned' : 'synced',
    key: change.key,
    nameOverridden: false,
    reviewerUserId: change.reviewer === null ? null : userRefKey(change.reviewer),
    memberUserIds: change.members.map(userRefKey),
  }))
}
// 1 % changed (a job title): only those persons give changes, with or without teams
const { best, result } = measure('changed', rounds, snapshot, (r) => {
  if (r.changes.length !== Math.ceil((size - 7) / 100))
    throw new Error(`expected only the changed persons, got ${r.changes.length} changes`)
})
const peakRssMb = process.resourceUsage().maxRSS / 1024
const round = (ms) => (ms === undefined ? undefined : Math.round(ms * 10) / 10)
console.log(
  JSON.stringify({
    persons: size,
    teamSync: withTeams,
    ...(withTeams ? { teams: directory.teams.length, firstMs: round(firstMs) } : {}),
    changes: result.changes.length,
    ms: round(best),
    peakRssMb: Math.round(peakRssMb),
    baselineRssMb: Math.round(rssBefore / 1024 / 1024),
  }),
)

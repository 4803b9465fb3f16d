// A simulated vendor per connector family, for the scheduling benchmark on real vendor behaviour.
// argv: <compression> [unpaced]. Every request is answered after a latency drawn from a lognormal (median
// 150 ms, p95 500 ms), over a company's documented limit it is answered 429 at once with
// Retry-After (and Remote's x-ratelimit-reset); latencies and windows are divided by the compression.
// A company's account is "<id>-<people>" in the path: /<family>/<account>/…. Prints "listening <port>".
import { createServer } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { FAMILIES } from './vendor-families.mjs'

const compression = Number(process.argv[2] ?? 1)
// argv[3] "unpaced": no latency and no limits, to seed the directories before the measured cycle
const unpaced = process.argv[3] === 'unpaced'
// lognormal: median 150 ms, p95 500 ms (σ = ln(500/150) / 1.645)
const SIGMA = Math.log(500 / 150) / 1.645
const latencyMs = () => {
  const gauss = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random())
  return (150 * Math.exp(SIGMA * gauss)) / compression
}
const JITTER_MS = 20 / compression
const accepted = new Map()

/** ms until the request may go, or 0 when it is within the company's limits (then it is counted). */
function waitMs(family, account, now) {
  const limits = FAMILIES[family].limits
  if (unpaced || limits.length === 0) return 0
  const key = `${family}/${account}`
  const times = accepted.get(key) ?? []
  accepted.set(key, times)
  for (const { requests, seconds } of limits) {
    const windowMs = (seconds * 1000) / compression
    const earlier = times[times.length - requests]
    if (earlier !== undefined && now - earlier < windowMs - JITTER_MS) return earlier + windowMs - now
  }
  times.push(now)
  if (times.length > 1000) times.splice(0, times.length - 500)
  return 0
}

const ids = (from, to) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i + 1)
// the answers, in each family's shape as the bench connector reads it (ids only; people are built there)
function answer(family, people, path, query) {
  const page = Number(query.get('page') ?? 0)
  switch (family) {
    case 'personio': {
      if (path === 'v1/auth') return { data: { token: 'sim' } }
      const offset = Number(query.get('offset') ?? 0)
      const limit = Number(query.get('limit') ?? 100)
      return { metadata: { total_elements: people }, data: ids(offset, Math.min(people, offset + limit)) }
    }
    case 'hibob': {
      const batch = query.get('batch')
      if (batch === null) return { employees: ids(0, people) }
      const from = Number(batch) * 50
      return { employees: ids(from, Math.min(people, from + 50)) }
    }
    case 'bamboohr':
      return {
        data: ids(page * 1000, Math.min(people, (page + 1) * 1000)),
        pagination: { total_pages: Math.ceil(people / 1000) },
      }
    case 'remote': {
      if (path === 'v1/offboardings') {
        const gone = Math.ceil(people / 10)
        return {
          data: {
            offboardings: ids(page * 100, Math.min(gone, (page + 1) * 100)),
            total_pages: Math.ceil(gone / 100),
          },
        }
      }
      const detail = /^v1\/employments\/(\d+)$/.exec(path)
      if (detail) return { data: { employment: { id: Number(detail[1]) } } }
      return {
        data: {
          employments: ids(page * 100, Math.min(people, (page + 1) * 100)),
          total_pages: Math.ceil(people / 100),
        },
      }
    }
  }
}

// how late the simulator itself answers: its event loop's delay, and the requests it served
const lag = monitorEventLoopDelay({ resolution: 20 })
lag.enable()
let served = 0
const startedAt = performance.now()

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        requestsPerS: Math.round(served / ((performance.now() - startedAt) / 1000)),
        lagMsMean: Math.round(lag.mean / 1e5) / 10,
        lagMsP99: Math.round(lag.percentile(99) / 1e5) / 10,
      }),
    )
    return
  }
  served++
  const [, family, account, ...rest] = url.pathname.split('/')
  const people = Number(account?.split('-')[1])
  if (!FAMILIES[family] || !(people >= 0)) {
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end('{"message":"not found"}')
    return
  }
  req.resume()
  const wait = waitMs(family, account, performance.now())
  if (wait > 0) {
    res.writeHead(429, {
      'content-type': 'application/json',
      'retry-after': (wait / 1000).toFixed(3),
      'x-ratelimit-reset': String(Math.ceil(wait)),
    })
    res.end('{"message":"Too many requests"}')
    return
  }
  const body = JSON.stringify(answer(family, people, rest.join('/'), url.searchParams))
  setTimeout(
    () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(body)
    },
    unpaced ? 0 : latencyMs(),
  )
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

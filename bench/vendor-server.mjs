// A local HTTP server answering Personio-shaped employee pages (GET /v1/company/employees?limit&offset).
// argv: <persons> [latency ms] [limits]. Prints "listening <port>" once ready. Pages are built once,
// then served as bytes. With a latency, each page is answered that long after it arrived; with limits
// ("300/60,15/1": at most 300 requests in any 60 s and 15 in any second, Personio's), a request over
// one is answered 429 at once. GET /stats: { requests, throttled }.
import { createServer } from 'node:http'
import { overLimit, parseLimits } from './limits.mjs'

const total = Number(process.argv[2] ?? 20000)
const latencyMs = Number(process.argv[3] ?? 0)
const limits = parseLimits(process.argv[4] ?? '')
const accepted = []
const stats = { requests: 0, throttled: 0 }
const attr = (key, value) => ({ label: key, value, type: 'standard', universal_id: key })
const record = (i) => ({
  type: 'Employee',
  attributes: {
    id: attr('id', i + 1),
    first_name: attr('first_name', `First${i}`),
    last_name: attr('last_name', `Last${i}`),
    email: attr('email', `person${i}@acme.test`),
    status: attr('status', i % 50 === 0 ? 'leave' : 'active'),
    position: attr('position', `Title ${i % 25}`),
    supervisor: attr(
      'supervisor',
      i === 0 ? null : { type: 'Employee', attributes: { id: attr('id', Math.floor((i - 1) / 8) + 1) } },
    ),
    department: attr('department', {
      type: 'Department',
      attributes: { id: i % 40, name: `Dept ${i % 40}` },
    }),
    hire_date: attr('hire_date', '2020-01-07T00:00:00+01:00'),
    termination_date: attr('termination_date', null),
  },
})
const people = Array.from({ length: total }, (_, i) => record(i))
const cache = new Map()
const page = (offset, limit) => {
  const key = `${offset}:${limit}`
  let body = cache.get(key)
  if (!body) {
    body = Buffer.from(
      JSON.stringify({
        success: true,
        metadata: {
          total_elements: total,
          current_page: Math.floor(offset / limit),
          total_pages: Math.ceil(total / limit),
        },
        offset,
        limit,
        data: people.slice(offset, offset + limit),
      }),
    )
    cache.set(key, body)
  }
  return body
}
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  if (url.pathname === '/v1/company/employees') {
    stats.requests++
    if (overLimit(limits, accepted, performance.now())) {
      stats.throttled++
      res.writeHead(429, { 'content-type': 'application/json' })
      res.end('{"success":false,"error":{"message":"Too many requests"}}')
      return
    }
    const body = page(
      Number(url.searchParams.get('offset') ?? 0),
      Number(url.searchParams.get('limit') ?? 100),
    )
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
      res.end(body)
    }
    if (latencyMs > 0) setTimeout(answer, latencyMs)
    else answer()
    return
  }
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(stats))
    return
  }
  res.writeHead(404, { 'content-type': 'application/json' })
  res.end('{"success":false}')
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

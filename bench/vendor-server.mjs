// A local HTTP server answering Personio-shaped employee pages (GET /v1/company/employees?limit&offset).
// argv: <persons>. Prints "listening <port>" once ready. Pages are built once, then served as bytes.
import { createServer } from 'node:http'

const total = Number(process.argv[2] ?? 20000)
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
    const body = page(
      Number(url.searchParams.get('offset') ?? 0),
      Number(url.searchParams.get('limit') ?? 100),
    )
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
    res.end(body)
    return
  }
  res.writeHead(404, { 'content-type': 'application/json' })
  res.end('{"success":false}')
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))

// A small load loop: <connections> keep-alive connections sending requests back to back for <seconds>.
// argv: <port> <patch|get> <connections> <seconds> [ids json file]. Prints { requests, rps, p50, p99, errors }.
import { readFileSync } from 'node:fs'
import http from 'node:http'

const [port, kind, connections, seconds, idsFile] = process.argv.slice(2)
// the ids file holds the user ids, or { token, ids } for a runner with its own SCIM token
const seeded = idsFile ? JSON.parse(readFileSync(idsFile, 'utf8')) : ['x']
const ids = Array.isArray(seeded) ? seeded : seeded.ids
const token = Array.isArray(seeded) ? 'bench-token' : seeded.token
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) })
const latencies = []
let errors = 0
const statuses = {}
let stop = false
let n = 0
const send = () =>
  new Promise((resolve) => {
    const i = n++
    const id = ids[i % ids.length]
    const patch = kind === 'patch'
    const body = patch
      ? JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'name.givenName', value: `G${i}` }],
        })
      : undefined
    const path = patch
      ? `/scim/v2/Users/${id}`
      : `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "user${i % 1000}@acme.test"`)}`
    const t0 = performance.now()
    const req = http.request(
      {
        host: '127.0.0.1',
        port: Number(port),
        method: patch ? 'PATCH' : 'GET',
        path,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body
            ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => {
          latencies.push(performance.now() - t0)
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
          if (res.statusCode >= 300) errors++
          resolve()
        })
      },
    )
    req.on('error', () => {
      errors++
      resolve()
    })
    req.end(body)
  })
const worker = async () => {
  while (!stop) await send()
}
const t0 = performance.now()
setTimeout(() => {
  stop = true
}, Number(seconds) * 1000)
await Promise.all(Array.from({ length: Number(connections) }, worker))
const elapsed = (performance.now() - t0) / 1000
latencies.sort((a, b) => a - b)
const pct = (p) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10
agent.destroy()
console.log(
  JSON.stringify({
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50: pct(0.5),
    p99: pct(0.99),
    errors,
    statuses,
  }),
)

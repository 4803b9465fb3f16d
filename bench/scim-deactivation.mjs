// argv: <pglite|postgres> [samples]. The time from an identity provider's SCIM PATCH `active: false` to the
// active person showing as deactivated in the admin API, through the runner's coalesced push sync at its
// default window, measured once per person.
import { startRunner } from '../apps/runner/dist/index.js'
import okta from '../apps/runner/node_modules/@hrsync/connector-okta/dist/index.js'
import pg from '../apps/runner/node_modules/pg/lib/index.js'
import { benchSchema, benchStore, DATABASE_URL, median, scimUserBody } from './lib.mjs'

const [engine = 'postgres', samples = '5'] = process.argv.slice(2)
const schema = benchSchema()
const runner = await startRunner({
  ...benchStore(engine, schema),
  host: '127.0.0.1',
  port: 0,
  scheduler: false,
  discoverPlugins: false,
  connectors: [okta],
  logger: false,
})
const call = async (url, method, token, body, type = 'application/json') => {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const answer = await response.json()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(answer)}`)
  return answer
}
const admin = (method, path, body) => call(`${runner.url}${path}`, method, runner.adminToken, body)
try {
  const company = await admin('POST', '/api/companies', { name: 'Bench', plan: 'advanced', timeZone: 'UTC' })
  const { scim } = await admin('POST', `/api/companies/${company.id}/integrations`, {
    connector: 'okta',
    config: {},
  })
  const scimCall = (method, path, body) =>
    call(`${scim.baseUrl}${path}`, method, scim.token, body, 'application/scim+json')
  const ids = []
  for (let i = 0; i < Number(samples); i++) ids.push((await scimCall('POST', '/Users', scimUserBody(i))).id)
  await runner.services.pushSyncs.idle()
  const users = async () => (await admin('GET', `/api/companies/${company.id}/users`)).users
  const pushed = await users()
  const invited = await admin('POST', `/api/companies/${company.id}/invitations`, {
    userIds: pushed.map((user) => user.id),
  })
  for (const invitation of invited.invitations) {
    const accepted = await fetch(`${runner.url}/api/invitations/${invitation.token}/accept`, {
      method: 'POST',
    })
    if (!accepted.ok) throw new Error(`accepting an invitation: ${accepted.status}`)
  }
  const ms = []
  for (let i = 0; i < ids.length; i++) {
    const email = `user${i}@acme.test`
    const started = performance.now()
    await scimCall('PATCH', `/Users/${ids[i]}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    })
    for (;;) {
      if ((await users()).find((user) => user.email === email)?.status === 'deactivated') break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    ms.push(Math.round(performance.now() - started))
  }
  console.log(JSON.stringify({ engine, samples: ms.length, medianMs: median(ms), maxMs: Math.max(...ms) }))
} finally {
  await runner.close()
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: DATABASE_URL })
    await client.connect()
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.end()
  }
}

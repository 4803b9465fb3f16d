// argv: scim | floor [file to write the user ids to]. scim: @hrsync/scim's plugin on fastify with its MemoryScimStore and 1,000 users
// floor: a bare fastify route answering a fixed body. The runner itself: scim-runner-server.mjs.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { MemoryScimStore, scimRoutes } from '../packages/scim/dist/index.js'
import { scimUserBody } from './lib.mjs'

const require = createRequire(new URL('../packages/scim/package.json', import.meta.url))
const Fastify = require('fastify')
const mode = process.argv[2] ?? 'scim'
const app = Fastify({ logger: false })
if (mode === 'floor') {
  const body = JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: 'x',
    active: true,
  })
  // SCIM bodies are read as JSON, as any JSON route reads its body; the answer is fixed
  app.addContentTypeParser(
    'application/scim+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
  app.all('/*', async (_req, reply) => reply.type('application/scim+json').send(body))
} else {
  const store = new MemoryScimStore()
  await app.register(scimRoutes, {
    prefix: '/scim/v2',
    store,
    authenticate: async (token) => (token === 'bench-token' ? { integrationId: 'int1' } : null),
    onChange: () => {},
    baseUrl: 'http://127.0.0.1/scim/v2',
  })
  // 1,000 users, created as Okta creates them
  const ids = []
  for (let i = 0; i < 1000; i++) {
    const response = await app.inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: 'Bearer bench-token', 'content-type': 'application/scim+json' },
      payload: scimUserBody(i),
    })
    if (response.statusCode !== 201) throw new Error(`seeding failed: ${response.body}`)
    ids.push(response.json().id)
  }
  if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(ids))
}
await app.listen({ host: '127.0.0.1', port: 0 })
console.log(`listening ${app.server.address().port}`)
process.on('SIGTERM', () => app.close().then(() => process.exit(0)))

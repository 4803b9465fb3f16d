import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { defineConnector, employee } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnv } from '../src/config.js'
import { withExtraAllowedHosts } from '../src/plugins/hosts.js'
import { type ConnectorRegistry, loadPlugins } from '../src/plugins/index.js'
import { type TestRunner, testRunner } from './support/runner.js'

// A vendor that hands each customer its own API root and publishes none (as Fourth does); the customer's root
// is served here on 127.0.0.1, which only the operator can allow.
const ownRoot = defineConnector({
  id: 'own-root-hr',
  name: 'Own Root HR',
  apiVersion: 1,
  mode: 'pull',
  config: Type.Object({ rootUrl: Type.String({ pattern: '^https?://' }) }),
  allowedHosts: ['*.own-root.example'],
  allowedHostsExtensible: true,
  baseUrl: (config) => config.rootUrl,
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'none',
      statuses: ['active'],
      incremental: false,
    },
  },
  async checkConnection(ctx) {
    await ctx.http.request({ url: '/people' })
  },
  async *listEmployees(ctx) {
    const { body } = await ctx.http.request<Array<{ id: string; email: string }>>({ url: '/people' })
    yield body.map((p) => employee({ remoteId: p.id, email: p.email, status: 'active' }))
  },
})
const publishedHosts = defineConnector({
  ...ownRoot,
  id: 'published-hr',
  name: 'Published HR',
  allowedHostsExtensible: false,
})

let server: Server
let rootUrl: string
let registry0: ConnectorRegistry
const runners: TestRunner[] = []

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify([{ id: '1', email: 'ada@example.com' }]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  registry0 = await loadPlugins({ builtin: [ownRoot, publishedHosts], discover: false, coreVersion: '1.0.0' })
})

afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.close()))
  server?.close()
})

async function connect(env: NodeJS.ProcessEnv) {
  const t = await testRunner({ connectors: [ownRoot, publishedHosts], env })
  runners.push(t)
  const company = await t.call<{ id: string }>('POST', '/api/companies', {
    name: 'Own Root Co',
    plan: 'beyond',
    timeZone: 'Europe/London',
  })
  return t.call<{ integration?: { id: string }; error?: { code: string; message: string } }>(
    'POST',
    `/api/companies/${company.body.id}/integrations`,
    { connector: 'own-root-hr', config: { rootUrl } },
  )
}

describe('issue 23: an operator extends the allowed hosts of a connector whose vendor publishes none', () => {
  it('a customer root outside the published hosts is refused without the operator’s extension', async () => {
    const refused = await connect({})
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatchObject({ code: 'host_not_allowed' })
  })

  it('HRSYNC_ALLOWED_HOSTS_<CONNECTOR_ID> lets every customer of the deployment use that root', async () => {
    const connected = await connect({ HRSYNC_ALLOWED_HOSTS_OWN_ROOT_HR: ' 127.0.0.1 , *.hr.example.org' })
    expect(connected.status).toBe(201)
  })

  it('reads the variable per connector id, hyphens written as underscores', () => {
    expect(
      readEnv({ HRSYNC_ALLOWED_HOSTS_OWN_ROOT_HR: 'a.example.com,*.b.example.com' }).extraAllowedHosts,
    ).toEqual({
      'own-root-hr': ['a.example.com', '*.b.example.com'],
    })
  })

  it('a runner given a host for a connector that takes none refuses to start', async () => {
    const env = { HRSYNC_ALLOWED_HOSTS_PUBLISHED_HR: 'api.example.com' }
    await expect(testRunner({ connectors: [ownRoot, publishedHosts], env })).rejects.toThrow(
      /HRSYNC_ALLOWED_HOSTS_PUBLISHED_HR: the Published HR connector .* takes no extra hosts/,
    )
  })
})

describe('issue 23: extra allowed hosts (the runner option extraAllowedHosts and the environment)', () => {
  it('are added after the connector’s own hosts, lower-cased, for that connector only', () => {
    const extended = withExtraAllowedHosts(registry0, { 'own-root-hr': ['API.Customer.example.com'] })
    expect(extended.get('own-root-hr')?.connector.allowedHosts).toEqual([
      '*.own-root.example',
      'api.customer.example.com',
    ])
    expect(extended.list().map((loaded) => loaded.connector.allowedHosts)).toEqual([
      ['*.own-root.example', 'api.customer.example.com'],
      ['*.own-root.example'],
    ])
  })

  it.each([
    [{ 'published-hr': ['api.example.com'] }, /Published HR connector .* takes no extra hosts/],
    [{ nobody: ['api.example.com'] }, /HRSYNC_ALLOWED_HOSTS_NOBODY: no connector "nobody" is installed/],
    [{ 'own-root-hr': ['https://api.example.com/v1'] }, /not a host name/],
    [{ 'own-root-hr': ['api.example.com:8443'] }, /not a host name/],
    [{ 'own-root-hr': ['*.com'] }, /not a host name/],
  ])('%j is refused with a sentence naming the variable', (extra, message) => {
    expect(() => withExtraAllowedHosts(registry0, extra)).toThrow(message)
  })
})

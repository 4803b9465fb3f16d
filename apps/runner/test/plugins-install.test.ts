import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'

// issue 22 §3: plugins installed into the data folder's plugin area through the admin API, usable at
// once, kept across restarts; a broken one is refused and leaves nothing; an unfinished one never loads.

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

let dir: string
let runner: Runner

/** A connector package folder in plain JavaScript, its peers supplied by the runner. */
function pluginFolder(name: string, id: string, apiVersion = 1): string {
  const folder = join(dir, 'src', name)
  mkdirSync(folder, { recursive: true })
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({
      name,
      version: '1.2.3',
      type: 'module',
      exports: './index.js',
      hrsync: { kind: 'connector', id, apiVersion },
      peerDependencies: { '@hrsync/core': '^1.0.0', '@sinclair/typebox': '^0.34.41' },
    }),
  )
  writeFileSync(
    join(folder, 'index.js'),
    `import { defineConnector, employee } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
export default defineConnector({
  id: '${id}', name: 'Plugged ${id}', apiVersion: 1, mode: 'pull', config: Type.Object({}), allowedHosts: [],
  capabilities: { listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: ['active'], incremental: false } },
  async checkConnection() {},
  async *listEmployees() { yield [employee({ remoteId: '1', email: 'ada@plugged.example', status: 'active' })] },
})
`,
  )
  return folder
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${runner.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${runner.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : {} }
}

const start = () =>
  startRunner({ dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, scheduler: false, logger: false })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hrsync-plugins-'))
  runner = await start()
})

afterAll(async () => {
  await runner?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('issue 22 §3: plugins add, list and remove through the admin API', () => {
  it('installs a package folder and makes its connector available without a restart', async () => {
    const added = await call('POST', '/api/plugins', {
      spec: pluginFolder('hrsync-connector-plugged', 'plugged'),
    })
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    expect(added.body).toMatchObject({
      connectorId: 'plugged',
      version: '1.2.3',
      source: 'installed',
      state: 'loaded',
    })
    const { body } = await call('GET', '/api/connectors')
    // the console's connector grid shows each one's source and version from here
    expect(body.connectors).toContainEqual(
      expect.objectContaining({ id: 'plugged', version: '1.2.3', source: 'installed' }),
    )
    const health = await call('GET', '/api/health')
    expect(health.body.plugins.loaded).toContainEqual(
      expect.objectContaining({ id: 'plugged', version: '1.2.3', source: 'installed' }),
    )
    const area = join(dir, 'data', 'plugins')
    expect(readdirSync(area).filter((f) => f.startsWith('hrsync-connector-plugged@'))).toEqual([
      'hrsync-connector-plugged@1.2.3',
    ])
  })

  it('refuses a plugin built for another connector API and leaves nothing behind', async () => {
    const answer = await call('POST', '/api/plugins', {
      spec: pluginFolder('hrsync-connector-future', 'future', 99),
    })
    expect(answer.status).toBe(422)
    expect(answer.body.error).toMatchObject({ code: 'invalid_plugin' })
    expect(answer.body.error.message).toContain('unsupported_connector_api')
    expect(readdirSync(join(dir, 'data', 'plugins')).some((f) => f.includes('future'))).toBe(false)
  })

  it('refuses a spec that does not exist with a 422, not a 500', async () => {
    const answer = await call('POST', '/api/plugins', { spec: join(dir, 'nowhere.tgz') })
    expect(answer.status).toBe(422)
    expect(answer.body.error.code).toBe('install_failed')
  })

  it('keeps the installed plugin across a restart; an install without its ready marker is listed, never loaded', async () => {
    mkdirSync(join(dir, 'data', 'plugins', 'hrsync-connector-half@0.0.1', 'node_modules'), {
      recursive: true,
    })
    await runner.close()
    runner = await start()
    const { body } = await call('GET', '/api/plugins')
    expect(body.plugins).toContainEqual(
      expect.objectContaining({ connectorId: 'plugged', state: 'loaded', source: 'installed' }),
    )
    expect(body.plugins).toContainEqual(expect.objectContaining({ state: 'incomplete', source: 'installed' }))
    expect(body.plugins.filter((p: Json) => p.state === 'loaded' && p.package.includes('half'))).toEqual([])
  })

  it('remove is refused while an integration uses the connector, unless told to disconnect', async () => {
    const company = await call('POST', '/api/companies', { name: 'Plug Co', plan: 'beyond', timeZone: 'UTC' })
    const connected = await call('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'plugged',
      config: {},
    })
    expect(connected.status, JSON.stringify(connected.body)).toBe(201)
    const refused = await call('DELETE', '/api/plugins?package=hrsync-connector-plugged')
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('plugin_in_use')
    const removed = await call('DELETE', '/api/plugins?package=hrsync-connector-plugged&disconnect=true')
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({
      removed: ['hrsync-connector-plugged@1.2.3'],
      disconnected: [connected.body.integration.id],
    })
    const { body } = await call('GET', '/api/connectors')
    expect(body.connectors.map((c: Json) => c.id)).not.toContain('plugged')
    expect(existsSync(join(dir, 'data', 'plugins', 'hrsync-connector-plugged@1.2.3'))).toBe(false)
  })
})

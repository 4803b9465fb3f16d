import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'

// Every connector of the workspace is a plugin the runner discovers by its manifest, loads and lists.
const here = dirname(fileURLToPath(import.meta.url))
const connectorsDir = join(here, '../../../connectors')
const workspace = readdirSync(connectorsDir)
  .map((folder) => JSON.parse(readFileSync(join(connectorsDir, folder, 'package.json'), 'utf8')))
  .map((pkg: { name: string; version: string; hrsync: { id: string } }) => ({
    id: pkg.hrsync.id,
    package: pkg.name,
    version: pkg.version,
  }))
  .sort((a, b) => a.id.localeCompare(b.id))

let runner: Runner

beforeAll(async () => {
  runner = await startRunner({
    inMemory: true,
    listen: false,
    scheduler: false,
    logger: false,
    adminToken: 'test-admin-token-0123456789abcdef0123456',
  })
}, 60_000)
afterAll(() => runner?.close())

describe('the workspace connectors as plugins', () => {
  it('GET /api/health lists all 32 of them loaded, none failed', async () => {
    const response = await runner.services.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: `Bearer ${runner.adminToken}` },
    })
    const health = response.json() as {
      plugins: { loaded: Array<{ id: string; package: string; version: string }>; failed: unknown[] }
    }
    expect(health.plugins.failed).toEqual([])
    const loaded = health.plugins.loaded
      .map(({ id, package: pkg, version }) => ({ id, package: pkg, version }))
      .sort((a, b) => a.id.localeCompare(b.id))
    expect(loaded).toEqual(workspace)
    expect(loaded).toHaveLength(32)
  })

  it('GET /api/connectors gives each a config schema with its secrets marked', async () => {
    const response = await runner.services.app.inject({
      method: 'GET',
      url: '/api/connectors',
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef0123456' },
    })
    const { connectors } = response.json() as {
      connectors: Array<{
        id: string
        mode: string
        configSchema: { properties: Record<string, Record<string, unknown>> }
      }>
    }
    expect(connectors.map((c) => c.id).sort()).toEqual(workspace.map((c) => c.id))
    const personio = connectors.find((c) => c.id === 'personio')!
    expect(personio.configSchema.properties.clientSecret?.['x-hrsync-secret']).toBe(true)
    expect(
      connectors
        .filter((c) => c.mode === 'push')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['entra-id', 'okta'])
  })
})

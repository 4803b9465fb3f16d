import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corePeerSatisfied, discoverPlugins, loadPlugins } from '../src/plugins/index.js'

// Plugins here never import @hrsync/core: they stamp the brand by hand, as a copy of core from
// another install would. That keeps the fixtures self-contained in a temporary folder.
function connectorSource(id: string, extra = ''): string {
  return `
const connector = {
  id: ${JSON.stringify(id)}, name: ${JSON.stringify(`Connector ${id}`)}, apiVersion: 1, mode: 'pull',
  config: { type: 'object', properties: {} }, allowedHosts: ['example.test'],
  capabilities: { listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false } },
  async checkConnection() {}, async *listEmployees() {},
}
${extra}
Object.defineProperty(connector, Symbol.for('hrsync.connector'), { value: true })
export default connector
`
}

interface Fixture {
  name: string
  version?: string
  manifest?: Record<string, unknown> | null
  peer?: string
  source: string
}

function writePackage(dir: string, fixture: Fixture): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: fixture.name,
      version: fixture.version ?? '1.2.3',
      type: 'module',
      exports: { '.': { types: './index.d.ts', import: './index.js' } },
      ...(fixture.manifest === null
        ? {}
        : { hrsync: fixture.manifest ?? { kind: 'connector', id: 'good', apiVersion: 1 } }),
      ...(fixture.peer ? { peerDependencies: { '@hrsync/core': fixture.peer } } : {}),
    }),
  )
  writeFileSync(join(dir, 'index.js'), fixture.source)
}

describe('plugin loading', () => {
  let root: string
  let nodeModules: string

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'hrsync-plugins-'))
    nodeModules = join(root, 'app', 'node_modules')
    const manifest = (id: string, apiVersion = 1) => ({ kind: 'connector', id, apiVersion })
    writePackage(join(nodeModules, '@acme', 'hrsync-connector-good'), {
      name: '@acme/hrsync-connector-good',
      manifest: manifest('good'),
      peer: '^1.0.0',
      source: connectorSource('good'),
    })
    writePackage(join(nodeModules, 'hrsync-connector-future'), {
      name: 'hrsync-connector-future',
      manifest: manifest('future', 2),
      source: 'throw new Error("must not run")',
    })
    writePackage(join(nodeModules, 'hrsync-connector-newcore'), {
      name: 'hrsync-connector-newcore',
      manifest: manifest('newcore'),
      peer: '^2.0.0',
      source: 'throw new Error("must not run")',
    })
    writePackage(join(nodeModules, 'hrsync-connector-plain'), {
      name: 'hrsync-connector-plain',
      manifest: manifest('plain'),
      source: 'export default { id: "plain" }',
    })
    writePackage(join(nodeModules, 'hrsync-connector-broken'), {
      name: 'hrsync-connector-broken',
      manifest: manifest('broken'),
      source: 'throw new Error("cannot start")',
    })
    writePackage(join(nodeModules, 'hrsync-connector-liar'), {
      name: 'hrsync-connector-liar',
      manifest: manifest('liar'),
      source: connectorSource('someone-else'),
    })
    writePackage(join(nodeModules, 'hrsync-connector-copycat'), {
      name: 'hrsync-connector-copycat',
      manifest: manifest('good'),
      source: connectorSource('good'),
    })
    writePackage(join(nodeModules, 'left-pad'), {
      name: 'left-pad',
      manifest: null,
      source: 'export default 1',
    })
    // pnpm links packages into node_modules from its store
    writePackage(join(root, 'store', 'linked'), {
      name: 'hrsync-connector-linked',
      manifest: manifest('linked'),
      peer: 'workspace:*',
      source: connectorSource('linked'),
    })
    symlinkSync(join(root, 'store', 'linked'), join(nodeModules, 'hrsync-connector-linked'), 'dir')
    writePackage(join(root, 'elsewhere', 'configured'), {
      name: 'hrsync-connector-configured',
      manifest: manifest('configured'),
      source: connectorSource('configured'),
    })
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('discovers connector packages from package.json alone, scoped and symlinked ones included', () => {
    const { candidates } = discoverPlugins({ nodeModulesDirs: [nodeModules] })
    expect(candidates.map((c) => c.packageName).sort()).toEqual([
      '@acme/hrsync-connector-good',
      'hrsync-connector-broken',
      'hrsync-connector-copycat',
      'hrsync-connector-future',
      'hrsync-connector-liar',
      'hrsync-connector-linked',
      'hrsync-connector-newcore',
      'hrsync-connector-plain',
    ])
  })

  it('loads what is compatible and records every other plugin with its reason, without throwing', async () => {
    const registry = await loadPlugins({
      discover: false,
      configured: [
        '@acme/hrsync-connector-good',
        'hrsync-connector-future',
        'hrsync-connector-newcore',
        'hrsync-connector-plain',
        'hrsync-connector-broken',
        'hrsync-connector-liar',
        'hrsync-connector-copycat',
        'hrsync-connector-linked',
        join(root, 'elsewhere', 'configured'),
        'hrsync-connector-missing',
      ],
      from: join(root, 'app'),
      coreVersion: '1.0.0',
    })
    expect(registry.list().map((c) => [c.connector.id, c.packageName, c.version])).toEqual([
      ['configured', 'hrsync-connector-configured', '1.2.3'],
      ['good', '@acme/hrsync-connector-good', '1.2.3'],
      ['linked', 'hrsync-connector-linked', '1.2.3'],
    ])
    const failures = Object.fromEntries(registry.failures.map((f) => [f.package, f]))
    expect(failures['hrsync-connector-future']).toMatchObject({
      code: 'unsupported_connector_api',
      version: '1.2.3',
    })
    expect(failures['hrsync-connector-future']!.reason).toMatch(/API version 2.*supports 1/)
    expect(failures['hrsync-connector-newcore']).toMatchObject({ code: 'unsupported_connector_api' })
    expect(failures['hrsync-connector-newcore']!.reason).toMatch(/needs @hrsync\/core \^2\.0\.0.*has 1\.0\.0/)
    expect(failures['hrsync-connector-plain']).toMatchObject({ code: 'invalid_connector' })
    expect(failures['hrsync-connector-broken']).toMatchObject({ code: 'import_failed' })
    expect(failures['hrsync-connector-broken']!.reason).toContain('cannot start')
    expect(failures['hrsync-connector-liar']!.reason).toContain('"someone-else"')
    expect(failures['hrsync-connector-copycat']).toMatchObject({ code: 'duplicate_id' })
    expect(failures['hrsync-connector-missing']!.reason).toMatch(/not installed/)
  })

  it('scans installed packages by default', async () => {
    const registry = await loadPlugins({ from: join(root, 'app'), coreVersion: '1.0.0' })
    expect(registry.get('good')?.source).toBe('node_modules')
    expect(registry.get('future')).toBeUndefined()
  })

  it('reads peer ranges, workspace ones included', () => {
    expect(corePeerSatisfied('^1.0.0', '1.4.0')).toBe(true)
    expect(corePeerSatisfied('^1.0.0', '2.0.0')).toBe(false)
    expect(corePeerSatisfied('workspace:*', '1.0.0')).toBe(true)
    expect(corePeerSatisfied('workspace:^1.0.0', '1.0.0')).toBe(true)
  })

  it('finds the workspace connectors when running inside the repository', async () => {
    const registry = await loadPlugins()
    const found = [...registry.list().map((c) => c.packageName), ...registry.failures.map((f) => f.package)]
    expect(found).toContain('@hrsync/connector-csv')
  })
})

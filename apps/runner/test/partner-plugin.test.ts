import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'

// A connector written and packed outside the workspace, as a partner publishes it: core and the kit
// are packed as npm tarballs, the partner's package is compiled against them, `npm pack`ed, and its
// tarball installed into a plugin folder outside the repository. The runner then loads, lists,
// connects and syncs it like one of its own. Broken plugins next to it are listed, never fatal.
const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../../..')
const API_KEY = 'acme-partner-key-91f0'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const people = [
  { id: 1, work_email: 'ada@acme.example', given: 'Ada', family: 'Ørsted', state: 'working', boss: null },
  { id: 2, work_email: ' Bo@acme.example ', given: 'Bo', family: 'Ng', state: 'away', boss: 1 },
  { id: 3, work_email: 'cy@acme.example', given: 'Cy', family: 'Łoś', state: 'working', boss: 2 },
]

let dir: string
let vendor: Server
let vendorUrl: string
let pluginDir: string
let runner: Runner
const bodies: string[] = []

// Asynchronous on purpose: the vendor server lives in this process and must keep answering.
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { cwd, encoding: 'utf8' })
  return stdout
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${runner.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${runner.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  bodies.push(text)
  return { status: response.status, body: text ? JSON.parse(text) : {} }
}

/** A plugin package written straight into the plugin folder: plain JavaScript, no build. */
function brokenPlugin(name: string, manifest: Record<string, unknown>, source: string): string {
  const folder = join(pluginDir, 'local', name)
  mkdirSync(folder, { recursive: true })
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({
      name: `@acme/${name}`,
      version: '2.0.0',
      type: 'module',
      exports: './index.js',
      hrsync: { kind: 'connector', ...manifest },
    }),
  )
  writeFileSync(join(folder, 'index.js'), source)
  return folder
}

const connectorSource = (id: string) => `
  import { defineConnector } from '@hrsync/core'
  import { Type } from '@sinclair/typebox'
  export default defineConnector({
    id: '${id}', name: 'Broken', apiVersion: 1, mode: 'pull', config: Type.Object({}), allowedHosts: [],
    capabilities: { listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: [], incremental: false } },
    async checkConnection() {},
    async *listEmployees() {},
  })
`

beforeAll(async () => {
  vendor = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.headers['x-acme-key'] !== API_KEY) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}')
      return
    }
    const page = Number(url.searchParams.get('page'))
    const size = Number(url.searchParams.get('per_page'))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ people: people.slice((page - 1) * size, page * size) }))
  })
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve))
  vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`

  dir = mkdtempSync(join(tmpdir(), 'hrsync-partner-plugin-'))
  const tarballs = join(dir, 'tarballs')
  mkdirSync(tarballs)
  for (const pkg of ['packages/core', 'packages/connector-kit']) {
    await run('pnpm', ['pack', '--pack-destination', tarballs], join(repo, pkg))
  }
  const [core, kit] = ['hrsync-core-', 'hrsync-connector-kit-'].map((prefix) =>
    join(tarballs, readdirSync(tarballs).find((f) => f.startsWith(prefix))!),
  )

  // the partner's own repository: built against the tarballs, then packed with its published manifest
  const source = join(dir, 'acme-hrsync-connector')
  mkdirSync(join(source, 'src'), { recursive: true })
  const manifest = {
    name: '@acme/hrsync-connector-acme-hr',
    version: '0.3.1',
    type: 'module',
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
    files: ['dist'],
    keywords: ['hrsync-connector'],
    hrsync: { kind: 'connector', id: 'acme-hr', apiVersion: 1 },
    peerDependencies: { '@hrsync/core': '^1.0.0' },
    dependencies: { '@hrsync/connector-kit': '^1.0.0', '@sinclair/typebox': '0.34.41' },
  }
  writeFileSync(
    join(source, 'package.json'),
    JSON.stringify({
      ...manifest,
      dependencies: {
        '@hrsync/core': `file:${core}`,
        '@hrsync/connector-kit': `file:${kit}`,
        '@sinclair/typebox': '0.34.41',
      },
    }),
  )
  writeFileSync(
    join(source, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        declaration: true,
        outDir: 'dist',
        rootDir: 'src',
        skipLibCheck: true,
        types: [],
      },
      include: ['src'],
    }),
  )
  cpSync(join(here, 'partner/acme-hr.ts.txt'), join(source, 'src/index.ts'))
  const npmInstall = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error']
  await run('npm', npmInstall, source)
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], source)
  writeFileSync(join(source, 'package.json'), JSON.stringify(manifest))
  const packed = (await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tarballs], source))
    .trim()
    .split('\n')
    .at(-1)!

  // the operator's plugin folder: the partner's tarball installed next to the core and kit it needs
  pluginDir = join(dir, 'plugins')
  mkdirSync(pluginDir)
  const pinned = { '@hrsync/core': `file:${core}`, '@hrsync/connector-kit': `file:${kit}` }
  writeFileSync(
    join(pluginDir, 'package.json'),
    JSON.stringify({
      name: 'hrsync-plugins',
      private: true,
      dependencies: { ...pinned, '@acme/hrsync-connector-acme-hr': `file:${join(tarballs, packed)}` },
      overrides: pinned,
    }),
  )
  await run('npm', npmInstall, pluginDir)
  const installed = join(pluginDir, 'node_modules/@acme/hrsync-connector-acme-hr')

  const wrongApi = brokenPlugin(
    'hrsync-connector-future',
    { id: 'future', apiVersion: 99 },
    connectorSource('future'),
  )
  const unbranded = brokenPlugin(
    'hrsync-connector-plain',
    { id: 'plain', apiVersion: 1 },
    `export default { id: 'plain', name: 'Plain', apiVersion: 1, mode: 'pull' }\n`,
  )
  const mismatched = brokenPlugin(
    'hrsync-connector-renamed',
    { id: 'renamed', apiVersion: 1 },
    connectorSource('other-id'),
  )

  runner = await startRunner({
    inMemory: true,
    host: '127.0.0.1',
    port: 0,
    scheduler: false,
    discoverPlugins: false,
    plugins: [installed, wrongApi, unbranded, mismatched],
    logger: false,
    env: {},
  })
}, 300_000)

afterAll(async () => {
  await runner?.close()
  vendor?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a partner connector installed from its npm tarball', () => {
  it('is listed on /api/health with its package name and version', async () => {
    const { status, body } = await call('GET', '/api/health')
    expect(status).toBe(200)
    expect(body.plugins.loaded).toEqual([
      {
        id: 'acme-hr',
        name: 'Acme HR',
        package: '@acme/hrsync-connector-acme-hr',
        version: '0.3.1',
        source: 'configured',
      },
    ])
  })

  it('is offered on /api/connectors with its config schema, the secret marked', async () => {
    const { body } = await call('GET', '/api/connectors')
    expect(body.connectors).toHaveLength(1)
    const [acme] = body.connectors
    expect(acme).toMatchObject({
      id: 'acme-hr',
      name: 'Acme HR',
      mode: 'pull',
      package: '@acme/hrsync-connector-acme-hr',
      version: '0.3.1',
      secretKeys: ['apiKey'],
    })
    expect(acme.configSchema.required).toEqual(['baseUrl', 'apiKey'])
    expect(acme.configSchema.properties.baseUrl).toMatchObject({ type: 'string' })
    expect(acme.configSchema.properties.apiKey).toMatchObject({
      type: 'string',
      writeOnly: true,
      'x-hrsync-secret': true,
    })
  })

  it('connects a Beyond company, syncs, and its people are "added via" it', async () => {
    const company = await call('POST', '/api/companies', { name: 'Acme', plan: 'beyond', timeZone: 'UTC' })
    expect(company.status).toBe(201)
    const wrong = await call('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'acme-hr',
      config: { baseUrl: vendorUrl, apiKey: 'not-the-key' },
    })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error).toMatchObject({ code: 'invalid_credentials' })

    const connected = await call('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'acme-hr',
      config: { baseUrl: vendorUrl, apiKey: API_KEY },
      autoApply: true, // no first-sync review: this test is about the plugin, not the review
    })
    expect(connected.status).toBe(201)
    expect(connected.body.integration).toMatchObject({
      connectorId: 'acme-hr',
      status: 'connected',
      config: { baseUrl: vendorUrl, apiKey: '********' },
    })

    const synced = await call('POST', `/api/integrations/${connected.body.integration.id}/sync`)
    expect(synced.status).toBe(200)
    expect(synced.body.run).toMatchObject({ status: 'succeeded', dryRun: false, counts: { created: 3 } })

    const { body } = await call('GET', `/api/companies/${company.body.id}/users`)
    const byEmail = [...body.users].sort((a: Json, b: Json) => String(a.email).localeCompare(String(b.email)))
    expect(byEmail.map((u: Json) => [u.email, u.status, u.label])).toEqual([
      ['ada@acme.example', 'uninvited', 'added via Acme HR'],
      ['bo@acme.example', 'uninvited', 'added via Acme HR'],
      ['cy@acme.example', 'uninvited', 'added via Acme HR'],
    ])
  })

  it('lists each broken plugin on /api/health with its reason, and stays up', async () => {
    const { status, body } = await call('GET', '/api/health')
    expect(status).toBe(200)
    expect(body.status).toBe('degraded')
    const failed = Object.fromEntries((body.plugins.failed as Json[]).map((f) => [f.package, f]))
    expect(Object.keys(failed).sort()).toEqual([
      '@acme/hrsync-connector-future',
      '@acme/hrsync-connector-plain',
      '@acme/hrsync-connector-renamed',
    ])
    expect(failed['@acme/hrsync-connector-future']).toMatchObject({
      version: '2.0.0',
      code: 'unsupported_connector_api',
      reason: expect.stringMatching(/^built for connector API version 99, but this runner supports 1/),
    })
    expect(failed['@acme/hrsync-connector-plain']).toMatchObject({
      code: 'invalid_connector',
      reason: expect.stringContaining('default export is not a connector'),
    })
    expect(failed['@acme/hrsync-connector-renamed']).toMatchObject({
      code: 'invalid_manifest',
      reason: `the manifest says id "renamed" but the connector's id is "other-id"`,
    })
    // still serving, and the broken ones cannot be connected
    const company = await call('POST', '/api/companies', { name: 'Other', plan: 'beyond', timeZone: 'UTC' })
    expect(company.status).toBe(201)
    const attempt = await call('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'other-id',
      config: {},
    })
    expect(attempt.body.error).toMatchObject({ code: 'unknown_connector' })
  })

  it('never returns the API key', () => {
    expect(bodies.length).toBeGreaterThan(5)
    for (const body of bodies) expect(body).not.toContain(API_KEY)
  })
})

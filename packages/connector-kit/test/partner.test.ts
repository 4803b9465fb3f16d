import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// Proves a partner can build a connector from the published packages alone: core and the kit are
// packed as npm tarballs, installed into a folder outside the workspace next to a connector written
// there, compiled with its own tsconfig and run against a vendor-shaped server.
const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../../..')
const people = [
  {
    id: 1,
    work_email: 'ada@example.com',
    given: 'Ada',
    family: 'Ørsted',
    state: 'working',
    boss: null,
    joined: '2020-01-06T00:00:00+01:00',
  },
  {
    id: 2,
    work_email: ' bo@example.com ',
    given: 'Bo',
    family: 'Ng',
    state: 'away',
    boss: 1,
    joined: '2021-02-01',
  },
  { id: 3, work_email: null, given: 'Cy', family: 'Łoś', state: 'gone', boss: 2, joined: '2022-03-01' },
]

let dir: string
let server: Server
let baseUrl: string

// Asynchronous on purpose: the vendor server above lives in this process and must keep answering.
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { cwd, encoding: 'utf8' })
  return stdout
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.headers['x-acme-key'] !== 'partner-test-key') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}')
      return
    }
    const page = Number(url.searchParams.get('page'))
    const size = Number(url.searchParams.get('per_page'))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ people: people.slice((page - 1) * size, page * size) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  dir = mkdtempSync(join(tmpdir(), 'hrsync-partner-'))
  const tarballs = join(dir, 'tarballs')
  mkdirSync(tarballs)
  for (const pkg of ['packages/core', 'packages/connector-kit']) {
    await run('pnpm', ['pack', '--pack-destination', tarballs], join(repo, pkg))
  }
  const [core, kit] = ['hrsync-core-', 'hrsync-connector-kit-'].map(
    (prefix) => readdirSync(tarballs).find((f) => f.startsWith(prefix))!,
  )
  const partner = join(dir, 'acme-hrsync-connector')
  mkdirSync(join(partner, 'src'), { recursive: true })
  writeFileSync(
    join(partner, 'package.json'),
    JSON.stringify({
      name: '@acme/hrsync-connector-acme-hr',
      version: '0.1.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      hrsync: { kind: 'connector', id: 'acme-hr', apiVersion: 1 },
      peerDependencies: { '@hrsync/core': '^1.0.0' },
      dependencies: {
        '@hrsync/core': `file:../tarballs/${core}`,
        '@hrsync/connector-kit': `file:../tarballs/${kit}`,
        '@sinclair/typebox': '0.34.41',
      },
    }),
  )
  writeFileSync(
    join(partner, 'tsconfig.json'),
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
  cpSync(join(here, 'partner/connector.ts.txt'), join(partner, 'src/index.ts'))
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], partner)
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], partner)
}, 180_000)

afterAll(() => {
  server?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a partner connector built outside the workspace', () => {
  it('installs from the packed tarballs, compiles against their types and pulls every page', async () => {
    const script = `
      import { pullEmployees, checkConnection } from '@hrsync/connector-kit'
      import { isConnector } from '@hrsync/core'
      import connector from './dist/index.js'
      const good = { baseUrl: ${JSON.stringify(baseUrl)}, apiKey: 'partner-test-key' }
      const result = await pullEmployees(connector, good, { backoffBaseMs: 0 })
      const bad = await checkConnection(connector, { ...good, apiKey: 'wrong' }, { backoffBaseMs: 0 })
      console.log(JSON.stringify({ branded: isConnector(connector), employees: result.employees, pages: result.pages, bad }))
    `
    const partner = join(dir, 'acme-hrsync-connector')
    writeFileSync(join(partner, 'run.mjs'), script)
    const out = JSON.parse(await run(process.execPath, ['run.mjs'], partner))
    expect(out.branded).toBe(true)
    expect(out.pages).toBe(2)
    expect(
      out.employees.map((e: { remoteId: string; status: string; email: string | null }) => [
        e.remoteId,
        e.status,
        e.email,
      ]),
    ).toEqual([
      ['1', 'active', 'ada@example.com'],
      ['2', 'leave', 'bo@example.com'],
      ['3', 'terminated', null],
    ])
    expect(out.employees[0].startDate).toBe('2020-01-06')
    expect(out.employees[2].managerRemoteId).toBe('2')
    expect(out.bad).toMatchObject({ ok: false, code: 'invalid_credentials' })
  })
})

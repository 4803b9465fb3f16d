import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// `hrsync dev` as a partner runs it: a draft connector in TypeScript, never built, against a fake
// vendor API on 127.0.0.1 that only --allow-host lets it reach.
const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../dist/cli.js')
const repo = join(here, '../../..')
const API_KEY = 'dev-loop-key-5e1d'

const people = [
  {
    id: 1,
    email: 'ada@acme.example',
    first_name: 'Ada',
    last_name: 'Byron',
    status: 'active',
    manager_id: null,
  },
  { id: 2, email: 'bo@acme.example', first_name: 'Bo', last_name: 'Ng', status: 'active', manager_id: 1 },
  {
    id: 3,
    email: 'cy@acme.example',
    first_name: 'Cy',
    last_name: 'Lo',
    status: 'gone-fishing',
    manager_id: 1,
  },
]

const draftSource = (department: string) => `
import { idString, emailFrom, paginateOffset } from '@hrsync/connector-kit'
import { defineConnector, employee, Secret, statusTable } from '@hrsync/core'
import { Type } from '@sinclair/typebox'

const STATUS = statusTable({ active: 'active' })
interface Person { id: number; email: string; first_name: string; last_name: string; status: string; manager_id: number | null }

export default defineConnector({
  id: 'dev-draft', name: 'Dev Draft', apiVersion: 1, mode: 'pull',
  config: Type.Object({ baseUrl: Type.String(), apiKey: Secret(Type.String({ minLength: 1 })) }),
  allowedHosts: ['api.dev-draft.example'],
  baseUrl: (config) => config.baseUrl,
  auth: (config) => ({ type: 'bearer', token: config.apiKey }),
  capabilities: { listEmployees: { includesTerminated: 'always', managerRef: 'remoteId', statuses: ['active'], incremental: false } },
  async checkConnection(ctx) { await ctx.http.request({ url: 'employees', searchParams: { limit: 1, offset: 0 } }) },
  async *listEmployees(ctx) {
    for await (const page of paginateOffset(ctx, {
      url: 'employees', limit: 2,
      items: (body: { data: Person[] }) => body.data,
      total: (body: { total: number }) => body.total,
    })) {
      const employees = []
      const skipped = []
      for (const p of page) {
        const status = STATUS[p.status as keyof typeof STATUS]
        const remoteId = idString(p.id) ?? ''
        if (!status) { skipped.push({ remoteId, email: p.email, reason: 'unknown_status' as const, message: \`status "\${p.status}" is not mapped\` }); continue }
        employees.push(employee({ remoteId, email: emailFrom(p.email), firstName: p.first_name, lastName: p.last_name,
          status, managerRemoteId: idString(p.manager_id), department: '${department}' }))
      }
      yield { employees, skipped }
    }
  },
})
`

let dir: string
let draft: string
let configFile: string
let vendor: Server

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

function hrsync(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: join(dir, 'data'), HRSYNC_BACKOFF_MS: '1' },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

beforeAll(async () => {
  vendor = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.headers.authorization !== `Bearer ${API_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}')
      return
    }
    const offset = Number(url.searchParams.get('offset'))
    const limit = Number(url.searchParams.get('limit'))
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ total: people.length, data: people.slice(offset, offset + limit) }))
  })
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve))
  const port = (vendor.address() as AddressInfo).port

  dir = mkdtempSync(join(tmpdir(), 'hrsync-dev-'))
  draft = join(dir, 'draft')
  mkdirSync(join(draft, 'src'), { recursive: true })
  mkdirSync(join(draft, 'node_modules', '@hrsync'), { recursive: true })
  mkdirSync(join(draft, 'node_modules', '@sinclair'), { recursive: true })
  // the draft sees the same core and kit as the runner, as an installed package's peers would be
  symlinkSync(join(repo, 'packages/core'), join(draft, 'node_modules/@hrsync/core'))
  symlinkSync(join(repo, 'packages/connector-kit'), join(draft, 'node_modules/@hrsync/connector-kit'))
  symlinkSync(
    join(repo, 'packages/core/node_modules/@sinclair/typebox'),
    join(draft, 'node_modules/@sinclair/typebox'),
  )
  writeFileSync(
    join(draft, 'package.json'),
    JSON.stringify({
      name: 'dev-draft',
      version: '0.0.1',
      type: 'module',
      hrsync: { kind: 'connector', id: 'dev-draft', apiVersion: 1 },
    }),
  )
  writeFileSync(join(draft, 'src/index.ts'), draftSource('Ops'))
  configFile = join(dir, 'dev.json')
  writeFileSync(configFile, JSON.stringify({ baseUrl: `http://127.0.0.1:${port}/api`, apiKey: API_KEY }))
})

afterAll(async () => {
  await new Promise((resolve) => vendor.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

describe('issue 22 §1: hrsync dev', () => {
  it('runs the draft from TypeScript: check, progress per page, the people, the skipped and their reasons', async () => {
    const { code, stdout, stderr } = await hrsync([
      'dev',
      draft,
      '--config',
      configFile,
      '--allow-host',
      '127.0.0.1',
    ])
    expect(stderr).toContain('connection check: ok')
    expect(stderr).toMatch(/page 1: 2 people \(2 so far\)\npage 2: 0 people \(2 so far\)/)
    expect(stdout).toMatch(/^remoteId\s+status\s+email\s+name\s+manager/)
    expect(stdout).toMatch(/2\s+active\s+bo@acme\.example\s+Bo Ng\s+1\s+Ops/)
    expect(stdout).toContain('2 people in 2 pages, 1 skipped')
    expect(stdout).toContain('skipped 3: unknown_status: status "gone-fishing" is not mapped')
    expect(stdout).not.toContain(API_KEY)
    expect(code).toBe(0)
  })

  it('a host the draft does not declare is refused without --allow-host', async () => {
    const { code, stderr } = await hrsync(['dev', join(draft, 'src/index.ts'), '--config', configFile])
    expect(stderr).toContain('host_not_allowed')
    expect(code).toBe(1)
  })

  it('--json answers the check, the people, the skipped and the warnings for machines', async () => {
    const { code, stdout } = await hrsync([
      'dev',
      draft,
      '--config',
      configFile,
      '--allow-host',
      '127.0.0.1',
      '--json',
    ])
    const body = JSON.parse(stdout)
    expect(body.check).toEqual({ ok: true })
    expect(body.employees.map((e: { remoteId: string }) => e.remoteId)).toEqual(['1', '2'])
    expect(body.skipped).toMatchObject([{ remoteId: '3', reason: 'unknown_status' }])
    expect(Array.isArray(body.warnings)).toBe(true)
    expect(code).toBe(0)
  })

  it('--record writes a scrubbed fixture of the run, without the API key', async () => {
    const { code, stderr } = await hrsync([
      'dev',
      draft,
      '--config',
      configFile,
      '--allow-host',
      '127.0.0.1',
      '--record',
      'happy-multipage',
    ])
    expect(code, stderr).toBe(0)
    const text = readFileSync(join(draft, 'test/fixtures/happy-multipage.json'), 'utf8')
    const fixture = JSON.parse(text)
    expect(fixture.meta).toMatchObject({ source: 'recorded', scrubbed: true, connectorVersion: '0.0.1' })
    expect(fixture.interactions).toHaveLength(2)
    expect(fixture.expected.employees).toHaveLength(2)
    expect(text).not.toContain(API_KEY)
  })

  it('serve never honours --allow-host: it is refused before anything starts', async () => {
    const { code, stderr } = await hrsync(['serve', '--allow-host', '127.0.0.1'])
    expect(stderr).toContain('--allow-host is only for hrsync dev')
    expect(code).toBe(2)
  })

  it('--watch runs again when a source file is saved', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [cli, 'dev', draft, '--config', configFile, '--allow-host', '127.0.0.1', '--watch'],
      { cwd: dir, env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: join(dir, 'data') } },
    )
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    const waitFor = async (test: () => boolean) => {
      while (!test()) await new Promise((resolve) => setTimeout(resolve, 50))
    }
    try {
      await waitFor(() => stderr.includes('watching for changes'))
      writeFileSync(join(draft, 'src/index.ts'), draftSource('Finance'))
      await waitFor(() => stdout.includes('Finance'))
      expect(stderr).toContain('change seen: running again')
    } finally {
      child.kill()
    }
  })
})

import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'

// `hrsync api-keys` run as an operator runs it: a separate node process on a data folder, working on
// the store itself, or through the admin API of the runner that holds the folder.
const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../dist/cli.js')

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

function hrsync(args: string[], dataDir: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: dataDir } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      },
    )
  })
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrsync-api-keys-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

let folders = 0
function freshFolder(): string {
  const folder = join(dir, `data-${++folders}`)
  mkdirSync(folder)
  return folder
}

const openRunner = (dataDir: string, listen = false) =>
  startRunner({
    dataDir,
    listen,
    port: 0,
    host: '127.0.0.1',
    scheduler: false,
    discoverPlugins: false,
    logger: false,
    env: {},
  })

async function call(runner: Runner, method: 'GET' | 'POST', url: string, key: string, payload?: object) {
  const response = await runner.services.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload ? { payload } : {}),
  })
  return { status: response.statusCode, body: response.json() }
}

/** each test starts the command several times, a node process on the store each */
const SEVERAL_COMMANDS_MS = 300_000

/** The key `api-keys create` printed: the last line, on its own. */
const printedKey = (stdout: string) => stdout.trimEnd().split('\n').at(-1)!

describe('issue 20 §1: hrsync api-keys', () => {
  it(
    'create prints an operator or a company key once; list shows prefixes; revoke closes the key at once',
    async () => {
      const folder = freshFolder()
      let runner = await openRunner(folder)
      const company = await call(runner, 'POST', '/api/companies', runner.adminToken, {
        name: 'Acme',
        plan: 'beyond',
        timeZone: 'UTC',
      })
      await runner.close()

      const operator = await hrsync(['api-keys', 'create', '--name', 'ops laptop'], folder)
      expect(operator.code, operator.stderr).toBe(0)
      expect(operator.stdout).toMatch(/^created key_\S+, an operator key \(every company\), "ops laptop"\.\n/)
      const operatorKey = printedKey(operator.stdout)
      expect(operatorKey).toMatch(/^hrsync_op_[A-Za-z0-9_-]{43}$/)

      const scoped = await hrsync(['api-keys', 'create', '--company', company.body.id, '--json'], folder)
      expect(scoped.code, scoped.stderr).toBe(0)
      const created = JSON.parse(scoped.stdout)
      expect(created.key).toMatch(/^hrsync_co_/)
      expect(created.apiKey).toMatchObject({
        kind: 'company',
        companyId: company.body.id,
        name: 'made with hrsync api-keys create',
        createdBy: { keyId: 'admin-token', userId: null },
      })

      const listed = await hrsync(['api-keys', 'list'], folder)
      expect(listed.code, listed.stderr).toBe(0)
      const lines = listed.stdout.trimEnd().split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(/^key_\S+\toperator\tevery company\thrsync_op_\S{6}…\tops laptop\t\S+\tlive$/)
      expect(lines[1]).toContain(`\tcompany\tcompany ${company.body.id}\t`)
      // shown once: neither key is ever listed
      expect(listed.stdout).not.toContain(operatorKey)
      expect(listed.stdout).not.toContain(created.key)

      runner = await openRunner(folder)
      try {
        expect((await call(runner, 'GET', '/api/me', created.key)).body).toMatchObject({
          key: { kind: 'company' },
          companyId: company.body.id,
        })
        expect((await call(runner, 'GET', '/api/companies', operatorKey)).status).toBe(200)
      } finally {
        await runner.close()
      }

      const revoked = await hrsync(['api-keys', 'revoke', created.apiKey.id], folder)
      expect(revoked.code, revoked.stderr).toBe(0)
      expect(revoked.stdout).toMatch(
        new RegExp(`^revoked ${created.apiKey.id} \\("made with hrsync api-keys create"\\) at \\S+Z\\n$`),
      )
      runner = await openRunner(folder)
      try {
        expect((await call(runner, 'GET', '/api/me', created.key)).status).toBe(401)
        const keys = (await call(runner, 'GET', `/api/keys?companyId=${company.body.id}`, operatorKey)).body
        expect(keys.keys).toEqual([{ ...created.apiKey, revokedAt: expect.any(String) }])
      } finally {
        await runner.close()
      }
    },
    SEVERAL_COMMANDS_MS,
  )

  it(
    'while a runner holds the data folder, the commands go through its admin API',
    async () => {
      const folder = freshFolder()
      const runner = await openRunner(folder, true)
      try {
        const company = await call(runner, 'POST', '/api/companies', runner.adminToken, {
          name: 'Beta',
          plan: 'beyond',
          timeZone: 'UTC',
        })
        const created = await hrsync(
          ['api-keys', 'create', '--company', company.body.id, '--name', 'spend app'],
          folder,
        )
        expect(created.code, created.stderr).toBe(0)
        const key = printedKey(created.stdout)
        // the holder made it: it opens the company on the holder at once
        expect((await call(runner, 'GET', '/api/me', key)).body).toMatchObject({ companyId: company.body.id })
        const listed = await hrsync(['api-keys', 'list', '--json'], folder)
        const [only] = JSON.parse(listed.stdout).keys
        expect(only).toMatchObject({ companyId: company.body.id, name: 'spend app', revokedAt: null })
        expect((await hrsync(['api-keys', 'revoke', only.id], folder)).code).toBe(0)
        expect((await call(runner, 'GET', '/api/me', key)).status).toBe(401)
      } finally {
        await runner.close()
      }
    },
    SEVERAL_COMMANDS_MS,
  )

  it(
    "bad input is the API's clear error, exit 1, and creates nothing; an unknown action prints the usage",
    async () => {
      const folder = freshFolder()
      const unknownCompany = await hrsync(['api-keys', 'create', '--company', 'cmp_nope'], folder)
      expect(unknownCompany).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'hrsync: No company with id cmp_nope\n',
      })
      const unknownKey = await hrsync(['api-keys', 'revoke', 'key_nope'], folder)
      expect(unknownKey.code).toBe(1)
      expect(unknownKey.stderr).toMatch(/^hrsync: .*key_nope/)
      expect(unknownKey.stderr).not.toMatch(/\n\s+at /)
      const noId = await hrsync(['api-keys', 'revoke'], folder)
      expect(noId).toMatchObject({ code: 1, stderr: expect.stringContaining('name the key to revoke') })
      const emptyName = await hrsync(['api-keys', 'create', '--name', ''], folder)
      expect(emptyName.code).toBe(1)
      expect(emptyName.stderr).toMatch(/^hrsync: .*name/)
      const runner = await openRunner(folder)
      try {
        expect((await call(runner, 'GET', '/api/keys', runner.adminToken)).body).toEqual({ keys: [] })
      } finally {
        await runner.close()
      }
      const unknown = await hrsync(['api-keys', 'rotate'], folder)
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain('unknown api-keys command "rotate"')
      expect(unknown.stderr).toContain('Usage:')
    },
    SEVERAL_COMMANDS_MS,
  )
})

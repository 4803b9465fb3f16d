import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DataFolderInUse, LOCK_FILE, lockDataFolder } from '../src/data-lock.js'
import { startRunner } from '../src/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../dist/cli.js')
const serveChild = join(here, 'support/serve-child.mjs')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrsync-lock-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

let folders = 0
const freshFolder = () => {
  const folder = join(dir, `data-${++folders}`)
  mkdirSync(folder)
  return folder
}

/** The pid of a process that has come and gone on this host. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', ''])
    child.on('exit', () => resolve(child.pid!))
  })
}

function hrsync(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: dataDir, HRSYNC_PORT: '0' } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      },
    )
  })
}

describe('issue 18 item 7: one process per embedded data folder', () => {
  it('a second lock on a held folder is refused, naming the holder; released, it can be taken again', () => {
    const folder = freshFolder()
    const lock = lockDataFolder(folder)
    const holder = JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8'))
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), url: null })
    expect(() => lockDataFolder(folder)).toThrow(DataFolderInUse)
    expect(() => lockDataFolder(folder)).toThrow(`pid ${process.pid} on ${hostname()}`)
    lock.release()
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false)
    lockDataFolder(folder).release()
  })

  it('a lock left by a process that is gone is taken over', async () => {
    const folder = freshFolder()
    const gone = await deadPid()
    const left = { pid: gone, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z', url: null }
    writeFileSync(join(folder, LOCK_FILE), JSON.stringify(left))
    const runner = await startRunner({
      dataDir: folder,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      logger: false,
      env: {},
    })
    try {
      expect(JSON.parse(readFileSync(join(folder, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid })
    } finally {
      await runner.close()
    }
    expect(existsSync(join(folder, LOCK_FILE))).toBe(false)
  })

  it('a lock our own pid left behind (a restarted container) is taken over; another host is never', () => {
    const folder = freshFolder()
    const file = join(folder, LOCK_FILE)
    writeFileSync(
      file,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'earlier', url: null }),
    )
    lockDataFolder(folder).release()
    const elsewhere = { pid: 1, host: `not-${hostname()}`, startedAt: '2020-01-01T00:00:00.000Z', url: null }
    writeFileSync(file, JSON.stringify(elsewhere))
    expect(() => lockDataFolder(folder)).toThrow(`pid 1 on not-${hostname()}`)
  })

  it('a runner in memory or on PostgreSQL takes no lock', async () => {
    const folder = freshFolder()
    const lock = lockDataFolder(folder)
    try {
      const runner = await startRunner({
        dataDir: folder,
        inMemory: true,
        listen: false,
        logger: false,
        env: {},
      })
      await runner.close()
    } finally {
      lock.release()
    }
  })

  describe('while `hrsync serve` holds the folder', () => {
    let serve: ChildProcess | null = null
    afterEach(async () => {
      if (serve && serve.exitCode === null) {
        serve.kill('SIGTERM')
        await new Promise((resolve) => serve!.once('exit', resolve))
      }
      serve = null
    })

    /** Starts the serving runner on `folder`; resolves with its URL once it listens. */
    function startServe(folder: string): Promise<{ url: string; pid: number }> {
      serve = spawn(process.execPath, [serveChild], {
        env: { ...process.env, SERVE_DATA_DIR: folder },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      return new Promise((resolve, reject) => {
        let out = ''
        serve!.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          const line = out.split('\n').find((l) => l.startsWith('{"url"'))
          if (line) resolve(JSON.parse(line))
        })
        serve!.once('exit', (code) => reject(new Error(`the serving runner ended with ${code}`)))
      })
    }

    it(
      'a second serve is refused naming the pid; hrsync sync goes through the API; no acknowledged write is lost',
      { timeout: 240_000 },
      async () => {
        const folder = freshFolder()
        const { url, pid } = await startServe(folder)
        const token = readFileSync(join(folder, 'admin-token'), 'utf8').trim()
        const call = async (method: string, path: string, body?: Json) => {
          const response = await fetch(`${url}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            ...(body ? { body: JSON.stringify(body) } : {}),
          })
          return { status: response.status, body: (await response.json()) as Json }
        }

        const second = await hrsync(['serve'], folder)
        expect(second.code).toBe(1)
        expect(second.stderr).toContain(`in use by another hrsync process (pid ${pid} on ${hostname()}`)
        expect(second.stderr).toContain(`admin API at ${url}`)
        expect(second.stderr).not.toMatch(/\n\s+at /)

        const acknowledged: string[] = []
        const company = await call('POST', '/api/companies', {
          name: 'Acme',
          plan: 'advanced',
          timeZone: 'UTC',
        })
        expect(company.status).toBe(201)
        acknowledged.push(company.body.id)
        const connected = await call('POST', `/api/companies/${company.body.id}/integrations`, {
          connector: 'serve-hr',
          autoApply: true,
          config: { token: 'serve-token' },
        })
        expect(connected.status).toBe(201)
        const integrationId = connected.body.integration.id

        // the CLI's sync runs inside the serving runner while more companies are written
        const [synced, ...more] = await Promise.all([
          hrsync(['sync', integrationId], folder),
          ...['Beta', 'Gamma', 'Delta'].map((name) =>
            call('POST', '/api/companies', { name, plan: 'advanced', timeZone: 'UTC' }),
          ),
        ])
        expect(synced.code, synced.stderr).toBe(0)
        const { run } = JSON.parse(synced.stdout)
        expect(run).toMatchObject({ integrationId, status: 'succeeded', dryRun: false })
        for (const answer of more as Array<{ status: number; body: Json }>) {
          expect(answer.status).toBe(201)
          acknowledged.push(answer.body.id)
        }
        const runs = await call('GET', `/api/integrations/${integrationId}/runs`)
        expect(runs.body.runs.map((r: Json) => r.id)).toContain(run.id)

        serve!.kill('SIGTERM')
        await new Promise((resolve) => serve!.once('exit', resolve))
        expect(existsSync(join(folder, LOCK_FILE))).toBe(false)

        // after a restart every acknowledged write is there
        const again = await startRunner({
          dataDir: folder,
          listen: false,
          scheduler: false,
          discoverPlugins: false,
          logger: false,
          env: {},
        })
        try {
          const inject = async (path: string) =>
            (
              await again.services.app.inject({
                method: 'GET',
                url: path,
                headers: { authorization: `Bearer ${token}` },
              })
            ).json() as Json
          const companies = (await inject('/api/companies')).companies.map((c: Json) => c.id)
          expect(companies.sort()).toEqual([...acknowledged].sort())
          const users = await inject(`/api/companies/${company.body.id}/users`)
          expect(users.users).toHaveLength(20)
          const stored = await inject(`/api/integrations/${integrationId}/runs`)
          expect(stored.runs.map((r: Json) => r.id)).toContain(run.id)
        } finally {
          await again.close()
        }
      },
    )

    it('hrsync sync refuses, saying why, when the holder serves no admin API', async () => {
      const folder = freshFolder()
      const lock = lockDataFolder(folder)
      try {
        const { code, stdout, stderr } = await hrsync(['sync', 'int_any'], folder)
        expect(code).toBe(1)
        expect(stdout).toBe('')
        expect(stderr).toContain(`in use by another hrsync process (pid ${process.pid}`)
        expect(stderr).toContain('It serves no admin API to go through')
      } finally {
        lock.release()
      }
    })
  })
})

import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../support/databases.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>
const SERVE = fileURLToPath(new URL('../support/serve-child.mjs', import.meta.url))
const TOKEN = 'serve-admin-token-0123456789abcdef0123'
const INTERVAL_MS = 4000
const STORM_MS = 15_000
const INTEGRATIONS = 4
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const postgres = await postgresReachable()

interface Replica {
  child: ChildProcess
  url: string
  exited: Promise<number | null>
  stderr: () => string
}

/** A replica in a process of its own: its scheduler on pg-boss, every connection named `appName`. */
function startReplica(schema: string, appName: string, webhookUrl: string): Promise<Replica> {
  const databaseUrl = new URL(POSTGRES_URL)
  databaseUrl.searchParams.set('application_name', appName)
  const child = spawn(process.execPath, [SERVE], {
    env: {
      ...process.env,
      SERVE_DATABASE_URL: databaseUrl.toString(),
      SERVE_SCHEMA: schema,
      SERVE_SECRET_KEY: Buffer.alloc(32, 5).toString('base64'),
      SERVE_INTERVAL_MS: String(INTERVAL_MS),
      SERVE_TICK_MS: '100',
      SERVE_LOG_LEVEL: 'error',
      SERVE_WEBHOOK_URL: webhookUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (chunk) => {
    err += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{"url"'))
      if (line) resolve({ child, url: JSON.parse(line).url, exited, stderr: () => err })
    })
    void exited.then((code) => reject(new Error(`the replica ended with ${code} before listening: ${err}`)))
  })
}

describe('issue 18 item 2: two replicas while the database drops their connections', () => {
  const schema = freshSchema()
  const appName = `hrsync_storm_${schema.slice(-12)}`
  const replicas: Replica[] = []
  let admin: pg.Client | null = null
  // the webhook dispatcher delivers through the storm too
  const receiver = createServer((request, response) => {
    request.resume()
    request.on('end', () => response.writeHead(204).end())
  })

  afterAll(async () => {
    for (const replica of replicas) {
      if (replica.child.exitCode === null) {
        replica.child.kill('SIGTERM')
        await replica.exited
      }
    }
    await admin?.end()
    receiver.close()
    if (postgres) {
      await dropSchema(schema)
      await dropSchema(`${schema}_boss`)
    }
  })

  it.skipIf(!postgres)(
    'backends terminated every 100 ms for 15 s: both replicas still serve, every due integration syncs in its cycle',
    { timeout: 240_000 },
    async () => {
      admin = new pg.Client({ connectionString: POSTGRES_URL })
      await admin.connect()
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
      const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
      replicas.push(await startReplica(schema, appName, webhookUrl))
      replicas.push(await startReplica(schema, appName, webhookUrl))
      const call = async (method: string, path: string, body?: Json) => {
        const response = await fetch(`${replicas[0]!.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
        expect(response.status).toBe(201)
        return (await response.json()) as Json
      }
      const ids: string[] = []
      for (let i = 0; i < INTEGRATIONS; i++) {
        const company = await call('POST', '/api/companies', {
          name: `C${i}`,
          plan: 'advanced',
          timeZone: 'UTC',
        })
        const connected = await call('POST', `/api/companies/${company.id}/integrations`, {
          connector: 'serve-hr',
          autoApply: true,
          config: { token: 'serve-token' },
        })
        ids.push(connected.integration.id)
      }
      const runs = async () =>
        (
          await admin!.query<{ integration_id: string; started_at: Date; status: string }>(
            `SELECT integration_id, started_at, status FROM ${schema}.sync_runs
              WHERE trigger = 'schedule' ORDER BY started_at`,
          )
        ).rows
      // the first cycle runs before the storm
      for (
        let i = 0;
        i < 300 && new Set((await runs()).map((r) => r.integration_id)).size < ids.length;
        i++
      ) {
        await sleep(100)
      }

      // only this test's connections: both replicas name theirs `appName`
      const stormEnds = Date.now() + STORM_MS
      let terminated = 0
      while (Date.now() < stormEnds) {
        const { rows } = await admin.query<{ ok: boolean }>(
          `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE application_name = $1 AND pid <> pg_backend_pid()`,
          [appName],
        )
        terminated += rows.filter((row) => row.ok).length
        await sleep(100)
      }
      const calm = new Date()
      expect(terminated).toBeGreaterThan(0)

      for (const replica of replicas) {
        expect(replica.child.exitCode, replica.stderr()).toBeNull()
        let status = 0
        // the pools reconnect: /health answers again within moments
        for (let i = 0; i < 50 && status !== 200; i++) {
          status = await fetch(`${replica.url}/health`).then(
            (response) => response.status,
            () => 0,
          )
          if (status !== 200) await sleep(200)
        }
        expect(status).toBe(200)
      }

      // after the storm every integration syncs again in its cycle: none is left claimed and not
      // started (while connections die every 100 ms nothing can commit, so no run is expected then)
      const deadline = calm.getTime() + 2 * INTERVAL_MS
      const syncedSinceCalm = async () =>
        new Set(
          (await runs())
            .filter((run) => run.status === 'succeeded' && run.started_at.getTime() >= calm.getTime())
            .map((run) => run.integration_id),
        )
      while (Date.now() < deadline && (await syncedSinceCalm()).size < ids.length) await sleep(200)
      expect([...(await syncedSinceCalm())].sort()).toEqual([...ids].sort())

      for (const replica of replicas) expect(replica.child.exitCode, replica.stderr()).toBeNull()
    },
  )
})

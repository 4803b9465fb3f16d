import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../support/databases.js'

const postgres = await postgresReachable()

const CHILD = fileURLToPath(new URL('./runner-child.mjs', import.meta.url))
const PEOPLE = 1500

type Env = Record<string, string>
function start(
  phase: string,
  env: Env,
): {
  child: ChildProcess
  output: Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[] }>
} {
  const child = spawn(process.execPath, [CHILD, phase], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk) => {
    out += chunk
  })
  child.stderr!.on('data', (chunk) => {
    err += chunk
  })
  const output = new Promise<{ code: number | null; signal: NodeJS.Signals | null; lines: string[] }>(
    (resolve) =>
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal === null) console.error(err)
        resolve({ code, signal, lines: out.trim().split('\n') })
      }),
  )
  return { child, output }
}
async function run<T>(phase: string, env: Env): Promise<T> {
  const { output } = start(phase, env)
  const { code, lines } = await output
  expect(code).toBe(0)
  return JSON.parse(lines.at(-1)!) as T
}

async function killDuringApply(env: Env): Promise<void> {
  const { companyId, integrationId } = await run<{ companyId: string; integrationId: string }>('setup', env)
  expect(companyId).toBeTruthy()
  const withIntegration = { ...env, FAULT_INTEGRATION: integrationId }
  const before = await run('count', withIntegration)
  expect(before).toMatchObject({ users: 0, teams: 0, members: 0, runs: 0 })

  const { child, output } = start('sync', { ...withIntegration, FAULT_HOLD_APPLY: '1' })
  // the plan of 1,500 new users is being written, inside its transaction: kill the process
  await new Promise<void>((resolve) => {
    let seen = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (seen.includes('applying')) resolve()
    })
  })
  child.kill('SIGKILL')
  const killed = await output
  expect(killed.signal).toBe('SIGKILL')
  expect(killed.lines.join('\n')).not.toContain('"status"')

  // no partial state: not one user, team, run or event of the interrupted sync
  expect(await run('count', withIntegration)).toEqual(before)

  // the next sync completes
  const next = await run<{ status: string; changes: number }>('sync', withIntegration)
  expect(next).toMatchObject({ status: 'succeeded' })
  expect(next.changes).toBeGreaterThanOrEqual(PEOPLE)
  const after = await run<{ users: number; runs: number }>('count', withIntegration)
  expect(after).toMatchObject({ users: PEOPLE, runs: 1 })
}

describe('the runner process is killed while it applies a plan', () => {
  it(
    'embedded database: after a restart nothing of the interrupted sync is there, the next sync completes',
    { timeout: 300_000 },
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'hrsync-kill-'))
      try {
        await killDuringApply({
          FAULT_ENGINE: 'pglite',
          FAULT_DATA_DIR: dataDir,
          FAULT_PEOPLE: String(PEOPLE),
        })
      } finally {
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
  )

  it.skipIf(!postgres)(
    'PostgreSQL: after a restart nothing of the interrupted sync is there, the next sync completes',
    { timeout: 300_000 },
    async () => {
      const schema = freshSchema()
      try {
        await killDuringApply({
          FAULT_ENGINE: 'postgres',
          FAULT_DATABASE_URL: POSTGRES_URL,
          FAULT_SCHEMA: schema,
          FAULT_SECRET_KEY: randomBytes(32).toString('base64'),
          FAULT_PEOPLE: String(PEOPLE),
        })
      } finally {
        await dropSchema(schema)
      }
    },
  )
})

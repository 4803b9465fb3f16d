import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'

export const here = (file) => fileURLToPath(new URL(file, import.meta.url))

/** Starts a bench child that prints "listening <port>"; resolves with the port and a stop(). */
export function startServer(script, args = [], nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, here(script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /listening (\d+)/.exec(out)
      if (match) {
        child.removeAllListeners('exit')
        resolve({
          port: Number(match[1]),
          stop: () =>
            new Promise((done) => {
              child.once('exit', done)
              child.kill('SIGTERM')
            }),
        })
      }
    })
  })
}

/** Runs a node script to its end; resolves with the JSON object on its last stdout line. */
export function runJson(script, args = [], nodeArgs = [], env = {}) {
  const child = spawn(process.execPath, [...nodeArgs, here(script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  let out = ''
  child.stdout.on('data', (chunk) => {
    out += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? ''
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}: ${last}`))
      try {
        resolve(JSON.parse(last))
      } catch {
        reject(new Error(`${script} printed no JSON: ${last}`))
      }
    })
  })
}

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export const DATABASE_URL = process.env.HRSYNC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** startRunner's store options: PostgreSQL in a fresh schema of its own, or the embedded PGlite. */
export function benchStore(engine, schema) {
  return engine === 'postgres'
    ? {
        databaseUrl: DATABASE_URL,
        databaseSchema: schema,
        secretKey: randomBytes(32).toString('base64'),
        adminToken: 'bench-admin-token-0123456789abcdef012345',
      }
    : { inMemory: true }
}

/** A fresh schema name for one bench run. */
export const benchSchema = () => `hrsync_bench_${randomBytes(5).toString('hex')}`

/** The SCIM user number `i` of the SCIM benches, as Okta creates it. */
export function scimUserBody(i) {
  return JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `user${i}@acme.test`,
    externalId: `ext${i}`,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ value: `user${i}@acme.test`, type: 'work', primary: true }],
    active: true,
  })
}

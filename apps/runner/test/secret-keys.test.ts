import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../src/logger.js'
import { type Runner, type RunnerOptions, startRunner } from '../src/runner.js'
import { createSecretBox, generateKey, rotateKeyFile } from '../src/store/index.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const pgReachable = await postgresReachable()
/** each start opens an embedded database on disk */
const SLOW = 300_000

// #18 item 6: a config the runner cannot unseal stops only its own integration, and a lost key is
// never replaced by a new one over sealed configs.
describe('#18.6 keys and sealed configs', () => {
  let dir: string
  let dataDir: string
  let logs: string[]
  const hr = new MemoryHr()
  const open: Runner[] = []

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hrsync-keys-'))
    dataDir = join(dir, 'data')
    logs = []
  })
  afterEach(async () => {
    for (const runner of open.splice(0)) await runner.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const start = async (options: RunnerOptions = {}) => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk))
        done()
      },
    })
    const runner = await startRunner({
      dataDir,
      listen: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [hr.connector],
      logger: createLogger('info', sink),
      env: {},
      ...options,
    })
    open.push(runner)
    return runner
  }
  const stop = async (runner: Runner) => {
    open.splice(open.indexOf(runner), 1)
    await runner.close()
  }
  const call = async (runner: Runner, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await runner.services.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${runner.adminToken}` },
      ...(body === undefined ? {} : { payload: body as Json }),
    })
    return { status: response.statusCode, body: response.json() as Json }
  }
  /** A company connected to the memory HR system; returns the integration id. */
  const connect = async (runner: Runner, name: string) => {
    const company = await call(runner, 'POST', '/api/companies', { name, plan: 'advanced', timeZone: 'UTC' })
    const connected = await call(runner, 'POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'memory',
      config: { tenant: name, apiToken: `token-of-${name}` },
      autoApply: true, // syncs apply at once: these tests are about keys, not the first-sync review
    })
    expect(connected.status).toBe(201)
    return connected.body.integration.id as string
  }
  const sealWith = async (runner: Runner, id: string, key: string) => {
    const sealed = createSecretBox(key).seal({ tenant: 'acme', apiToken: 'token-of-acme' })
    await runner.services.db.query('UPDATE integrations SET config_encrypted = $2 WHERE id = $1', [
      id,
      sealed,
    ])
  }

  it(
    '#18.6: a config that cannot be unsealed flags its integration with the reason; the rest serve',
    async () => {
      hr.hire({ remoteId: 'ann' })
      const first = await start()
      const lost = await connect(first, 'acme')
      const kept = await connect(first, 'globex')
      const otherKey = generateKey()
      await sealWith(first, lost, otherKey)
      await stop(first)

      const runner = await start()
      const flagged = await call(runner, 'GET', `/api/integrations/${lost}`)
      expect(flagged.status).toBe(200)
      const otherId = createSecretBox(otherKey).keyId
      expect(flagged.body).toMatchObject({ needsAttention: true, config: {} })
      expect(flagged.body.attentionReason).toMatch(/cannot be decrypted/)
      expect(flagged.body.attentionReason).toContain(`key with id ${otherId}`)
      const events = await call(runner, 'GET', `/api/companies/${flagged.body.companyId}/events`)
      expect(
        events.body.events.filter(
          (e: Json) => e.type === 'integration.needs_attention' && e.integrationId === lost,
        ),
      ).toHaveLength(1)

      // its sync refuses cleanly, with the same reason; the other company syncs
      const refused = await call(runner, 'POST', `/api/integrations/${lost}/sync`)
      expect(refused.status).toBeLessThan(500)
      expect(refused.body.run).toMatchObject({ status: 'failed' })
      expect(refused.body.run.failure).toContain(`key with id ${otherId}`)
      expect((await call(runner, 'GET', `/api/integrations/${lost}`)).body.needsAttention).toBe(true)
      const served = await call(runner, 'POST', `/api/integrations/${kept}/sync`)
      expect(served.body.run).toMatchObject({ status: 'succeeded' })
      expect((await call(runner, 'GET', `/api/integrations/${kept}`)).body.needsAttention).toBe(false)

      // the flag is not raised twice on the next start; no key is ever logged
      await stop(runner)
      const again = await start()
      const twice = await call(again, 'GET', `/api/companies/${flagged.body.companyId}/events`)
      expect(
        twice.body.events.filter(
          (e: Json) => e.type === 'integration.needs_attention' && e.integrationId === lost,
        ),
      ).toHaveLength(1)
      await stop(again)

      // once its key is given back, the config is re-sealed with the current key and the flag cleared
      const restored = await start({ previousSecretKeys: [otherKey] })
      const integration = await call(restored, 'GET', `/api/integrations/${lost}`)
      expect(integration.body).toMatchObject({ needsAttention: false, attentionReason: null })
      expect(integration.body.config).toMatchObject({ tenant: 'acme', apiToken: '********' })
      const [row] = await restored.services.db.query<{ config_encrypted: string }>(
        'SELECT config_encrypted FROM integrations WHERE id = $1',
        [lost],
      )
      expect(restored.services.box.isStale(row!.config_encrypted)).toBe(false)

      const key = readFileSync(join(dataDir, 'secret.key'), 'utf8').trim()
      expect(logs.join('')).toContain('cannot be unsealed')
      expect(logs.join('')).not.toContain(key)
      expect(logs.join('')).not.toContain(otherKey)
    },
    SLOW,
  )

  it(
    '#18.6: a data folder with sealed configs and no key refuses to start and writes no new key',
    async () => {
      const first = await start()
      await connect(first, 'acme')
      await stop(first)
      const keyFile = join(dataDir, 'secret.key')
      unlinkSync(keyFile)

      await expect(start()).rejects.toThrow(
        new RegExp(`expected it in ${keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Restore that file`),
      )
      expect(existsSync(keyFile)).toBe(false)
    },
    SLOW,
  )

  it(
    '#18.6: the key may live outside the data folder (HRSYNC_SECRET_KEY_FILE); a missing one is never replaced',
    async () => {
      const keyFile = join(dir, 'keys', 'hrsync.key')
      const first = await start({ env: { HRSYNC_SECRET_KEY_FILE: keyFile } })
      const id = await connect(first, 'acme')
      await stop(first)
      expect(existsSync(keyFile)).toBe(true)
      expect(existsSync(join(dataDir, 'secret.key'))).toBe(false)

      const again = await start({ env: { HRSYNC_SECRET_KEY_FILE: keyFile } })
      expect((await call(again, 'GET', `/api/integrations/${id}`)).body.needsAttention).toBe(false)
      await stop(again)

      rmSync(keyFile)
      await expect(start({ env: { HRSYNC_SECRET_KEY_FILE: keyFile } })).rejects.toThrow(
        /secret key is missing/,
      )
      expect(existsSync(keyFile)).toBe(false)
    },
    SLOW,
  )

  it(
    '#18.6: a key rotation keeps the old key in .previous; the next start re-seals with the new key',
    async () => {
      const first = await start()
      const id = await connect(first, 'acme')
      await stop(first)
      const keyFile = join(dataDir, 'secret.key')
      const oldKey = readFileSync(keyFile, 'utf8').trim()

      const rotated = rotateKeyFile(keyFile)
      const newKey = readFileSync(keyFile, 'utf8').trim()
      expect(newKey).not.toBe(oldKey)
      expect(readFileSync(`${keyFile}.previous`, 'utf8').trim().split('\n')).toEqual([oldKey])
      expect(rotated).toEqual({
        keyId: createSecretBox(newKey).keyId,
        previousKeyId: createSecretBox(oldKey).keyId,
      })

      const runner = await start()
      expect(runner.services.box.keyId).toBe(rotated.keyId)
      expect((await call(runner, 'GET', `/api/integrations/${id}`)).body.needsAttention).toBe(false)
      const [row] = await runner.services.db.query<{ config_encrypted: string }>(
        'SELECT config_encrypted FROM integrations WHERE id = $1',
        [id],
      )
      expect(createSecretBox(newKey).open(row!.config_encrypted)).toMatchObject({ tenant: 'acme' })
    },
    SLOW,
  )

  it.skipIf(!pgReachable)(
    '#18.6: with PostgreSQL no key is ever made: a missing HRSYNC_SECRET_KEY_FILE refuses to start',
    async () => {
      const schema = freshSchema()
      const keyFile = join(dir, 'pg.key')
      try {
        const options = { databaseUrl: POSTGRES_URL, databaseSchema: schema, adminToken: 'a'.repeat(40) }
        await expect(start({ ...options, env: { HRSYNC_SECRET_KEY_FILE: keyFile } })).rejects.toThrow(
          /secret key is missing: expected it in/,
        )
        await expect(start({ ...options, env: {} })).rejects.toThrow(
          /HRSYNC_SECRET_KEY or HRSYNC_SECRET_KEY_FILE is required with DATABASE_URL/,
        )
        expect(existsSync(keyFile)).toBe(false)
        writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 })
        const runner = await start({ ...options, env: { HRSYNC_SECRET_KEY_FILE: keyFile } })
        expect(runner.services.box.keyId).toBe(createSecretBox(readFileSync(keyFile, 'utf8')).keyId)
      } finally {
        for (const runner of open.splice(0)) await runner.close()
        await dropSchema(schema)
      }
    },
  )
})

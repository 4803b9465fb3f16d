import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readEnv, resolveConfig } from '../src/config.js'

describe('runner settings from the environment', () => {
  it('defaults: a 3-hour interval with 10 % jitter, up to 200 scheduled syncs in flight while memory stays under 768 MB', () => {
    expect(readEnv({})).toMatchObject({
      syncIntervalMs: 3 * 3600_000,
      jitter: 0.1,
      syncConcurrency: 200,
      syncMemoryLimitBytes: 768 * 1024 * 1024,
    })
  })

  it('HRSYNC_SYNC_MEMORY_MB sets the memory above which no new scheduled sync starts', () => {
    expect(readEnv({ HRSYNC_SYNC_MEMORY_MB: '512' }).syncMemoryLimitBytes).toBe(512 * 1024 * 1024)
    for (const wrong of ['0', '-5', 'lots']) {
      expect(() => readEnv({ HRSYNC_SYNC_MEMORY_MB: wrong })).toThrow(
        'HRSYNC_SYNC_MEMORY_MB must be a number of megabytes above 0',
      )
    }
  })

  it('HRSYNC_SYNC_CONCURRENCY sets how many scheduled syncs one runner runs at once', () => {
    expect(readEnv({ HRSYNC_SYNC_CONCURRENCY: '8' }).syncConcurrency).toBe(8)
    for (const wrong of ['0', '-1', '2.5', 'many']) {
      expect(() => readEnv({ HRSYNC_SYNC_CONCURRENCY: wrong })).toThrow(
        'HRSYNC_SYNC_CONCURRENCY must be a whole number of syncs, 1 or more',
      )
    }
  })

  it('a jitter outside [0, 1) is refused with the setting named', () => {
    expect(() => readEnv({ HRSYNC_SYNC_JITTER: '1.5' })).toThrow('HRSYNC_SYNC_JITTER must be between 0 and 1')
  })
})

describe('resolveConfig: an option beats the environment, which beats the default', () => {
  const ADMIN_TOKEN = 'a'.repeat(32)

  it('the port, the sync interval and the SCIM quiet time', () => {
    const env = { HRSYNC_PORT: '4000', HRSYNC_SYNC_INTERVAL: '90m', HRSYNC_SCIM_COALESCE_MS: '50' }
    const fromOptions = resolveConfig({ port: 5000, syncIntervalMs: 60_000, scimCoalesceMs: 10 }, env)
    expect([fromOptions.server.port, fromOptions.sync.intervalMs, fromOptions.scimCoalesceMs]).toEqual([
      5000, 60_000, 10,
    ])
    const fromEnv = resolveConfig({}, env)
    expect([fromEnv.server.port, fromEnv.sync.intervalMs, fromEnv.scimCoalesceMs]).toEqual([
      4000,
      90 * 60_000,
      50,
    ])
    const defaults = resolveConfig({}, {})
    expect([defaults.server.port, defaults.sync.intervalMs, defaults.scimCoalesceMs]).toEqual([
      3030,
      3 * 3600_000,
      300,
    ])
  })

  it('a false option is an answer, not a gap: it beats a true environment', () => {
    const env = { HRSYNC_WEBHOOK_ALLOW_PRIVATE: 'true', HRSYNC_SCHEDULER: 'on' }
    const config = resolveConfig({ webhookEndpoints: { allowPrivate: false }, scheduler: false }, env)
    expect(config.webhookEndpoints.allowPrivate).toBe(false)
    expect(config.scheduler).toBeNull()
    expect(resolveConfig({}, env).webhookEndpoints.allowPrivate).toBe(true)
    expect(resolveConfig({}, { HRSYNC_SCHEDULER: 'off' }).scheduler).toBeNull()
  })

  it('folders: the data folder made absolute, imports and plugins inside it unless named', () => {
    const fromEnv = resolveConfig({}, { HRSYNC_DATA_DIR: 'from-env' })
    expect(fromEnv.dataDir).toBe(resolve('from-env'))
    expect(fromEnv.importDir).toBe(resolve('from-env/imports'))
    expect(fromEnv.pluginArea).toBe(resolve('from-env/plugins'))
    const fromOptions = resolveConfig(
      { dataDir: 'from-option', importDir: 'csv' },
      { HRSYNC_DATA_DIR: 'from-env', HRSYNC_IMPORT_DIR: 'env-csv' },
    )
    expect([fromOptions.dataDir, fromOptions.importDir]).toEqual([resolve('from-option'), resolve('csv')])
  })

  it('the scheduler: the local queue on the embedded database, pg-boss on PostgreSQL, a tick from the interval', () => {
    expect(resolveConfig({ syncIntervalMs: 2000 }, {}).scheduler).toEqual({
      queue: 'local',
      tickMs: 500,
      concurrency: 200,
      memoryLimitBytes: 768 * 1024 * 1024,
    })
    const postgres = { DATABASE_URL: 'postgres://db/hrsync', HRSYNC_ADMIN_TOKEN: ADMIN_TOKEN }
    expect(resolveConfig({}, postgres).scheduler).toMatchObject({ queue: 'pg-boss', tickMs: 60_000 })
    expect(resolveConfig({ queue: 'local' }, { ...postgres, HRSYNC_QUEUE: 'pg-boss' }).scheduler?.queue).toBe(
      'local',
    )
    expect(
      resolveConfig({ syncConcurrency: 3 }, { HRSYNC_SYNC_CONCURRENCY: '8' }).scheduler?.concurrency,
    ).toBe(3)
  })

  it('an embedded database in memory gets a fresh secret key; a given key is kept', () => {
    const inMemory = resolveConfig({ inMemory: true }, {})
    expect(Buffer.from(inMemory.secretKeys.key ?? '', 'base64')).toHaveLength(32)
    expect(resolveConfig({ inMemory: true }, {}).secretKeys.key).not.toBe(inMemory.secretKeys.key)
    expect(resolveConfig({}, {}).secretKeys.key).toBeUndefined()
    expect(resolveConfig({ secretKey: 'option-key' }, { HRSYNC_SECRET_KEY: 'env-key' }).secretKeys.key).toBe(
      'option-key',
    )
  })

  it('a wrong combination is refused before anything opens, with the setting named', () => {
    expect(() => resolveConfig({ databaseUrl: 'postgres://db/hrsync' }, {})).toThrow(
      'HRSYNC_ADMIN_TOKEN is required with DATABASE_URL',
    )
    expect(() => resolveConfig({ adminToken: 'short' }, {})).toThrow('HRSYNC_ADMIN_TOKEN is 5 characters')
    expect(() => resolveConfig({}, { HRSYNC_WEBHOOK_URL: 'https://app.example.com/hook' })).toThrow(
      'HRSYNC_WEBHOOK_SECRET is required with HRSYNC_WEBHOOK_URL',
    )
    expect(() => resolveConfig({ queue: 'pg-boss' }, {})).toThrow('HRSYNC_QUEUE=pg-boss needs DATABASE_URL')
    expect(() => resolveConfig({ inviteUrlTemplate: 'https://app.example.com/accept' }, {})).toThrow(
      'inviteUrlTemplate must be an http(s) URL containing {token}',
    )
    expect(() => resolveConfig({}, { HRSYNC_SCIM_COALESCE_MS: 'soon' })).toThrow(
      'HRSYNC_SCIM_COALESCE_MS must be a number of milliseconds',
    )
  })
})

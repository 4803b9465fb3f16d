import { describe, expect, it } from 'vitest'
import { readEnv } from '../src/config.js'

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

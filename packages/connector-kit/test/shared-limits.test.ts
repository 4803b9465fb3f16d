import type { HttpOptions } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { createContext } from '../src/context.js'
import { type Pace, pacesOf, type RateLimitStore } from '../src/rate-limit.js'
import { api, testConnector, useNock, validConfig } from './helpers.js'

/** A store that records what was reserved and answers a fixed wait. */
class FakeStore implements RateLimitStore {
  readonly reserved: Array<{ key: string; paces: readonly Pace[] }> = []
  constructor(private readonly waitMs = 0) {}
  async reserve(key: string, paces: readonly Pace[]): Promise<number> {
    this.reserved.push({ key, paces })
    return this.waitMs
  }
}

/** Sends `count` requests through a context of `http`, recording the waits the limiter asked for. */
async function send(
  http: HttpOptions,
  options: { store?: RateLimitStore; config?: Record<string, unknown>; count?: number } = {},
): Promise<number[]> {
  const count = options.count ?? 3
  api().get('/api/people').times(count).reply(200, [])
  const waits: number[] = []
  const connector = testConnector({ http })
  const ctx = createContext(connector, { ...validConfig, pageSize: 2, ...options.config } as never, {
    sleep: async (ms) => {
      waits.push(ms)
    },
    ...(options.store ? { rateLimitStore: options.store } : {}),
  })
  for (let i = 0; i < count; i++) await ctx.http.request({ url: 'people' })
  return waits
}

describe('limits shared per app', () => {
  useNock()

  it('reserves every request of app-scoped limits in the store and waits what it answers', async () => {
    const store = new FakeStore(250)
    const waits = await send({ requestLimits: [{ requests: 5, seconds: 1 }], limitScope: 'app' }, { store })
    expect(store.reserved).toHaveLength(3)
    expect(store.reserved.map((r) => r.key)).toEqual(['acme:app', 'acme:app', 'acme:app'])
    // 5 in any second: one every 205 ms (the window plus a margin for late departures), no burst
    expect(store.reserved[0]!.paces).toEqual([{ intervalMs: 205, burst: 1 }])
    expect(waits).toEqual([250, 250, 250])
  })

  it('never asks the store about credential-scoped limits', async () => {
    const store = new FakeStore(250)
    await send({ requestLimits: [{ requests: 5, seconds: 1 }] }, { store })
    await send({ requestsPerSecond: 4, limitScope: 'credential' }, { store })
    expect(store.reserved).toEqual([])
  })

  it('sends only the app-scoped windows of a vendor that counts per customer and per app', async () => {
    const store = new FakeStore()
    await send(
      {
        requestsPerSecond: 8,
        requestLimits: [
          { requests: 100, seconds: 1, scope: 'app' },
          { requests: 2000, seconds: 60, scope: 'app' },
        ],
      },
      { store, count: 1 },
    )
    expect(store.reserved[0]!.paces).toEqual([
      { intervalMs: 1025 / 100, burst: 1 },
      { intervalMs: 60_025 / 2000, burst: 1 },
    ])
  })

  it('keys the app by the config value the connector names, hashed', async () => {
    const store = new FakeStore()
    const http: HttpOptions = { requestsPerSecond: 2, limitScope: 'app', appIdentityKey: 'subdomain' }
    await send(http, { store, count: 1 })
    await send(http, { store, count: 1, config: { apiKey: 'sk_live_another_customer' } })
    const [first, second] = store.reserved.map((r) => r.key)
    expect(first).toMatch(/^acme:app:[0-9a-f]{16}$/)
    // another customer of the same app shares its budget; the value itself is not in the key
    expect(second).toBe(first)
    expect(first).not.toContain('tenant')
  })

  it('paces in this process when the store fails', async () => {
    const failing: RateLimitStore = {
      reserve: () => Promise.reject(new Error('database unreachable')),
    }
    const waits = await send({ requestsPerSecond: 1, limitScope: 'app' }, { store: failing })
    // the in-process bucket of one a second: the second and third request wait their turn
    expect(waits).toHaveLength(2)
    for (const wait of waits) expect(wait).toBeGreaterThan(0)
  })

  it('without a store, app-scoped limits are shared by the contexts of every customer in this process', async () => {
    const http: HttpOptions = { requestsPerSecond: 0.5, limitScope: 'app' }
    const first = await send(http, { count: 1, config: { subdomain: 'tenant' } })
    const second = await send(http, { count: 1, config: { apiKey: 'sk_live_another_customer' } })
    expect(first).toEqual([])
    // the other customer's first request waits for the app's next slot
    expect(second).toHaveLength(1)
    expect(second[0]).toBeGreaterThan(0)
  })
})

describe('pacesOf', () => {
  it('keeps a rate’s burst of one second and spaces a window without one', () => {
    expect(pacesOf({ requestsPerSecond: 4 })).toEqual([{ intervalMs: 250, burst: 4 }])
    expect(pacesOf({ requestsPerSecond: 1 / 3 })).toEqual([{ intervalMs: 3000, burst: 1 }])
    expect(pacesOf({ requestLimits: [{ requests: 30, seconds: 5 }] })).toEqual([
      { intervalMs: 5025 / 30, burst: 1 },
    ])
  })
})

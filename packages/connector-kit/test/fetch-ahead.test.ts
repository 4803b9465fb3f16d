import { setTimeout as wait } from 'node:timers/promises'
import { defineConnector, employee, type HttpOptions } from '@hrsync/core'
import nock from 'nock'
import { describe, expect, it, vi } from 'vitest'
import { createContext, paginateOffset, pullEmployees, validateConfig } from '../src/index.js'
import { api, config, failure, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

type Listed = { data: number[]; total: number }

/** Answers `/api/people?limit=2&offset=…` from `total` numbered records, each page after `delayMs(offset)`. */
function vendor(total: number, delayMs: (offset: number) => number) {
  const seen = { inFlight: 0, mostInFlight: 0, offsets: [] as number[] }
  api()
    .get('/api/people')
    .query(true)
    .times(Math.ceil(total / 2))
    .reply(async (uri) => {
      const offset = Number(new URL(uri, 'https://x').searchParams.get('offset'))
      seen.offsets.push(offset)
      seen.inFlight++
      seen.mostInFlight = Math.max(seen.mostInFlight, seen.inFlight)
      await wait(delayMs(offset))
      seen.inFlight--
      const data = Array.from({ length: Math.max(0, Math.min(2, total - offset)) }, (_, i) => offset + i)
      return [200, { data, total }]
    })
  return seen
}

const read = (fetchAhead: number | null = 3) =>
  paginateOffset(createContext(testConnector(), validateConfig(testConnector(), validConfig), fast), {
    url: 'people',
    limit: 2,
    items: (body: Listed) => body.data,
    total: (body: Listed) => body.total,
    ...(fetchAhead === null ? {} : { fetchAhead }),
  })

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const page of pages) out.push(page)
  return out
}

/** A connector reading its people through paginateOffset, with the given HTTP options. */
function pagedConnector(http?: HttpOptions) {
  return defineConnector({
    ...testConnector({ ...(http ? { http } : {}) }),
    config,
    async *listEmployees(ctx) {
      for await (const ids of paginateOffset(ctx, {
        url: 'people',
        limit: 2,
        items: (body: Listed) => body.data,
        total: (body: Listed) => body.total,
        fetchAhead: 3,
      })) {
        yield ids.map((id) => employee({ remoteId: String(id), email: `p${id}@acme.test`, status: 'active' }))
      }
    },
  })
}

describe('issue 21 §7: paginateOffset with fetchAhead requests pages ahead once the total is known', () => {
  it('requests later pages before their turn and yields every page in order, slow pages included', async () => {
    // later pages answer sooner than earlier ones
    const seen = vendor(10, (offset) => (offset === 2 ? 60 : offset === 4 ? 30 : 5))
    const pages = await collect(read())
    expect(pages).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ])
    expect(seen.mostInFlight).toBeGreaterThan(1)
    expect(seen.mostInFlight).toBeLessThanOrEqual(3)
    expect([...seen.offsets].sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8])
  })

  it('without fetchAhead, pages are read one at a time', async () => {
    const seen = vendor(6, () => 5)
    expect((await collect(read(null))).flat()).toEqual([0, 1, 2, 3, 4, 5])
    expect(seen.mostInFlight).toBe(1)
  })

  it('a page that fails fails the pull, and nothing of it is kept', async () => {
    api()
      .get('/api/people?limit=2&offset=0')
      .reply(200, { data: [0, 1], total: 8 })
    api()
      .get('/api/people?limit=2&offset=2')
      .delay(20)
      .reply(200, { data: [2, 3], total: 8 })
    api().get('/api/people?limit=2&offset=4').reply(403, { message: 'no' })
    api()
      .get('/api/people?limit=2&offset=6')
      .reply(200, { data: [6, 7], total: 8 })
    const pages: number[] = []
    const error = await failure(
      pullEmployees(pagedConnector(), validConfig, { ...fast, onPage: ({ page }) => pages.push(page) }),
    )
    expect(error.code).toBe('missing_scope')
    expect(pages).toEqual([1, 2])
    // the page requested ahead of the failure is answered, and dropped
    await vi.waitFor(() => expect(nock.isDone()).toBe(true))
  })

  it('a page short of the total ends the read; pages requested ahead of it are dropped, failed or not', async () => {
    api()
      .get('/api/people?limit=2&offset=0')
      .reply(200, { data: [0, 1], total: 8 })
    api()
      .get('/api/people?limit=2&offset=2')
      .delay(20)
      .reply(200, { data: [2], total: 8 })
    api().get('/api/people?limit=2&offset=4').reply(403, { message: 'no' })
    api()
      .get('/api/people?limit=2&offset=6')
      .reply(200, { data: [6, 7], total: 8 })
    expect(await collect(read())).toEqual([[0, 1], [2]])
    // the dropped requests are answered after the read ended; their failures go nowhere
    await vi.waitFor(() => expect(nock.isDone()).toBe(true))
  })

  it('pages fetched ahead stay within the declared request limits', async () => {
    const seen = vendor(12, () => 1)
    const connector = pagedConnector({ requestLimits: [{ requests: 2, seconds: 1 }] })
    const sentAt: number[] = []
    const result = await pullEmployees(
      connector,
      { ...validConfig, subdomain: 'tenant' },
      {
        ...fast,
        // the limiter's waits are recorded, not slept: each request goes at the moment it was given
        sleep: async (ms) => {
          sentAt.push(Date.now() + ms)
        },
      },
    )
    expect(seen.offsets).toEqual([0, 2, 4, 6, 8, 10])
    expect(result.employees.map((person) => person.remoteId)).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i)),
    )
    // six requests, two a second: four of them waited, and no three fall within one second
    expect(sentAt).toHaveLength(4)
    expect(sentAt[2]! - sentAt[0]!).toBeGreaterThanOrEqual(1000)
    expect(sentAt[3]! - sentAt[1]!).toBeGreaterThanOrEqual(1000)
    expect(nock.isDone()).toBe(true)
  })
})

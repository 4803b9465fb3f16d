import nock from 'nock'
import { describe, expect, it } from 'vitest'
import {
  createContext,
  nextLink,
  paginateCursor,
  paginateLinkHeader,
  paginateOData,
  paginateOffset,
  paginatePage,
  paginateSoapPages,
  validateConfig,
} from '../src/index.js'
import { api, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

const ctx = () => {
  const connector = testConnector()
  return createContext(connector, validateConfig(connector, validConfig), fast)
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = []
  for await (const page of pages) out.push(page)
  return out
}

type Listed = { data: number[]; total?: number }

describe('paginateOffset', () => {
  it('reads until total', async () => {
    api()
      .get('/api/people?limit=2&offset=0')
      .reply(200, { data: [1, 2], total: 4 })
      .get('/api/people?limit=2&offset=2')
      .reply(200, { data: [3, 4], total: 4 })
    const pages = await collect(
      paginateOffset(ctx(), {
        url: 'people',
        limit: 2,
        items: (b: Listed) => b.data,
        total: (b: Listed) => b.total,
      }),
    )
    expect(pages).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(nock.isDone()).toBe(true)
  })
  it('ends on a short page without total', async () => {
    api()
      .get('/api/people?limit=2&offset=0')
      .reply(200, { data: [1, 2] })
    api()
      .get('/api/people?limit=2&offset=2')
      .reply(200, { data: [3] })
    expect(
      await collect(paginateOffset(ctx(), { url: 'people', limit: 2, items: (b: Listed) => b.data })),
    ).toEqual([[1, 2], [3]])
  })
  it('fails when the vendor ignores the offset and repeats a page', async () => {
    api()
      .get('/api/people')
      .query(true)
      .twice()
      .reply(200, { data: [1, 2] })
    await expect(
      collect(paginateOffset(ctx(), { url: 'people', limit: 2, items: (b: Listed) => b.data })),
    ).rejects.toMatchObject({ code: 'malformed_response' })
  })
  it('a page repeats only when its size and both end records hold the same JSON, in any key order', async () => {
    type Records = { data: object[] }
    api()
      .get('/api/people?limit=2&offset=0')
      .reply(200, { data: [{ id: 1, team: { id: 7, tags: ['a'] } }, { id: 2 }] })
      .get('/api/people?limit=2&offset=2')
      .reply(200, { data: [{ id: 1, team: { id: 7, tags: ['a'] } }, { id: 3 }] })
      .get('/api/people?limit=2&offset=4')
      .reply(200, { data: [{ id: 1, team: { id: 7, tags: ['b'] } }, { id: 3 }] })
      .get('/api/people?limit=2&offset=6')
      .reply(200, { data: [{ team: { tags: ['b'], id: 7 }, id: 1 }, { id: 3 }] })
    const read: object[][] = []
    const failure = await collect(
      paginateOffset(ctx(), {
        url: 'people',
        limit: 2,
        items: (b: Records) => {
          read.push(b.data)
          return b.data
        },
      }),
    ).catch((error: unknown) => error)
    expect(read).toHaveLength(4)
    expect(failure).toMatchObject({
      code: 'malformed_response',
      message: expect.stringContaining('the same page came back twice'),
    })
    expect(nock.isDone()).toBe(true)
  })
})

describe('paginatePage', () => {
  it('1-based with totalPages', async () => {
    api()
      .get('/api/people?page=1&per_page=2')
      .reply(200, { data: [1, 2], pages: 2 })
      .get('/api/people?page=2&per_page=2')
      .reply(200, { data: [3, 4], pages: 2 })
    const pages = await collect(
      paginatePage(ctx(), {
        url: 'people',
        pageSize: 2,
        items: (b: { data: number[] }) => b.data,
        totalPages: (b: { data: number[]; pages: number }) => b.pages,
      }),
    )
    expect(pages.flat()).toEqual([1, 2, 3, 4])
  })
  it('0-based with a hasMore flag and custom parameter names', async () => {
    api()
      .get('/api/people?p=0&size=2')
      .reply(200, { data: [1, 2], more: true })
      .get('/api/people?p=1&size=2')
      .reply(200, { data: [3, 4], more: false })
    const pages = await collect(
      paginatePage(ctx(), {
        url: 'people',
        pageSize: 2,
        firstPage: 0,
        pageParam: 'p',
        pageSizeParam: 'size',
        items: (b: { data: number[]; more: boolean }) => b.data,
        hasMore: (b: { data: number[]; more: boolean }) => b.more,
      }),
    )
    expect(pages.flat()).toEqual([1, 2, 3, 4])
  })
  it('ends on a short page', async () => {
    api()
      .get('/api/people?page=1&per_page=2')
      .reply(200, { data: [1] })
    expect(
      await collect(paginatePage(ctx(), { url: 'people', pageSize: 2, items: (b: Listed) => b.data })),
    ).toEqual([[1]])
  })
})

describe('paginateCursor', () => {
  it('GET with the cursor in the query', async () => {
    api()
      .get('/api/people')
      .reply(200, { data: [1], next: 'c2' })
      .get('/api/people?cursor=c2')
      .reply(200, { data: [2], next: null })
    const pages = await collect(
      paginateCursor(ctx(), {
        url: 'people',
        items: (b: { data: number[] }) => b.data,
        next: (b: { data: number[]; next: string | null }) => b.next,
      }),
    )
    expect(pages.flat()).toEqual([1, 2])
  })
  it('POST with the cursor in the body, and a full next URL', async () => {
    api()
      .post('/api/search', { size: 1 })
      .reply(200, { data: [1], next: 'c2' })
      .post('/api/search', { size: 1, cursor: 'c2' })
      .reply(200, { data: [2], next: 'https://tenant.hr.example.com/api/search?page=3' })
      .post('/api/search?page=3')
      .reply(200, { data: [3] })
    const pages = await collect(
      paginateCursor(ctx(), {
        url: 'search',
        method: 'POST',
        body: (cursor) => ({ size: 1, ...(cursor && !cursor.startsWith('http') ? { cursor } : {}) }),
        items: (b: { data: number[] }) => b.data,
        next: (b: { data: number[]; next?: string }) => b.next,
      }),
    )
    expect(pages.flat()).toEqual([1, 2, 3])
  })
  it('the same cursor twice is malformed_response', async () => {
    api()
      .get('/api/people')
      .query(true)
      .times(3)
      .reply(200, { data: [1], next: 'again' })
    await expect(
      collect(
        paginateCursor(ctx(), {
          url: 'people',
          items: (b: { data: number[] }) => b.data,
          next: (b: { data: number[]; next: string }) => b.next,
        }),
      ),
    ).rejects.toMatchObject({ code: 'malformed_response' })
  })
})

describe('paginateLinkHeader', () => {
  it('follows rel="next"', async () => {
    api()
      .get('/api/people?per_page=2')
      .reply(200, [1, 2], {
        link: '<https://tenant.hr.example.com/api/people?page=2>; rel="next", <https://tenant.hr.example.com/api/people?page=9>; rel="last"',
      })
      .get('/api/people?page=2')
      .reply(200, [3], { link: '</api/people?page=1>; rel="first"' })
    const pages = await collect(
      paginateLinkHeader<number>(ctx(), { url: 'people', searchParams: { per_page: 2 } }),
    )
    expect(pages).toEqual([[1, 2], [3]])
  })
  it('parses relative and multi-rel links, and fails on a loop', async () => {
    expect(nextLink('</p?page=2>; rel="next last"')).toBe('/p?page=2')
    expect(nextLink(undefined)).toBeUndefined()
    api()
      .get('/api/people')
      .reply(200, [1], { link: '</api/people?page=2>; rel=next' })
      .get('/api/people?page=2')
      .twice()
      .reply(200, [2], { link: '</api/people?page=2>; rel=next' })
    await expect(collect(paginateLinkHeader(ctx(), { url: 'people' }))).rejects.toMatchObject({
      code: 'malformed_response',
    })
  })
})

describe('paginateOData', () => {
  it('v4 value + @odata.nextLink', async () => {
    api()
      .get('/api/users?$top=1')
      .reply(200, { value: [1], '@odata.nextLink': 'https://tenant.hr.example.com/api/users?$skiptoken=x' })
      .get('/api/users?$skiptoken=x')
      .reply(200, { value: [2] })
    expect((await collect(paginateOData(ctx(), { url: 'users', searchParams: { $top: 1 } }))).flat()).toEqual(
      [1, 2],
    )
  })
  it('v2 d.results + d.__next', async () => {
    api()
      .get('/api/User')
      .reply(200, { d: { results: [1], __next: 'https://tenant.hr.example.com/api/User?$skiptoken=2' } })
      .get('/api/User?$skiptoken=2')
      .reply(200, { d: { results: [2] } })
    expect((await collect(paginateOData(ctx(), { url: 'User' }))).flat()).toEqual([1, 2])
  })
  it('the same next link twice is malformed_response', async () => {
    const loop = { value: [1], '@odata.nextLink': 'https://tenant.hr.example.com/api/users?$skiptoken=x' }
    api().get('/api/users').reply(200, loop).get('/api/users?$skiptoken=x').twice().reply(200, loop)
    await expect(collect(paginateOData(ctx(), { url: 'users' }))).rejects.toMatchObject({
      code: 'malformed_response',
    })
  })
})

describe('paginateSoapPages', () => {
  it('builds a body per page and stops on an empty page', async () => {
    const envelope = (page: number) => `<Envelope><Page>${page}</Page></Envelope>`
    const rows = (text: string) => [...text.matchAll(/<Row>(\d+)<\/Row>/g)].map((m) => Number(m[1]))
    api()
      .post('/api/soap', envelope(1))
      .reply(200, '<Rows><Row>1</Row><Row>2</Row></Rows>', { 'content-type': 'text/xml' })
      .post('/api/soap', envelope(2))
      .reply(200, '<Rows><Row>3</Row></Rows>')
      .post('/api/soap', envelope(3))
      .reply(200, '<Rows></Rows>')
    const pages = await collect(paginateSoapPages(ctx(), { url: 'soap', body: envelope, items: rows }))
    expect(pages).toEqual([[1, 2], [3]])
    expect(nock.isDone()).toBe(true)
  })
})

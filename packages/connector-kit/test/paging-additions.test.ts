import nock from 'nock'
import { describe, expect, it } from 'vitest'
import {
  createContext,
  fetchDetails,
  inPages,
  paginateOData,
  paginateOffset,
  paginatePage,
  paginateScim,
  paginateSoapPages,
  readAll,
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

type Listed = { data: number[]; more?: boolean; pages?: number }

describe('paginatePage additions', () => {
  it('sends no page size with pageSizeParam null and ends on an empty page', async () => {
    api()
      .get('/api/people?page=1')
      .reply(200, { data: [1, 2, 3] })
      .get('/api/people?page=2')
      .reply(200, { data: [4] })
      .get('/api/people?page=3')
      .reply(200, { data: [] })
    const pages = await collect(
      paginatePage(ctx(), { url: 'people', pageSizeParam: null, items: (b: Listed) => b.data }),
    )
    expect(pages).toEqual([[1, 2, 3], [4]])
    expect(nock.isDone()).toBe(true)
  })

  it('with pageSizeParam null and a known server size, a short page ends it', async () => {
    api()
      .get('/api/people?page=1')
      .reply(200, { data: [1, 2] })
      .get('/api/people?page=2')
      .reply(200, { data: [3] })
    const pages = await collect(
      paginatePage(ctx(), { url: 'people', pageSizeParam: null, pageSize: 2, items: (b: Listed) => b.data }),
    )
    expect(pages).toEqual([[1, 2], [3]])
    expect(nock.isDone()).toBe(true)
  })

  it('pages with POST, the page in the JSON body', async () => {
    api()
      .post('/api/people/search?fields=all', { page: 0, size: 2 })
      .reply(200, { data: [1, 2] })
      .post('/api/people/search?fields=all', { page: 1, size: 2 })
      .reply(200, { data: [3] })
    const pages = await collect(
      paginatePage(ctx(), {
        url: 'people/search',
        searchParams: { fields: 'all' },
        method: 'POST',
        firstPage: 0,
        pageSize: 2,
        body: (page, size) => ({ page, size }),
        items: (b: Listed) => b.data,
      }),
    )
    expect(pages).toEqual([[1, 2], [3]])
    expect(nock.isDone()).toBe(true)
  })

  it('with requireHasMore, a page without the flag is malformed_response', async () => {
    api()
      .get('/api/people?page=1&per_page=2')
      .reply(200, { data: [1, 2], more: true })
      .get('/api/people?page=2&per_page=2')
      .reply(200, { data: [3, 4] })
    const pages = paginatePage(ctx(), {
      url: 'people',
      pageSize: 2,
      items: (b: Listed) => b.data,
      hasMore: (b: Listed) => b.more,
      requireHasMore: true,
    })
    await expect(collect(pages)).rejects.toMatchObject({
      code: 'malformed_response',
      message: expect.stringMatching(/Page 2 does not say whether more pages follow/),
    })
  })

  it('without requireHasMore a missing flag still ends the read', async () => {
    api()
      .get('/api/people?page=1&per_page=2')
      .reply(200, { data: [1, 2] })
    const pages = await collect(
      paginatePage(ctx(), {
        url: 'people',
        pageSize: 2,
        items: (b: Listed) => b.data,
        hasMore: (b: Listed) => b.more,
      }),
    )
    expect(pages).toEqual([[1, 2]])
  })
})

describe('paginateOffset with a parameter builder', () => {
  it("sends Lucca's paging=offset,limit with the comma unencoded", async () => {
    const seen: string[] = []
    api()
      .get(/\/api\/users.*/)
      .times(2)
      .reply((uri) => {
        seen.push(uri)
        return [200, { data: seen.length === 1 ? [1, 2] : [3] }]
      })
    const pages = await collect(
      paginateOffset(ctx(), {
        url: 'users',
        searchParams: { fields: 'id,name', formerEmployees: true },
        limit: 2,
        params: (offset, limit) => ({ paging: `${offset},${limit}` }),
        items: (b: Listed) => b.data,
      }),
    )
    expect(pages).toEqual([[1, 2], [3]])
    expect(seen).toEqual([
      '/api/users?fields=id,name&formerEmployees=true&paging=0,2',
      '/api/users?fields=id,name&formerEmployees=true&paging=2,2',
    ])
  })
})

describe('paginateSoapPages with totalPages', () => {
  it('stops at the reported page count without asking for an empty page', async () => {
    const bodies: string[] = []
    api()
      .post('/api/soap')
      .times(2)
      .reply(200, (_uri, body) => {
        bodies.push(String(body))
        const page = bodies.length
        return `<r><Total_Pages>2</Total_Pages><item>${page}a</item><item>${page}b</item></r>`
      })
    const pages = await collect(
      paginateSoapPages(ctx(), {
        url: 'soap',
        body: (page) => `<Page>${page}</Page>`,
        items: (text) => [...text.matchAll(/<item>([^<]*)<\/item>/g)].map((m) => m[1] as string),
        totalPages: (text) => Number(/<Total_Pages>(\d+)</.exec(text)?.[1]),
      }),
    )
    expect(pages).toEqual([
      ['1a', '1b'],
      ['2a', '2b'],
    ])
    expect(bodies).toEqual(['<Page>1</Page>', '<Page>2</Page>'])
    expect(nock.isDone()).toBe(true)
  })
})

describe('paginateOData additions', () => {
  it('follows a v3 odata.nextLink (no @)', async () => {
    api()
      .get('/api/Employees')
      .reply(200, { value: [1], 'odata.nextLink': 'Employees?$skiptoken=1' })
      .get('/api/Employees?$skiptoken=1')
      .reply(200, { value: [2] })
    expect(await collect(paginateOData<number>(ctx(), { url: 'Employees' }))).toEqual([[1], [2]])
    expect(nock.isDone()).toBe(true)
  })

  it('reads $top/$skip windows: a full window goes on, a short one ends', async () => {
    api()
      .get('/api/Employees?$filter=x&$top=2')
      .reply(200, { d: { results: [1, 2] } })
      .get('/api/Employees?$filter=x&$top=2&$skip=2')
      .reply(200, { value: [3], 'odata.nextLink': 'https://tenant.hr.example.com/api/Employees?page=b' })
      .get('/api/Employees?page=b')
      .reply(200, { value: [4] })
      .get('/api/Employees?$filter=x&$top=2&$skip=4')
      .reply(200, { value: [5] })
    const pages = await collect(
      paginateOData<number>(ctx(), {
        url: 'Employees',
        searchParams: { $filter: 'x' },
        window: { pageSize: 2 },
      }),
    )
    expect(pages).toEqual([[1, 2], [3], [4], [5]])
    expect(nock.isDone()).toBe(true)
  })

  it('fails when fewer records arrived than @odata.count announced', async () => {
    api()
      .get('/api/employees?$count=true')
      .reply(200, { '@odata.count': 5, value: [1, 2] })
    const pages = paginateOData<number>(ctx(), {
      url: 'employees',
      searchParams: { $count: 'true' },
      checkCount: true,
      what: '/employees',
    })
    await expect(collect(pages)).rejects.toMatchObject({
      code: 'malformed_response',
      message: expect.stringMatching(/announced 5 records in \/employees but sent 2/),
    })
  })

  it('accepts a v2 __count that was met', async () => {
    api()
      .get('/api/People')
      .reply(200, { d: { __count: '2', results: [1, 2] } })
    expect(await collect(paginateOData<number>(ctx(), { url: 'People', checkCount: true }))).toEqual([[1, 2]])
  })
})

describe('paginateScim', () => {
  const list = (startIndex: number, ids: number[], totalResults = 3) => ({
    totalResults,
    startIndex,
    itemsPerPage: ids.length,
    Resources: ids.map((id) => ({ id })),
  })

  it('reads by startIndex to totalResults, not stopping at a short page', async () => {
    api()
      .get('/api/Users?startIndex=1&count=2')
      .reply(200, list(1, [1]))
      .get('/api/Users?startIndex=2&count=2')
      .reply(200, list(2, [2, 3]))
    const pages = await collect(paginateScim<{ id: number }>(ctx(), { url: 'Users', count: 2 }))
    expect(pages.flat().map((u) => u.id)).toEqual([1, 2, 3])
    expect(nock.isDone()).toBe(true)
  })

  it('an empty tenant answers totalResults 0 without Resources', async () => {
    api().get('/api/Users?startIndex=1&count=2').reply(200, { totalResults: 0 })
    expect(await collect(paginateScim(ctx(), { url: 'Users', count: 2 }))).toEqual([])
  })

  it('fails on an empty page before totalResults', async () => {
    api()
      .get('/api/Users?startIndex=1&count=2')
      .reply(200, list(1, [1, 2]))
      .get('/api/Users?startIndex=3&count=2')
      .reply(200, list(3, []))
    await expect(
      collect(paginateScim(ctx(), { url: 'Users', count: 2, vendor: 'Fourth' })),
    ).rejects.toMatchObject({
      code: 'malformed_response',
      message: 'Fourth sent an empty page at startIndex 3 of 3 records; stopped reading',
    })
  })

  it('fails on a page out of sequence', async () => {
    api()
      .get('/api/Users?startIndex=1&count=2')
      .reply(200, list(1, [1, 2]))
      .get('/api/Users?startIndex=3&count=2')
      .reply(200, list(1, [1, 2]))
    await expect(collect(paginateScim(ctx(), { url: 'Users', count: 2 }))).rejects.toMatchObject({
      code: 'malformed_response',
      message: expect.stringMatching(/answered startIndex 1 when asked for 3/),
    })
  })

  it('fails on a list without totalResults', async () => {
    api().get('/api/Users?startIndex=1&count=2').reply(200, { Resources: [] })
    await expect(collect(paginateScim(ctx(), { url: 'Users', count: 2 }))).rejects.toMatchObject({
      code: 'malformed_response',
    })
  })
})

describe('inPages, readAll and fetchDetails', () => {
  it('inPages hands a list out in pages, nothing for an empty list', () => {
    expect([...inPages([1, 2, 3, 4, 5], 2)]).toEqual([[1, 2], [3, 4], [5]])
    expect([...inPages([], 25)]).toEqual([])
    expect(() => [...inPages([1], 0)]).toThrow(/positive integer/)
  })

  it('readAll drains a paginator into one list', async () => {
    async function* pages() {
      yield [1, 2]
      yield [3]
    }
    expect(await readAll(pages())).toEqual([1, 2, 3])
    expect(await readAll(inPages(['a', 'b', 'c'], 2))).toEqual(['a', 'b', 'c'])
  })

  it('fetchDetails keeps at most `concurrency` requests in flight and answers in id order', async () => {
    let inFlight = 0
    let most = 0
    const details = await fetchDetails(ctx(), [5, 1, 4, 2, 3], {
      concurrency: 2,
      fetch: async (id) => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((resolve) => setTimeout(resolve, id * 2))
        inFlight--
        return `person ${id}`
      },
    })
    expect(details).toEqual(['person 5', 'person 1', 'person 4', 'person 2', 'person 3'])
    expect(most).toBe(2)
  })

  it('fetchDetails makes real requests through the context and fails on the first failure', async () => {
    api().get('/api/people/1').reply(200, { id: 1 }).get('/api/people/2').reply(404, { error: 'gone' })
    const started: number[] = []
    const run = fetchDetails(ctx(), [1, 2, 3], {
      concurrency: 1,
      fetch: async (id, c) => {
        started.push(id)
        return (await c.http.request<{ id: number }>({ url: `people/${id}` })).body
      },
    })
    await expect(run).rejects.toMatchObject({ code: 'vendor_error', message: expect.stringMatching(/404/) })
    expect(started).toEqual([1, 2])
  })
})

describe('paginateOData windows with checkCount', () => {
  it('goes on with $skip after a short window while the announced count is not reached', async () => {
    api()
      .get('/api/employees?$count=true&$top=100')
      .reply(200, { '@odata.count': 4, value: [1, 2] })
      .get('/api/employees?$count=true&$top=100&$skip=2')
      .reply(200, { '@odata.count': 4, value: [3, 4] })
    const pages = await collect(
      paginateOData<number>(ctx(), {
        url: 'employees',
        searchParams: { $count: 'true' },
        window: { pageSize: 100 },
        checkCount: true,
        vendor: 'IRIS Cascade',
      }),
    )
    expect(pages).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(nock.isDone()).toBe(true)
  })

  it('fails in the vendor’s name when a $skip window comes back empty before the count', async () => {
    api()
      .get('/api/employees?$count=true&$top=100')
      .reply(200, { '@odata.count': 3, value: [1, 2] })
      .get('/api/employees?$count=true&$top=100&$skip=2')
      .reply(200, { '@odata.count': 3, value: [] })
    const pages = paginateOData<number>(ctx(), {
      url: 'employees',
      searchParams: { $count: 'true' },
      window: { pageSize: 100 },
      checkCount: true,
      what: '/employees',
      vendor: 'IRIS Cascade',
    })
    await expect(collect(pages)).rejects.toMatchObject({
      code: 'malformed_response',
      message:
        'IRIS Cascade announced 3 records in /employees but sent 2; the pull stops rather than use a partial list',
    })
  })

  it('names the vendor when a page has no OData list', async () => {
    api().get('/api/employees').reply(200, { items: [] })
    await expect(
      collect(paginateOData(ctx(), { url: 'employees', what: '/employees', vendor: 'Sympa' })),
    ).rejects.toMatchObject({
      code: 'malformed_response',
      message: 'Sympa answered /employees without an OData list (value or d.results)',
    })
  })
})

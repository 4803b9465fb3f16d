import { isDeepStrictEqual } from 'node:util'
import { type ConnectorContext, ConnectorError, type HttpResponse } from '@hrsync/core'

type Params = Record<string, string | number | boolean | undefined>

/** What every paginator needs to build its first request. */
export interface PageRequest {
  /** absolute, or relative to the connector's baseUrl */
  url: string
  searchParams?: Params
  headers?: Record<string, string>
  /** give up with malformed_response after this many pages (default 10 000) */
  maxPages?: number
}

const DEFAULT_MAX_PAGES = 10_000

function loopError(what: string): ConnectorError {
  return new ConnectorError(
    'malformed_response',
    `The vendor's pagination repeats itself (${what}); stopped reading`,
  )
}

function pageGuard(maxPages = DEFAULT_MAX_PAGES) {
  let pages = 0
  // the previous page's size and end records (not the page: its other records need not outlive it)
  let previous = { size: 0, first: undefined as unknown, last: undefined as unknown }
  return {
    /**
     * Counts a page and fails when the vendor sends the same non-empty page twice in a row. A page is
     * known by its size and its first and last records, compared field by field (a comparison stops
     * at the first difference): a vendor that ignores the page parameter sends the same records
     * again, and two different pages never share both ends.
     */
    check(items: unknown[]): void {
      pages++
      if (pages > maxPages) throw loopError(`more than ${maxPages} pages`)
      const last = items.length - 1
      if (
        last >= 0 &&
        previous.size === items.length &&
        isDeepStrictEqual(previous.first, items[0]) &&
        isDeepStrictEqual(previous.last, items[last])
      )
        throw loopError('the same page came back twice')
      previous = { size: items.length, first: items[0], last: items[last] }
    },
  }
}

function asArray<T>(value: unknown, where: string): T[] {
  if (!Array.isArray(value)) {
    throw new ConnectorError(
      'malformed_response',
      `Expected a list of records in ${where}, got ${typeof value}`,
    )
  }
  return value as T[]
}

/**
 * Puts `params` on the URL itself, encoded except for commas, so vendors that read `a,b` as one value
 * (Lucca's `paging=offset,limit`) get it as their documentation writes it; URLSearchParams would send `%2C`.
 */
function withRawParams(url: string, base: Params | undefined, params: Record<string, string>): string {
  const entries = [
    ...Object.entries(base ?? {}).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
    ),
    ...Object.entries(params),
  ]
  if (entries.length === 0) return url
  const encode = (text: string) => encodeURIComponent(text).replace(/%2C/gi, ',')
  const query = entries.map(([key, value]) => `${encode(key)}=${encode(String(value))}`).join('&')
  return `${url}${url.includes('?') ? '&' : '?'}${query}`
}

/**
 * offset/limit pages; ends on `total`, a short page or an empty page. With `fetchAhead`, once a page
 * gives the total, that many of the next pages are requested before their turn, within the
 * connector's declared request limits, so their latencies overlap; pages are still yielded in order,
 * and a failed page fails the read when its turn comes.
 */
export async function* paginateOffset<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    limit: number
    items: (body: B) => T[]
    total?: (body: B) => number | undefined
    offsetParam?: string
    limitParam?: string
    startOffset?: number
    /**
     * builds the paging parameters instead of `offsetParam`/`limitParam`, e.g. Lucca's
     * `{ paging: `${offset},${limit}` }`; these go on the URL with commas left unencoded
     */
    params?: (offset: number, limit: number) => Record<string, string>
    /**
     * pages requested ahead of the one being read once the total is known (default 0: one at a time);
     * for a vendor whose limits are declared in `http.requestLimits`
     */
    fetchAhead?: number
  },
): AsyncGenerator<T[], void, undefined> {
  const { limit } = options
  const guard = pageGuard(options.maxPages)
  const fetchAhead = options.fetchAhead ?? 0
  const pageAt = (offset: number): Promise<B> =>
    ctx.http
      .request<B>(
        options.params
          ? {
              url: withRawParams(options.url, options.searchParams, options.params(offset, limit)),
              headers: options.headers,
            }
          : {
              url: options.url,
              headers: options.headers,
              searchParams: {
                ...options.searchParams,
                [options.limitParam ?? 'limit']: limit,
                [options.offsetParam ?? 'offset']: offset,
              },
            },
      )
      .then((response) => response.body)
  // the pages requested before their turn, at `offset`, `offset + limit`, …: every page before the
  // last is full, and a page that is not ends the read
  const ahead: Array<Promise<B>> = []
  let offset = options.startOffset ?? 0
  for (;;) {
    const body = await (ahead.shift() ?? pageAt(offset))
    const items = asArray<T>(options.items(body), `the page at offset ${offset}`)
    guard.check(items)
    offset += items.length
    const total = options.total?.(body)
    const last = items.length < limit || (total !== undefined && offset >= total)
    if (!last && total !== undefined) {
      for (
        let next = offset + ahead.length * limit;
        ahead.length < fetchAhead && next < total;
        next += limit
      ) {
        const page = pageAt(next)
        // its failure is seen when its turn comes; one never read (the read ended first) is dropped
        page.catch(() => {})
        ahead.push(page)
      }
    }
    if (items.length > 0) yield items
    if (last) return
  }
}

/**
 * page/per_page pages, 0- or 1-based; ends on hasMore, totalPages, a short page or an empty page.
 * `pageSizeParam: null` sends no page size (the vendor chooses it; `pageSize`, if given, is then the size
 * the vendor is known to use, for the short-page end). `method: 'POST'` sends `body(page, pageSize)` as the
 * JSON body of each page request.
 */
export async function* paginatePage<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    items: (body: B) => T[]
    /** the number of pages the vendor reports */
    totalPages?: (body: B) => number | undefined
    /**
     * the vendor's own "more pages" flag; when given it alone decides the end. With `requireHasMore`,
     * `undefined` (the flag is missing) fails the pull with malformed_response.
     */
    hasMore?: (body: B, items: T[]) => boolean | undefined
    requireHasMore?: boolean
    firstPage?: 0 | 1
    pageParam?: string
    /** paging parameters instead of `pageParam`/`pageSizeParam`; on the URL with commas unencoded */
    params?: (page: number, pageSize: number | undefined) => Record<string, string>
    method?: 'GET' | 'POST'
    /** with `method: 'POST'`: the JSON body of each page request */
    body?: (page: number, pageSize: number | undefined) => unknown
  } & ({ pageSize: number; pageSizeParam?: string } | { pageSize?: number; pageSizeParam: null }),
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  const first = options.firstPage ?? 1
  const method = options.method ?? 'GET'
  const { pageSize } = options
  for (let page = first; ; page++) {
    const sizeParam =
      options.pageSizeParam === null || (method === 'POST' && options.body)
        ? {}
        : { [options.pageSizeParam ?? 'per_page']: pageSize }
    const pageParam = method === 'POST' && options.body ? {} : { [options.pageParam ?? 'page']: page }
    const { body } = await ctx.http.request<B>({
      method,
      headers: options.headers,
      ...(options.params
        ? { url: withRawParams(options.url, options.searchParams, options.params(page, pageSize)) }
        : { url: options.url, searchParams: { ...options.searchParams, ...pageParam, ...sizeParam } }),
      json: method === 'POST' ? (options.body?.(page, pageSize) ?? {}) : undefined,
    })
    const items = asArray<T>(options.items(body), `page ${page}`)
    guard.check(items)
    if (items.length > 0) yield items
    if (options.hasMore) {
      const more = options.hasMore(body, items)
      if (more === undefined && options.requireHasMore) {
        throw new ConnectorError(
          'malformed_response',
          `Page ${page} does not say whether more pages follow; stopped reading`,
        )
      }
      if (!more) return
      continue
    }
    const totalPages = options.totalPages?.(body)
    if (totalPages !== undefined && page - first + 1 >= totalPages) return
    if (items.length === 0) return
    if (totalPages === undefined && pageSize !== undefined && items.length < pageSize) return
  }
}

/** Tracks next links or cursors and fails when one comes back a second time. */
function nextGuard(maxPages = DEFAULT_MAX_PAGES) {
  const seen = new Set<string>()
  return (next: string): void => {
    if (seen.has(next)) throw loopError(`"${next}" came back twice`)
    seen.add(next)
    if (seen.size >= maxPages) throw loopError(`more than ${maxPages} pages`)
  }
}

const isAbsolute = (url: string) => /^https?:\/\//i.test(url)

/**
 * Cursor pages: `next` reads the cursor (or a full next URL) from the body. With GET the cursor goes in
 * `cursorParam`; with POST `body(cursor)` builds the JSON body of each request.
 */
export async function* paginateCursor<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    items: (body: B) => T[]
    next: (body: B, response: HttpResponse<B>) => string | null | undefined
    method?: 'GET' | 'POST'
    cursorParam?: string
    body?: (cursor: string | undefined) => unknown
  },
): AsyncGenerator<T[], void, undefined> {
  const seen = nextGuard(options.maxPages)
  let cursor: string | undefined
  for (;;) {
    const method = options.method ?? 'GET'
    const followUrl = cursor !== undefined && isAbsolute(cursor)
    const response = await ctx.http.request<B>({
      method,
      url: followUrl ? (cursor as string) : options.url,
      headers: options.headers,
      searchParams: followUrl
        ? undefined
        : {
            ...options.searchParams,
            ...(method === 'GET' && cursor !== undefined
              ? { [options.cursorParam ?? 'cursor']: cursor }
              : {}),
          },
      json: method === 'POST' ? (options.body?.(cursor) ?? {}) : undefined,
    })
    const items = asArray<T>(options.items(response.body), 'a cursor page')
    if (items.length > 0) yield items
    const next = options.next(response.body, response)
    if (next === null || next === undefined || next === '') return
    seen(next)
    cursor = next
  }
}

/** The `rel="next"` target of an RFC 5988 Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header
  if (!value) return undefined
  for (const part of value.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>(.*)/.exec(part.trim())
    if (!match) continue
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? '')?.[1]
    if (rel?.toLowerCase().split(/\s+/).includes('next')) return match[1]
  }
  return undefined
}

/** Pages chained by the Link header's rel="next"; the body is the list unless `items` says otherwise. */
export async function* paginateLinkHeader<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & { items?: (body: B) => T[] },
): AsyncGenerator<T[], void, undefined> {
  const seen = nextGuard(options.maxPages)
  let url = options.url
  let first = true
  for (;;) {
    const response = await ctx.http.request<B>({
      url,
      headers: options.headers,
      searchParams: first ? options.searchParams : undefined,
    })
    const items = asArray<T>(
      options.items ? options.items(response.body) : response.body,
      'a Link-header page',
    )
    if (items.length > 0) yield items
    const next = nextLink(response.headers.link)
    if (!next) return
    url = new URL(next, response.url).toString()
    seen(url)
    first = false
  }
}

interface ODataBody {
  value?: unknown
  '@odata.nextLink'?: string
  'odata.nextLink'?: string
  '@odata.count'?: unknown
  'odata.count'?: unknown
  d?: { results?: unknown; __next?: string; __count?: unknown } | unknown[]
}

export interface ODataOptions extends PageRequest {
  /**
   * `$top`/`$skip` windows: `$top` caps a whole result in OData, so each window asks for `pageSize`
   * records, follows the server's next links inside it, and a full window without a next link is followed
   * by the next one at `$skip`; a short window ends the read.
   */
  window?: { pageSize: number }
  /**
   * compare the records read with the `@odata.count` (v4), `odata.count` (v3) or `d.__count` (v2) the
   * first page announced, and fail with malformed_response when fewer arrived; with `window`, a window
   * that ends short of the count without a next link goes on with `$skip`. Ask for the count with
   * `$count=true` (v4) or `$inlinecount=allpages` (v2/v3) in `searchParams`.
   */
  checkCount?: boolean
  /** the collection's name in error messages, e.g. "/employees" */
  what?: string
  /** the vendor's name in error messages */
  vendor?: string
}

function odataCount(body: ODataBody): number | undefined {
  const v2 = Array.isArray(body.d) ? undefined : body.d?.__count
  const raw = body['@odata.count'] ?? body['odata.count'] ?? v2
  const count = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw
  return typeof count === 'number' && Number.isFinite(count) ? count : undefined
}

/**
 * OData pages: v4 `value` + `@odata.nextLink`, v3 `value` + `odata.nextLink`, or v2/v3 verbose
 * `d.results` + `d.__next`; optionally in `$top`/`$skip` windows and checked against the announced count.
 */
export async function* paginateOData<T>(
  ctx: ConnectorContext<unknown>,
  options: ODataOptions,
): AsyncGenerator<T[], void, undefined> {
  const seen = nextGuard(options.maxPages)
  const guard = pageGuard(options.maxPages)
  const where = options.what ?? 'the collection'
  const windowSize = options.window?.pageSize
  let next: string | undefined
  let skip = 0
  let inWindow = 0
  let read = 0
  let announced: number | undefined
  let firstPage = true
  for (;;) {
    const windowParams =
      windowSize === undefined ? {} : { $top: windowSize, ...(skip > 0 ? { $skip: skip } : {}) }
    const response = await ctx.http.request<ODataBody>(
      next !== undefined
        ? { url: next, headers: options.headers }
        : {
            url: options.url,
            headers: options.headers,
            searchParams: { ...options.searchParams, ...windowParams },
          },
    )
    const body = response.body ?? {}
    const v2 = body.d
    const records = body.value ?? (Array.isArray(v2) ? v2 : v2?.results)
    if (!Array.isArray(records)) {
      throw new ConnectorError(
        'malformed_response',
        `${options.vendor ?? 'The vendor'} answered ${options.what ?? options.url} without an OData list (value or d.results)`,
      )
    }
    const items = records as T[]
    if (firstPage) announced = odataCount(body)
    firstPage = false
    guard.check(items)
    if (items.length > 0) yield items
    read += items.length
    inWindow += items.length
    const link =
      body['@odata.nextLink'] ?? body['odata.nextLink'] ?? (Array.isArray(v2) ? undefined : v2?.__next)
    if (link) {
      next = new URL(link, response.url).toString()
      seen(next)
      continue
    }
    next = undefined
    // a full window goes on; with checkCount so does a short one while the announced count is not reached
    const countSaysMore =
      options.checkCount === true && announced !== undefined && read < announced && items.length > 0
    if (windowSize !== undefined && (inWindow >= windowSize || countSaysMore)) {
      skip += inWindow
      inWindow = 0
      continue
    }
    break
  }
  if (options.checkCount && announced !== undefined && read < announced) {
    throw new ConnectorError(
      'malformed_response',
      `${options.vendor ?? 'The vendor'} announced ${announced} records in ${where} but sent ${read}; the pull stops rather than use a partial list`,
    )
  }
}

/**
 * Numbered pages of a text (XML/SOAP) API: the request body is built per page; an empty page ends it, and
 * so does reaching `totalPages` when the response reports it (Workday's `Total_Pages`).
 */
export async function* paginateSoapPages<T>(
  ctx: ConnectorContext<unknown>,
  options: Omit<PageRequest, 'searchParams'> & {
    body: (page: number) => string
    items: (text: string) => T[]
    /** the number of pages the response reports, if it does */
    totalPages?: (text: string) => number | undefined
    firstPage?: number
    method?: 'GET' | 'POST'
    contentType?: string
  },
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  const first = options.firstPage ?? 1
  for (let page = first; ; page++) {
    const { body } = await ctx.http.request<string>({
      method: options.method ?? 'POST',
      url: options.url,
      headers: { 'content-type': options.contentType ?? 'text/xml; charset=utf-8', ...options.headers },
      body: options.body(page),
      responseType: 'text',
    })
    const items = asArray<T>(options.items(body), `page ${page}`)
    guard.check(items)
    if (items.length === 0) return
    yield items
    const totalPages = options.totalPages?.(body)
    if (totalPages !== undefined && page - first + 1 >= totalPages) return
  }
}

/** A SCIM 2.0 ListResponse (RFC 7644 §3.4.2). */
export interface ScimListResponse<T> {
  totalResults?: number
  itemsPerPage?: number
  startIndex?: number
  Resources?: T[]
}

/**
 * SCIM index paging (RFC 7644 §3.4.2.4): 1-based `startIndex` and `count`, read until `totalResults`,
 * never ended by a short page. An empty page before the end or a page that starts somewhere other than
 * asked fails with malformed_response rather than skip or repeat people.
 */
export async function* paginateScim<T>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    /** `count` of each request */
    count: number
    /** the vendor's name in error messages */
    vendor?: string
  },
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  const vendor = options.vendor ?? 'The vendor'
  let startIndex = 1
  for (;;) {
    const { body } = await ctx.http.request<ScimListResponse<T>>({
      url: options.url,
      headers: options.headers,
      searchParams: { ...options.searchParams, startIndex, count: options.count },
    })
    const total = body?.totalResults
    if (typeof total !== 'number' || (!Array.isArray(body?.Resources) && total !== 0)) {
      throw new ConnectorError(
        'malformed_response',
        `${vendor} answered a SCIM list without ${typeof total !== 'number' ? 'totalResults' : 'Resources'}`,
      )
    }
    const items = body.Resources ?? []
    const start = body.startIndex ?? startIndex
    if (start !== startIndex) {
      throw new ConnectorError(
        'malformed_response',
        `${vendor} answered startIndex ${start} when asked for ${startIndex}; stopped reading`,
      )
    }
    guard.check(items)
    if (items.length > 0) yield items
    if (start + items.length > total) return
    if (items.length === 0) {
      throw new ConnectorError(
        'malformed_response',
        `${vendor} sent an empty page at startIndex ${start} of ${total} records; stopped reading`,
      )
    }
    startIndex = start + items.length
  }
}

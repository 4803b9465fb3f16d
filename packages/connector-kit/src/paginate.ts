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
  let previous: string | undefined
  return {
    /** counts a page and fails when the vendor sends the same non-empty page twice in a row */
    check(items: unknown[]): void {
      pages++
      if (pages > maxPages) throw loopError(`more than ${maxPages} pages`)
      const fingerprint = items.length > 0 ? JSON.stringify(items) : undefined
      if (fingerprint !== undefined && fingerprint === previous)
        throw loopError('the same page came back twice')
      previous = fingerprint
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

/** offset/limit pages; ends on `total`, a short page or an empty page. */
export async function* paginateOffset<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    limit: number
    items: (body: B) => T[]
    total?: (body: B) => number | undefined
    offsetParam?: string
    limitParam?: string
    startOffset?: number
  },
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  let offset = options.startOffset ?? 0
  for (;;) {
    const { body } = await ctx.http.request<B>({
      url: options.url,
      headers: options.headers,
      searchParams: {
        ...options.searchParams,
        [options.limitParam ?? 'limit']: options.limit,
        [options.offsetParam ?? 'offset']: offset,
      },
    })
    const items = asArray<T>(options.items(body), `the page at offset ${offset}`)
    guard.check(items)
    if (items.length > 0) yield items
    offset += items.length
    const total = options.total?.(body)
    if (items.length === 0 || items.length < options.limit) return
    if (total !== undefined && offset >= total) return
  }
}

/** page/per_page pages, 0- or 1-based; ends on hasMore, totalPages, a short page or an empty page. */
export async function* paginatePage<T, B = unknown>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest & {
    pageSize: number
    items: (body: B) => T[]
    /** the number of pages the vendor reports */
    totalPages?: (body: B) => number | undefined
    /** the vendor's own "more pages" flag; when given it alone decides the end */
    hasMore?: (body: B, items: T[]) => boolean
    firstPage?: 0 | 1
    pageParam?: string
    pageSizeParam?: string
  },
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  const first = options.firstPage ?? 1
  for (let page = first; ; page++) {
    const { body } = await ctx.http.request<B>({
      url: options.url,
      headers: options.headers,
      searchParams: {
        ...options.searchParams,
        [options.pageParam ?? 'page']: page,
        [options.pageSizeParam ?? 'per_page']: options.pageSize,
      },
    })
    const items = asArray<T>(options.items(body), `page ${page}`)
    guard.check(items)
    if (items.length > 0) yield items
    if (options.hasMore) {
      if (!options.hasMore(body, items)) return
      continue
    }
    const totalPages = options.totalPages?.(body)
    if (totalPages !== undefined && page - first + 1 >= totalPages) return
    if (items.length === 0 || (totalPages === undefined && items.length < options.pageSize)) return
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
  d?: { results?: unknown; __next?: string } | unknown[]
}

/** OData pages: v4 `value` + `@odata.nextLink`, or v2 `d.results` + `d.__next`. */
export async function* paginateOData<T>(
  ctx: ConnectorContext<unknown>,
  options: PageRequest,
): AsyncGenerator<T[], void, undefined> {
  const seen = nextGuard(options.maxPages)
  let url = options.url
  let first = true
  for (;;) {
    const response = await ctx.http.request<ODataBody>({
      url,
      headers: options.headers,
      searchParams: first ? options.searchParams : undefined,
    })
    const body = response.body ?? {}
    const v2 = body.d
    const records = body.value ?? (Array.isArray(v2) ? v2 : v2?.results)
    const items = asArray<T>(records, 'an OData page')
    if (items.length > 0) yield items
    const next = body['@odata.nextLink'] ?? (Array.isArray(v2) ? undefined : v2?.__next)
    if (!next) return
    url = new URL(next, response.url).toString()
    seen(url)
    first = false
  }
}

/** Numbered pages of a text (XML/SOAP) API: the request body is built per page; an empty page ends it. */
export async function* paginateSoapPages<T>(
  ctx: ConnectorContext<unknown>,
  options: Omit<PageRequest, 'searchParams'> & {
    body: (page: number) => string
    items: (text: string) => T[]
    firstPage?: number
    method?: 'GET' | 'POST'
    contentType?: string
  },
): AsyncGenerator<T[], void, undefined> {
  const guard = pageGuard(options.maxPages)
  for (let page = options.firstPage ?? 1; ; page++) {
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
  }
}

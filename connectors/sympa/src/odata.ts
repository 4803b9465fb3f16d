import { type ConnectorContext, ConnectorError } from '@hrsync/core'

/** One page of an OData collection in any JSON shape a WCF service answers with. */
export interface ODataPage<T> {
  /** v3 JSON light and v4 */
  value?: T[]
  'odata.nextLink'?: string
  '@odata.nextLink'?: string
  /** v2 and v3 verbose JSON */
  d?: { results?: T[]; __next?: string } | T[]
}

function records<T>(body: ODataPage<T> | null | undefined): T[] {
  const d = body?.d
  const list = body?.value ?? (Array.isArray(d) ? d : d?.results)
  if (!Array.isArray(list)) {
    throw new ConnectorError('malformed_response', 'Expected an OData collection (value or d.results)')
  }
  return list
}

function nextLink(body: ODataPage<unknown> | null | undefined): string | undefined {
  const d = body?.d
  return body?.['odata.nextLink'] ?? body?.['@odata.nextLink'] ?? (Array.isArray(d) ? undefined : d?.__next)
}

export interface EntitySetRequest {
  /** relative to the connector's baseUrl */
  url: string
  searchParams: Record<string, string>
  /** `$top` of each window */
  pageSize: number
}

/**
 * Reads an entity set to the end. `$top` caps the whole result in OData, so the reader asks for windows of
 * `$top` records, follows the server's next links inside a window, and asks for the next window with
 * `$skip` when a window came back full without a next link.
 */
export async function* readEntitySet<T>(
  ctx: ConnectorContext<unknown>,
  request: EntitySetRequest,
): AsyncGenerator<T[], void, undefined> {
  const followed = new Set<string>()
  let skip = 0
  let inWindow = 0
  let next: string | undefined
  let previous: string | undefined
  for (;;) {
    const response = await ctx.http.request<ODataPage<T>>(
      next !== undefined
        ? { url: next }
        : {
            url: request.url,
            searchParams: {
              ...request.searchParams,
              $top: String(request.pageSize),
              ...(skip > 0 ? { $skip: String(skip) } : {}),
            },
          },
    )
    const page = records(response.body)
    const fingerprint = page.length > 0 ? JSON.stringify(page) : undefined
    if (fingerprint !== undefined && fingerprint === previous) {
      throw new ConnectorError('malformed_response', 'The same page came back twice; stopped reading')
    }
    previous = fingerprint
    if (page.length > 0) yield page
    inWindow += page.length
    const link = nextLink(response.body)
    if (link) {
      next = new URL(link, response.url).toString()
      if (followed.has(next)) throw new ConnectorError('malformed_response', `"${next}" came back twice`)
      followed.add(next)
      continue
    }
    next = undefined
    if (inWindow < request.pageSize) return
    skip += inWindow
    inWindow = 0
  }
}

import type { ConnectorContext } from '@hrsync/core'

/**
 * Hands out a list the vendor sent in one answer in pages of `size`, so a connector yields as the
 * paginators do and the runner sees progress per page.
 */
export function* inPages<T>(items: readonly T[], size: number): Generator<T[], void, undefined> {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`page size must be a positive integer, got ${size}`)
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size)
}

/** Reads a paginator to the end into one list (for lookups such as teams or departments). */
export async function readAll<T>(pages: AsyncIterable<T[]> | Iterable<T[]>): Promise<T[]> {
  const all: T[] = []
  for await (const page of pages) all.push(...page)
  return all
}

export interface FetchDetailsOptions<I, R> {
  /** at most this many requests at once (default 4) */
  concurrency?: number
  /** one detail request */
  fetch: (id: I, ctx: ConnectorContext<unknown>) => Promise<R>
}

/**
 * One detail request per id with at most `concurrency` in flight; the answers come back in the order of
 * `ids`. The first failure fails the whole call once the requests already started have settled, so no
 * request outlives the pull.
 */
export async function fetchDetails<I, R>(
  ctx: ConnectorContext<unknown>,
  ids: readonly I[],
  options: FetchDetailsOptions<I, R>,
): Promise<R[]> {
  const limit = options.concurrency ?? 4
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`)
  const results: R[] = new Array(ids.length)
  let nextIndex = 0
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined && nextIndex < ids.length) {
      const index = nextIndex++
      try {
        results[index] = await options.fetch(ids[index] as I, ctx)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, ids.length) }, worker))
  if (failure) throw failure.error
  return results
}

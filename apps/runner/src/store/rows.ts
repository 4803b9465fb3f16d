import { randomUUID } from 'node:crypto'

/** A new id: a readable prefix naming the kind of record, then a UUID. */
export function newId(prefix: 'cmp' | 'int' | 'usr' | 'team' | 'run' | 'held' | 'key' | 'whk'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`
}

/** Timestamps leave the store as ISO strings, whatever the driver returned. */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  return new Date(String(value)).toISOString()
}

/** jsonb comes back parsed from both drivers; a string is parsed for safety. */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

/** Parameters bound to jsonb columns are sent as JSON text (pg would turn arrays into SQL arrays). */
export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value)
}

/** How many rows one multi-row INSERT carries at most. */
export const BATCH_ROWS = 2000

/** How deeply arrays and objects may nest in what is stored: a request nesting deeper is refused. */
export const MAX_DEPTH = 32

/** An unpaired UTF-16 surrogate: with the u flag a pair is one code point, so only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Why a value cannot be stored, as a sentence naming where (`path` is its name: "body",
 * "user"), or null when it can: NUL, which PostgreSQL's text and jsonb cannot hold; a lone UTF-16
 * surrogate, which is not text (jsonb refuses it, text would keep U+FFFD); nesting deeper than
 * `maxDepth`. Walked without recursion, so no depth can exhaust the stack.
 */
export function unstorable(value: unknown, path: string, maxDepth = MAX_DEPTH): string | null {
  const pending: [unknown, string, number][] = [[value, path, 0]]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [current, at, depth] = item
    if (typeof current === 'string') {
      const problem = badText(current)
      if (problem) return `${at} holds ${problem}, which cannot be stored`
      continue
    }
    if (typeof current !== 'object' || current === null) continue
    if (depth >= maxDepth) return `${path} nests deeper than ${maxDepth} levels of arrays and objects`
    const entries = Object.entries(current)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!
      const problem = badText(key)
      if (problem) return `${at} has a key that holds ${problem}, which cannot be stored`
      pending.push([child, Array.isArray(current) ? `${at}[${key}]` : `${at}.${key}`, depth + 1])
    }
  }
  return null
}

function badText(text: string): string | null {
  if (text.includes('\u0000')) return 'the NUL character (\\u0000)'
  if (LONE_SURROGATE.test(text)) return 'a lone UTF-16 surrogate (such as \\ud800)'
  return null
}

import { randomUUID } from 'node:crypto'

/** A new id: a readable prefix naming the kind of record, then a UUID. */
export function newId(prefix: 'cmp' | 'int' | 'usr' | 'team' | 'run' | 'held'): string {
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

/**
 * Where a value holds the NUL character, which PostgreSQL's text and jsonb cannot store: the path
 * from `path` ("body.name", "user.name.givenName"), or null when it holds none.
 */
export function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (typeof value !== 'object' || value === null) return null
  for (const [key, item] of Object.entries(value)) {
    const at = key.includes('\u0000')
      ? path
      : nulAt(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`)
    if (at !== null) return at
  }
  return null
}

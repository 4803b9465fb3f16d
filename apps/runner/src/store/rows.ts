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

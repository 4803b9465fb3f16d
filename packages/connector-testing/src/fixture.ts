import { readFileSync } from 'node:fs'
import type { Employee, SkippedPerson } from '@hrsync/core'

/** One recorded (or documented) HTTP exchange, in nock's definition shape. */
export interface FixtureInteraction {
  /** protocol and host, e.g. `https://api.personio.de:443` */
  scope: string
  method: string
  /** path with query string */
  path: string
  /** request body to match; absent = any body */
  body?: unknown
  /** the credentials the request carried; replay fails a request that sends other ones (absent = unchecked) */
  request?: FixtureRequest
  status: number
  response?: unknown
  rawHeaders?: string[] | Record<string, string>
}

/**
 * The part of a request that nock's matching does not cover: its credential headers, by lower-case name,
 * with every secret as a placeholder: `Bearer {{token:1}}`, `X-Api-Key: {{secret:apiKey}}`, or
 * `Basic {{base64:{{secret:apiKey}}:x}}` where the vendor wants the secret encoded. `{}` states that the
 * request carried no credentials at all.
 */
export interface FixtureRequest {
  headers: Record<string, string>
}

export interface FixtureMeta {
  source: 'recorded' | 'documented'
  recordedAt: string
  vendorApiVersion: string
  connectorVersion: string
  scrubbed: true
  scrubberVersion: string
  description: string
}

export interface FixtureExpectation {
  employees?: Employee[]
  skipped?: SkippedPerson[]
  error?: { code: string }
  /** the answer of checkConnection, replayed over `checkInteractions` (or `interactions`) */
  check?: { ok: true } | { ok: false; code: string }
}

/** One scenario: what the vendor answered and what the kit must make of it. */
export interface Fixture {
  meta: FixtureMeta
  /** connection settings, secrets and tenant names as `{{secret:key}}` / `{{config:key}}` placeholders */
  config: Record<string, unknown>
  /** in call order: pages replay deterministically */
  interactions: FixtureInteraction[]
  /** what checkConnection calls, when it differs from what listEmployees calls */
  checkInteractions?: FixtureInteraction[]
  expected: FixtureExpectation
}

export const PLACEHOLDER = /\{\{(secret|config|token):([A-Za-z0-9_.-]+)\}\}/g
/** `{{base64:…}}` around text that may hold placeholders: the text, placeholders filled, Base64-encoded */
export const BASE64_PLACEHOLDER = /\{\{base64:(.*?)\}\}/gs
/** 2: request parts with credential headers; emails pseudonymised to match the person's pseudonymised name */
export const SCRUBBER_VERSION = '2'

export function loadFixture(path: string): Fixture {
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as Fixture
  if (!fixture.meta || !Array.isArray(fixture.interactions) || !fixture.expected || !fixture.config) {
    throw new Error(`${path} is not a fixture: it needs meta, config, interactions and expected`)
  }
  return fixture
}

/** The dummy value a placeholder stands for during replay; tenant values come from the fixture's config. */
function dummyFor(kind: string, key: string, literalConfig: Record<string, unknown>): string {
  const literal = literalConfig[key]
  if (kind !== 'token' && (typeof literal === 'string' || typeof literal === 'number')) return String(literal)
  if (kind === 'secret') return `test-${key.toLowerCase()}-value`
  if (kind === 'token') return `test-token-${key}`
  return `example-${key.toLowerCase()}`
}

/** A fixture's text with its placeholders filled: the plain ones first, then the Base64 encodings around them. */
function fillText(text: string, literalConfig: Record<string, unknown>): string {
  return text
    .replace(PLACEHOLDER, (_, kind: string, key: string) => dummyFor(kind, key, literalConfig))
    .replace(BASE64_PLACEHOLDER, (_, plain: string) => Buffer.from(plain, 'utf8').toString('base64'))
}

function fillValue(value: unknown, literalConfig: Record<string, unknown>): unknown {
  if (typeof value === 'string') return fillText(value, literalConfig)
  if (Array.isArray(value)) return value.map((v) => fillValue(v, literalConfig))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v, literalConfig)]))
  }
  return value
}

/** The config values that are not placeholders: a `{{secret:key}}` elsewhere stands for them. */
function literalConfigOf(fixture: Fixture): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fixture.config).filter(
      ([, v]) => typeof v !== 'string' || !new RegExp(PLACEHOLDER).test(v),
    ),
  )
}

/** Replaces every placeholder with a dummy value, consistently between config and interactions. */
export function fillPlaceholders(fixture: Fixture): Fixture {
  return fillValue(fixture, literalConfigOf(fixture)) as Fixture
}

/**
 * Every placeholder the fixture holds with the value replay fills in for it, and each literal setting of
 * its config as `{{config:key}}` (a client id inside a Basic header), longest value first: what a
 * connector sent can then be shown, and captured, in the fixture's own terms.
 */
export function placeholderValues(fixture: Fixture): Array<[value: string, placeholder: string]> {
  const literal = literalConfigOf(fixture)
  const found = new Map<string, string>()
  // a value as short as "1" would turn every digit into a placeholder
  const add = (value: string, placeholder: string) => {
    if (value.length >= 3 && !found.has(value)) found.set(value, placeholder)
  }
  for (const [placeholder, kind = '', key = ''] of JSON.stringify(fixture).matchAll(PLACEHOLDER)) {
    add(dummyFor(kind, key, literal), placeholder)
  }
  for (const [key, value] of Object.entries(literal)) {
    if (typeof value === 'string' && /^[A-Za-z0-9_.-]+$/.test(key)) add(value, `{{config:${key}}}`)
  }
  return [...found.entries()].sort(([a], [b]) => b.length - a.length)
}

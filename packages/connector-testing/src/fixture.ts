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
  status: number
  response?: unknown
  rawHeaders?: string[] | Record<string, string>
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
export const SCRUBBER_VERSION = '1'

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

function fillValue(value: unknown, literalConfig: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_, kind: string, key: string) => dummyFor(kind, key, literalConfig))
  }
  if (Array.isArray(value)) return value.map((v) => fillValue(v, literalConfig))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v, literalConfig)]))
  }
  return value
}

/** Replaces every placeholder with a dummy value, consistently between config and interactions. */
export function fillPlaceholders(fixture: Fixture): Fixture {
  const literal = Object.fromEntries(
    Object.entries(fixture.config).filter(
      ([, v]) => typeof v !== 'string' || !new RegExp(PLACEHOLDER).test(v),
    ),
  )
  return fillValue(fixture, literal) as Fixture
}

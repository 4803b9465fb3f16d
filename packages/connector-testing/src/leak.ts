import { readFileSync } from 'node:fs'
import { type ConnectorDefinition, secretKeys } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import type { Fixture } from './fixture.js'

export interface LeakFinding {
  file: string
  /** where in the fixture, e.g. `interactions[1].response.data[0].attributes.email.value` */
  path: string
  reason: string
}

export interface LeakCheckOptions {
  /** email domains besides example.com/.org/.test that the vendor's documentation uses in examples */
  allowedEmailDomains?: string[]
  /** current secret values (record mode): none may appear anywhere */
  secrets?: string[]
  /** when given, the fixture's config must hold each of its secrets in placeholder form */
  connector?: Pick<ConnectorDefinition<TObject>, 'config'>
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/
const LONG_KEY = /[A-Za-z0-9+_=-]{32,}/g
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const AUTH_VALUE = /\b(Bearer|Basic)\s+(?!\{\{)([A-Za-z0-9._~+/=-]{8,})/
const EMAIL = /[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g
const PLACEHOLDER_LIKE = /\{\{[^}]*\}\}/g
const VALID_PLACEHOLDER = /^\{\{(secret|config|token):[A-Za-z0-9_.-]+\}\}$/
/** `{{base64:…}}` around text and plain placeholders */
const BASE64_AROUND = /\{\{base64:((?:[^{}]|\{\{(?:secret|config|token):[A-Za-z0-9_.-]+\}\})*)\}\}/g
const DEFAULT_DOMAINS = ['example.com', 'example.org', 'example.test', 'example.net']

const HEX = /^[0-9a-f]+$/i
/** where a long hex string is a credential rather than an id: headers, URLs and query strings, config, key-named fields */
const SECRET_PLACE =
  /(^|\.)(config\.|rawHeaders|request\.headers)|\.path$|(key|secret|token|password|passwd|credential|signature|auth)[^.[]*(\[\d+\])?$/i

function looksLikeKey(candidate: string, path: string): boolean {
  const parts = candidate.split('-')
  if (candidate.split('-').length === 5 && UUID.test(candidate)) return false
  if (parts.every((part) => part.length < 32 && /^[a-z]*$/i.test(part))) return false
  // identifiers made of words and numbers: dependent_disabled_adults_below_65, Total_Pages_2024
  const words = candidate.split(/[_-]/)
  if (
    words.length >= 3 &&
    words.every((w) => w.length <= 16 && (/^[A-Za-z]+$/.test(w) || /^\d{1,8}$/.test(w)))
  )
    return false
  // 32-hex ids (Workday WIDs, MD5-style ids) are data in bodies; only a credential where one is sent or kept
  if (HEX.test(candidate) && !path.endsWith(' (key)') && !SECRET_PLACE.test(path)) return false
  return /\d/.test(candidate) && /[A-Za-z]/.test(candidate)
}

/**
 * The text with each `{{base64:…}}` replaced by what it encodes, its placeholders kept, so the encoded
 * text is checked like any other (`Basic {{base64:{{secret:apiKey}}:x}}` → `Basic {{secret:apiKey}}:x`).
 */
function unwrapBase64(text: string): string {
  return text.replace(BASE64_AROUND, '$1')
}

function problemsIn(original: string, domains: string[], secrets: string[], path = ''): string[] {
  const found: string[] = []
  const text = unwrapBase64(original)
  for (const placeholder of text.match(PLACEHOLDER_LIKE) ?? []) {
    if (!VALID_PLACEHOLDER.test(placeholder)) found.push(`malformed placeholder ${placeholder}`)
  }
  const bare = text.replace(PLACEHOLDER_LIKE, '')
  if (JWT.test(bare)) found.push('a JWT-looking token (eyJ…)')
  const auth = AUTH_VALUE.exec(bare)
  if (auth) found.push(`an Authorization value after "${auth[1]}" that is not a placeholder`)
  for (const candidate of bare.match(LONG_KEY) ?? []) {
    if (!/^eyJ/.test(candidate) && looksLikeKey(candidate, path)) {
      found.push(`a long key-like string (${candidate.slice(0, 6)}…, ${candidate.length} chars)`)
    }
  }
  for (const match of bare.matchAll(EMAIL)) {
    const domain = (match[1] ?? '').toLowerCase()
    if (!domains.some((allowed) => domain === allowed || domain.endsWith(`.${allowed}`))) {
      found.push(`an email at a real-looking domain (${domain})`)
    }
  }
  for (const secret of secrets) {
    if (secret.length >= 4 && text.includes(secret)) found.push('a current secret value')
  }
  return found
}

function walk(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path)
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, `${path}[${i}]`, visit)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit(key, `${path}.${key} (key)`)
      walk(item, path === '' ? key : `${path}.${key}`, visit)
    }
  }
}

/** Checks fixture contents for secrets, tokens and real personal data; an empty list means clean. */
export function leakCheckFixture(
  file: string,
  fixture: Fixture,
  options: LeakCheckOptions = {},
): LeakFinding[] {
  const domains = [...DEFAULT_DOMAINS, ...(options.allowedEmailDomains ?? []).map((d) => d.toLowerCase())]
  const findings: LeakFinding[] = []
  const { meta, ...checked } = fixture
  walk({ ...checked, meta: { ...meta, description: '' } }, '', (text, path) => {
    for (const reason of problemsIn(text, domains, options.secrets ?? [], path))
      findings.push({ file, path, reason })
  })
  if (options.connector) {
    for (const key of secretKeys(options.connector.config)) {
      const value = fixture.config?.[key]
      if (value !== undefined && value !== `{{secret:${key}}}`) {
        findings.push({
          file,
          path: `config.${key}`,
          reason: `secret "${key}" must be the placeholder {{secret:${key}}}`,
        })
      }
    }
  }
  return findings
}

/** Runs the leak check over fixture files. */
export function leakCheck(fixtureFiles: string[], options: LeakCheckOptions = {}): LeakFinding[] {
  return fixtureFiles.flatMap((file) => {
    let fixture: Fixture
    try {
      fixture = JSON.parse(readFileSync(file, 'utf8')) as Fixture
    } catch (error) {
      return [{ file, path: '', reason: `not readable JSON: ${(error as Error).message}` }]
    }
    return leakCheckFixture(file, fixture, options)
  })
}

export function formatFindings(findings: LeakFinding[]): string {
  return findings.map((f) => `${f.file}: ${f.path || '(file)'}: ${f.reason}`).join('\n')
}

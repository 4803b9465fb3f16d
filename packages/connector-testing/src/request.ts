import type { FixtureInteraction, FixtureRequest } from './fixture.js'

/** Literal values and the placeholders that stand for them in a fixture, longest value first. */
export type KnownValues = ReadonlyArray<readonly [value: string, placeholder: string]>

/** What a connector sent, as nock saw it. */
export interface SentRequest {
  method: string
  /** absolute URL */
  url: string
  headers: Record<string, unknown>
  body?: string
}

/** Header names that carry credentials whatever their value: Authorization, X-Api-Key, X-Auth-Token… */
const CREDENTIAL_NAME = /authorization|api-?key|token|secret|password|auth|session|signature|credential/i
const PLACEHOLDER_INSIDE = /\{\{(secret|token):/
/** a Base64 word long enough to hold a credential (`Basic dXNlcjpwYXNz`, AFAS's `AfasToken PHRva2VuPi…`) */
const BASE64_WORD = /^[A-Za-z0-9+/]{8,}={0,2}$/

const replaceKnown = (text: string, known: KnownValues) =>
  known.reduce((out, [value, placeholder]) => out.split(value).join(placeholder), text)

/** The word's decoded text when it is Base64 of readable text, else undefined. */
function decodedBase64(word: string): string | undefined {
  if (!BASE64_WORD.test(word) || word.length % 4 !== 0) return undefined
  const text = Buffer.from(word, 'base64').toString('utf8')
  if (Buffer.from(text, 'utf8').toString('base64') !== word) return undefined
  // printable, and free of the braces the placeholder grammar uses
  return /^[\x20-\x7e]*$/.test(text) && !text.includes('{{') && !text.includes('}}') ? text : undefined
}

/**
 * A header value in fixture form: known values become their placeholders, and a Base64 word whose
 * decoded text holds one becomes `{{base64:…}}` around that text, so `Basic <base64 of key:x>` reads
 * `Basic {{base64:{{secret:apiKey}}:x}}`.
 */
export function templateOf(value: string, known: KnownValues): string {
  const words = value.split(' ').map((word) => {
    const decoded = decodedBase64(word)
    if (decoded === undefined) return word
    const inner = replaceKnown(decoded, known)
    return inner === decoded ? word : `{{base64:${inner}}}`
  })
  return replaceKnown(words.join(' '), known)
}

const headerText = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value))

/** The credential headers among a request's headers, lower-case names, values in fixture form. */
export function credentialHeaders(headers: Record<string, unknown>, known: KnownValues): FixtureRequest {
  const found: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const template = templateOf(headerText(value), known)
    if (CREDENTIAL_NAME.test(name) || PLACEHOLDER_INSIDE.test(template)) found[name.toLowerCase()] = template
  }
  return { headers: found }
}

const quoted = (value: string | undefined) => (value === undefined ? 'none' : JSON.stringify(value))

/**
 * How the credentials a request carried differ from the recorded ones, one line per header; empty when
 * they agree. `expected` is the fixture's form, `filled` the same with placeholders filled as replay fills
 * them, `known` turns what was sent back into the fixture's form for the message.
 */
export function credentialDiff(
  expected: FixtureRequest,
  filled: FixtureRequest,
  sentHeaders: Record<string, unknown>,
  known: KnownValues,
): string[] {
  const sent = credentialHeaders(sentHeaders, known).headers
  const sentRaw = Object.fromEntries(
    Object.entries(sentHeaders).map(([name, value]) => [name.toLowerCase(), headerText(value)]),
  )
  const lines: string[] = []
  const expectedFilled = Object.fromEntries(
    Object.entries(filled.headers).map(([name, value]) => [name.toLowerCase(), value]),
  )
  for (const [name, template] of Object.entries(expected.headers)) {
    const lower = name.toLowerCase()
    const actual = sentRaw[lower]
    if (actual === expectedFilled[lower]) continue
    const shown = actual === undefined ? undefined : templateOf(actual, known)
    lines.push(`${lower}: expected ${quoted(template)}, sent ${quoted(shown)}`)
  }
  for (const [name, template] of Object.entries(sent)) {
    if (!(name in expectedFilled)) lines.push(`${name}: expected none, sent ${quoted(template)}`)
  }
  return lines
}

function queryOf(url: URL): Map<string, string> {
  const query = new Map<string, string>()
  for (const [key, value] of url.searchParams) {
    query.set(key, query.has(key) ? `${query.get(key)},${value}` : value)
  }
  return query
}

/** The request body as an object when it is JSON or a form, else the text. */
function parsedBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined
  try {
    return JSON.parse(body)
  } catch {
    if (/^[^=&\s]+=[^&\s]*(&[^=&\s]+=[^&\s]*)*$/.test(body))
      return Object.fromEntries(new URLSearchParams(body))
    return body
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  )
}

function bodyDiff(expected: unknown, sentText: string | undefined, known: KnownValues): string[] {
  if (expected === undefined) return [] // the fixture matches any body
  const sent = parsedBody(sentText)
  if (sameValue(expected, sent)) return []
  const show = (value: unknown) => (value === undefined ? 'none' : replaceKnown(JSON.stringify(value), known))
  const isRecord = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
  if (!isRecord(expected) || !isRecord(sent)) return [`body: expected ${show(expected)}, sent ${show(sent)}`]
  return [...new Set([...Object.keys(expected), ...Object.keys(sent)])]
    .filter((key) => !sameValue(expected[key], sent[key]))
    .map((key) => `body ${key}: expected ${show(expected[key])}, sent ${show(sent[key])}`)
}

/** How a request differs from an interaction in what nock matches: origin, method, path, query and body. */
export function requestDiff(
  interaction: FixtureInteraction,
  sent: SentRequest,
  known: KnownValues,
): string[] {
  const expectedUrl = new URL(interaction.path, interaction.scope)
  const sentUrl = new URL(sent.url)
  const lines: string[] = []
  const show = (text: string) => replaceKnown(text, known)
  if (expectedUrl.origin !== sentUrl.origin)
    lines.push(`host: expected ${show(expectedUrl.origin)}, sent ${show(sentUrl.origin)}`)
  if (interaction.method.toUpperCase() !== sent.method.toUpperCase())
    lines.push(`method: expected ${interaction.method.toUpperCase()}, sent ${sent.method.toUpperCase()}`)
  if (expectedUrl.pathname !== sentUrl.pathname)
    lines.push(`path: expected ${show(expectedUrl.pathname)}, sent ${show(sentUrl.pathname)}`)
  const expectedQuery = queryOf(expectedUrl)
  const sentQuery = queryOf(sentUrl)
  for (const key of new Set([...expectedQuery.keys(), ...sentQuery.keys()])) {
    const [want, got] = [expectedQuery.get(key), sentQuery.get(key)]
    if (want !== got)
      lines.push(
        `query ${key}: expected ${quoted(want === undefined ? want : show(want))}, sent ${quoted(got === undefined ? got : show(got))}`,
      )
  }
  return [...lines, ...bodyDiff(interaction.body, sent.body, known)]
}

/**
 * The interaction a request that matched none was most likely meant for: same host and method first,
 * then same path, then same query, earliest in the fixture on a tie.
 */
export function nearestInteraction(
  candidates: ReadonlyArray<{ index: number; interaction: FixtureInteraction }>,
  sent: SentRequest,
): { index: number; interaction: FixtureInteraction } | undefined {
  const sentUrl = new URL(sent.url)
  const score = ({ interaction }: { interaction: FixtureInteraction }) => {
    const url = new URL(interaction.path, interaction.scope)
    return (
      (url.origin === sentUrl.origin ? 8 : 0) +
      (interaction.method.toUpperCase() === sent.method.toUpperCase() ? 4 : 0) +
      (url.pathname === sentUrl.pathname ? 2 : 0) +
      (url.search === sentUrl.search ? 1 : 0)
    )
  }
  let best: { index: number; interaction: FixtureInteraction } | undefined
  for (const candidate of candidates) {
    if (!best || score(candidate) > score(best)) best = candidate
  }
  return best
}

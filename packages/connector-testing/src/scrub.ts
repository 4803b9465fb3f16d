import { createHmac } from 'node:crypto'
import { type ConnectorDefinition, hostPartKeys, secretKeys } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import type { FixtureInteraction } from './fixture.js'
import { Pseudonyms } from './pseudonyms.js'
import { credentialHeaders, type KnownValues } from './request.js'

/** fields that carry an issued token (page tokens such as nextPageToken are cursors and stay) */
const TOKEN_KEYS = /^(access|refresh|id|session|api|auth|bearer|security)?_?token$/i
const KEPT_HEADERS = /^(content-type|link|location|retry-after|.*rate-?limit.*)$/i
const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g
// English names plus the Dutch, German, French and Spanish ones HR vendors use as field names
const FIRST_NAME_KEY =
  /^(first_?name|given_?name|preferred_?name|firstname|givenname|preferredname|nick_?name|voornaam|roepnaam|voorletters|vorname|rufname|pr[eé]nom|nombre)$/i
const LAST_NAME_KEY =
  /^(last_?name|family_?name|sur_?name|lastname|familyname|surname|maiden_?name|achternaam|geboortenaam|nachname|familienname|nom_?de_?famille|apellidos?)$/i
const FULL_NAME_KEY =
  /^(full_?name|display_?name|displayname|fullname|employee_?name|formatted_?name|volledige_?naam|weergavenaam)$/i
const PHONE_KEY = /phone|mobile|fax|telephone/i
const ERASED_KEY =
  /address|street|city|zip|postal|birth|salary|iban|bic|ssn|social_?security|tax_?id|passport/i

/**
 * A connector's own names of personal fields, matched case-insensitively against the field name (or the
 * parent's name for `{label, value}` wrappers). Names already covered (first_name, Voornaam, phone…) need
 * not be listed.
 */
export interface PiiKeys {
  /** replaced by a first-name pseudonym */
  firstName?: string[]
  /** replaced by a last-name pseudonym */
  lastName?: string[]
  /** replaced by "First Last" pseudonyms */
  fullName?: string[]
  /** replaced by a fake phone number */
  phone?: string[]
  /** replaced by "scrubbed" (numbers by 0) */
  erased?: string[]
}

export interface ScrubOptions {
  /** the vendor's own names of personal fields */
  piiKeys?: PiiKeys
  /** tokens the recording obtained (token exchange, OAuth2); replaced by `{{token:n}}` */
  tokens?: string[]
  /** keys the pseudonyms; the same key gives the same pseudonyms across recordings */
  key?: string
}

/** An interaction as nock's recorder gives it, with the request's headers when they were recorded. */
export type RecordedInteraction = FixtureInteraction & { reqheaders?: Record<string, unknown> }

/**
 * Makes a recording safe to commit: secret and tenant values become placeholders (derived Basic/Bearer
 * values and issued tokens included), the request's credential headers are kept as its `request` part in
 * placeholder form, other headers that vary are dropped, and names, emails and phone numbers are replaced
 * by deterministic pseudonyms so references between records still hold (an email follows its person's
 * fake name).
 */
export function scrubRecording<S extends TObject>(
  connector: ConnectorDefinition<S>,
  config: Record<string, unknown>,
  interactions: RecordedInteraction[],
  options: ScrubOptions = {},
): FixtureInteraction[] {
  const key = options.key ?? process.env.HRSYNC_SCRUB_KEY ?? `hrsync-scrub:${connector.id}`
  const listed = (names: string[] | undefined) => {
    const set = new Set((names ?? []).map((name) => name.toLowerCase()))
    return (field: string) => set.has(field.toLowerCase())
  }
  const extra = options.piiKeys ?? {}
  const isFirst = (f: string) => FIRST_NAME_KEY.test(f) || listed(extra.firstName)(f)
  const isLast = (f: string) => LAST_NAME_KEY.test(f) || listed(extra.lastName)(f)
  const isFull = (f: string) => FULL_NAME_KEY.test(f) || listed(extra.fullName)(f)
  const isPhone = (f: string) => PHONE_KEY.test(f) || listed(extra.phone)(f)
  const isErased = (f: string) => ERASED_KEY.test(f) || listed(extra.erased)(f)
  const hash = (value: string) => createHmac('sha256', key).update(value).digest()
  const replacements = new Map<string, string>()
  /** the values themselves, without encoded forms: request headers spell an encoding out as {{base64:…}} */
  const plain = new Map<string, string>()
  const put = (value: unknown, placeholder: string, encoded = false) => {
    if (typeof value !== 'string' || value.length < 3 || replacements.has(value)) return
    replacements.set(value, placeholder)
    replacements.set(encodeURIComponent(value), placeholder)
    if (!encoded) plain.set(value, placeholder)
  }
  const base64 = (text: string) => Buffer.from(text).toString('base64')
  for (const name of secretKeys(connector.config)) {
    const value = config[name]
    if (typeof value !== 'string') continue
    put(value, `{{secret:${name}}}`)
    put(base64(`${value}:x`), `{{secret:${name}}}`, true)
    put(base64(`${value}:`), `{{secret:${name}}}`, true)
    put(base64(value), `{{secret:${name}}}`, true)
  }
  const auth = connector.auth?.(config as never)
  if (auth?.type === 'basic') {
    const owner = secretKeys(connector.config).find((name) => config[name] === auth.password) ?? 'password'
    put(base64(`${auth.username}:${auth.password}`), `{{secret:${owner}}}`, true)
  }
  let tokenCount = 0
  const addToken = (token: string) => {
    if (!replacements.has(token) && token.length >= 3) put(token, `{{token:${++tokenCount}}}`)
  }
  for (const token of options.tokens ?? []) {
    if (!token.startsWith('Bearer ') && ![...replacements.keys()].includes(token)) addToken(token)
  }
  // a string under a token field, or any string inside an object under one ({ token: { data: … } })
  const collectTokens = (value: unknown, name?: string, underToken = false): void => {
    const tokenField = underToken || (name !== undefined && TOKEN_KEYS.test(name))
    if (typeof value === 'string' && tokenField && !/^(bearer|basic)$/i.test(value)) {
      addToken(value.replace(/^Bearer\s+/i, ''))
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value))
        collectTokens(
          v,
          Array.isArray(value) ? name : k,
          tokenField && !/^(token_?type|expires.*|scope)$/i.test(k),
        )
    }
  }
  for (const interaction of interactions) {
    collectTokens(interaction.response)
    collectTokens(interaction.body)
  }
  for (const name of hostPartKeys(connector.config)) put(config[name], `{{config:${name}}}`)

  const longestFirst = (entries: Iterable<[string, string]>) =>
    [...entries].sort(([a], [b]) => b.length - a.length)
  const ordered = longestFirst(replacements.entries())
  const replaceSecrets = (text: string) =>
    ordered.reduce((out, [value, placeholder]) => out.split(value).join(placeholder), text)
  const people = new Pseudonyms(hash)
  for (const interaction of interactions) {
    registerPeople(interaction.response, people, { isFirst, isLast, isFull })
    registerPeople(interaction.body, people, { isFirst, isLast, isFull })
  }
  const fakeEmail = (email: string) => people.email(email)
  const fakePhone = (phone: string) =>
    `+00 555 ${String(hash(phone).readUInt32BE(0) % 10_000_000).padStart(7, '0')}`

  const pseudonymise = (value: string, field: string | undefined): string => {
    if (field && isFirst(field)) return people.firstName(value)
    if (field && isLast(field)) return people.lastName(value)
    if (field && isFull(field)) return people.fullName(value)
    if (field && isPhone(field)) return fakePhone(value)
    if (field && isErased(field)) return 'scrubbed'
    return value.replace(EMAIL, fakeEmail)
  }
  const inHeaders: KnownValues = longestFirst([...plain.entries(), ...literalSettings(connector, config)])

  const walk = (value: unknown, name?: string, parent?: string, inBody = false): unknown => {
    // vendors that wrap each attribute ({label, value}) carry the field's name one level up
    const field = name === 'value' || name === 'text' ? parent : name
    if (typeof value === 'string') {
      const cleaned = replaceSecrets(value)
      return inBody && !cleaned.includes('{{') ? pseudonymise(cleaned, field) : cleaned
    }
    if (typeof value === 'number' && inBody && field && isErased(field)) return 0
    if (Array.isArray(value)) return value.map((item) => walk(item, name, parent, inBody))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, field, inBody)]))
    }
    return value
  }

  const headers = (raw: FixtureInteraction['rawHeaders']): string[] | undefined => {
    if (!raw) return undefined
    const pairs: Array<[string, string]> = Array.isArray(raw)
      ? raw.flatMap((v, i) => (i % 2 === 0 ? [[v, String(raw[i + 1] ?? '')] as [string, string]] : []))
      : Object.entries(raw)
    const rateLimitHeader = connector.http?.rateLimitResetHeader?.toLowerCase()
    return pairs
      .filter(([name]) => KEPT_HEADERS.test(name) || name.toLowerCase() === rateLimitHeader)
      .flatMap(([name, value]) => [name, replaceSecrets(value)])
  }

  return interactions.map((interaction) => {
    const scrubbed: FixtureInteraction = {
      scope: replaceSecrets(interaction.scope),
      method: interaction.method.toUpperCase(),
      path: replaceSecrets(interaction.path).replace(EMAIL, fakeEmail),
      ...(interaction.body !== undefined && interaction.body !== ''
        ? { body: walk(interaction.body, undefined, undefined, true) }
        : {}),
      ...(interaction.reqheaders ? { request: credentialHeaders(interaction.reqheaders, inHeaders) } : {}),
      status: interaction.status,
      response: walk(interaction.response, undefined, undefined, true),
    }
    const kept = headers(interaction.rawHeaders)
    if (kept && kept.length > 0) scrubbed.rawHeaders = kept
    return scrubbed
  })
}

/** Settings kept as recorded, as `{{config:key}}` where a credential header holds one (a Basic user name). */
function literalSettings<S extends TObject>(
  connector: ConnectorDefinition<S>,
  config: Record<string, unknown>,
): Array<[string, string]> {
  const placeheld = new Set([...secretKeys(connector.config), ...hostPartKeys(connector.config)])
  return Object.entries(config).flatMap(([name, value]) =>
    typeof value === 'string' && value.length >= 3 && !placeheld.has(name)
      ? [[value, `{{config:${name}}}`] as [string, string]]
      : [],
  )
}

interface NameFields {
  isFirst: (field: string) => boolean
  isLast: (field: string) => boolean
  isFull: (field: string) => boolean
}

/** A field's text: the string itself, or the `value` of a `{label, value}` wrapper. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object' && 'value' in value) {
    const inner = (value as { value: unknown }).value
    return typeof inner === 'string' ? inner : undefined
  }
  return undefined
}

const WHOLE_EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/
/** the record's own address (work_email, emailAddress…), not a reference such as manager_email */
const OWN_EMAIL_KEY =
  /^(work|business|primary|company|professional|personal|private|home|office)?e?mail(address|work|private|personal)?$/
const isOwnEmailField = (field: string) => OWN_EMAIL_KEY.test(field.toLowerCase().replace(/[-_ ]/g, ''))

/** Tells the pseudonyms whose email each record holds: a record with a name and an email address. */
function registerPeople(value: unknown, people: Pseudonyms, fields: NameFields): void {
  if (Array.isArray(value)) {
    for (const item of value) registerPeople(item, people, fields)
    return
  }
  if (value === null || typeof value !== 'object') return
  const name: { first?: string; last?: string; full?: string } = {}
  const emails: string[] = []
  for (const [field, item] of Object.entries(value)) {
    const text = textOf(item)
    if (text !== undefined && text.trim() !== '') {
      if (fields.isFirst(field)) name.first ??= text
      else if (fields.isLast(field)) name.last ??= text
      else if (fields.isFull(field)) name.full ??= text
      else if (isOwnEmailField(field) && WHOLE_EMAIL.test(text.trim())) emails.push(text.trim())
    }
    registerPeople(item, people, fields)
  }
  if (name.first || name.last || name.full) for (const email of emails) people.registerPerson(email, name)
}

/** The fixture's config: secrets and tenant names as placeholders, other settings as recorded. */
export function scrubConfig<S extends TObject>(
  connector: ConnectorDefinition<S>,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const secrets = new Set(secretKeys(connector.config))
  const hostParts = new Set(hostPartKeys(connector.config))
  return Object.fromEntries(
    Object.entries(config).map(([name, value]) => [
      name,
      secrets.has(name) ? `{{secret:${name}}}` : hostParts.has(name) ? `{{config:${name}}}` : value,
    ]),
  )
}

import { type Filter, parse } from 'scim2-parse-filter'
import { ScimError } from './errors.js'
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './urns.js'

/** Single-valued string attributes, core and enterprise. */
export type StringAttribute =
  | 'userName'
  | 'externalId'
  | 'displayName'
  | 'title'
  | 'employeeNumber'
  | 'department'
export type NameAttribute = 'givenName' | 'familyName' | 'formatted'
export type EmailAttribute = 'value' | 'type' | 'primary' | 'display'
export type ManagerAttribute = 'value' | 'displayName' | '$ref'

/** Which emails an `emails[...]` filter selects: every given field must be equal (case-insensitively). */
export interface EmailMatch {
  type?: string
  value?: string
  primary?: boolean
}

/** Where a PATCH path (or an attribute of a body) points, in our own terms. */
export type Target =
  | { kind: 'string'; attr: StringAttribute }
  | { kind: 'active' }
  | { kind: 'name'; sub: NameAttribute | null }
  | { kind: 'emails'; match: EmailMatch | null; sub: EmailAttribute | null }
  | { kind: 'manager'; ifValue: string | null; sub: ManagerAttribute | null }
  | { kind: 'enterprise' }
  | { kind: 'extra'; urn: string | null; key: string }
  /** core attributes we accept and do not store, and read-only ones (id, meta, schemas) */
  | { kind: 'ignored' }

const CORE_STRINGS = lookup<StringAttribute>(['userName', 'externalId', 'displayName', 'title'])
const ENTERPRISE_STRINGS = lookup<StringAttribute>(['employeeNumber', 'department'])
const NAME_SUBS = lookup<NameAttribute>(['givenName', 'familyName', 'formatted'])
const EMAIL_SUBS = lookup<EmailAttribute>(['value', 'type', 'primary', 'display'])
const MANAGER_SUBS = lookup<ManagerAttribute>(['value', 'displayName', '$ref'])
/** enterprise attributes (RFC 7643 §4.3) that we keep as sent without interpreting them */
const ENTERPRISE_EXTRAS = lookup(['costCenter', 'organization', 'division'])
/** core User attributes (RFC 7643 §4.1) hrsync does not store: accepted and dropped */
const CORE_IGNORED = lookup([
  'id',
  'meta',
  'schemas',
  'nickName',
  'profileUrl',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'password',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
])
const NAME_IGNORED = lookup(['middleName', 'honorificPrefix', 'honorificSuffix'])

function lookup<T extends string>(names: readonly T[]): Map<string, T> {
  return new Map(names.map((n) => [n.toLowerCase(), n]))
}

const PATH = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$-]*))?$/s

/**
 * Resolves a PATCH path such as `name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:manager` or `manager[value eq "…"]`. Names are case-insensitive.
 * A name outside every schema we know → 400 invalidPath; a custom extension URN is kept raw.
 */
export function parsePath(raw: string): Target {
  const path = raw.trim()
  const lower = path.toLowerCase()
  if (lower === ENTERPRISE_SCHEMA.toLowerCase()) return { kind: 'enterprise' }
  let scope: 'core' | 'enterprise' | 'any' = 'any'
  let rest = path
  if (lower.startsWith(`${USER_SCHEMA.toLowerCase()}:`)) {
    scope = 'core'
    rest = path.slice(USER_SCHEMA.length + 1)
  } else if (lower.startsWith(`${ENTERPRISE_SCHEMA.toLowerCase()}:`)) {
    scope = 'enterprise'
    rest = path.slice(ENTERPRISE_SCHEMA.length + 1)
  } else if (lower.startsWith('urn:')) {
    const colon = path.lastIndexOf(':')
    const key = path.slice(colon + 1)
    if (!key || colon < 4) throw invalidPath(raw, 'it names no attribute')
    return { kind: 'extra', urn: path.slice(0, colon), key }
  }
  const match = PATH.exec(rest)
  if (!match) throw invalidPath(raw, 'it is not an attribute path')
  const [, attrName = '', filterText, subName] = match
  const attr = attrName.toLowerCase()

  if (scope !== 'enterprise') {
    const string = CORE_STRINGS.get(attr)
    if (string) return noFilter(raw, filterText, noSub(raw, subName, { kind: 'string', attr: string }))
    if (attr === 'active') return noFilter(raw, filterText, noSub(raw, subName, { kind: 'active' }))
    if (attr === 'name') {
      if (filterText !== undefined) throw invalidPath(raw, 'only emails and manager take a [filter]')
      if (subName === undefined) return { kind: 'name', sub: null }
      if (NAME_IGNORED.has(subName.toLowerCase())) return { kind: 'ignored' }
      return { kind: 'name', sub: sub(raw, NAME_SUBS, subName) }
    }
    if (attr === 'emails') {
      return {
        kind: 'emails',
        match: filterText === undefined ? null : emailMatch(raw, filterText),
        sub: subName === undefined ? null : sub(raw, EMAIL_SUBS, subName),
      }
    }
    if (CORE_IGNORED.has(attr)) return { kind: 'ignored' }
    if (scope === 'core') throw invalidPath(raw, `"${attrName}" is not an attribute of the User schema`)
  }
  const string = ENTERPRISE_STRINGS.get(attr)
  if (string) return noFilter(raw, filterText, noSub(raw, subName, { kind: 'string', attr: string }))
  if (attr === 'manager') {
    return {
      kind: 'manager',
      ifValue: filterText === undefined ? null : managerMatch(raw, filterText),
      sub: subName === undefined ? null : sub(raw, MANAGER_SUBS, subName),
    }
  }
  const extra = ENTERPRISE_EXTRAS.get(attr)
  if (extra) return noFilter(raw, filterText, noSub(raw, subName, { kind: 'extra', urn: null, key: extra }))
  throw invalidPath(raw, `"${attrName}" is not an attribute of the User or enterprise User schema`)
}

/** The attribute names of the enterprise extension object, resolved like paths. */
export function enterpriseTarget(key: string): Target {
  return parsePath(`${ENTERPRISE_SCHEMA}:${key}`)
}

function noFilter<T extends Target>(raw: string, filterText: string | undefined, target: T): T {
  if (filterText !== undefined) throw invalidPath(raw, 'only emails and manager take a [filter]')
  return target
}

function noSub<T extends Target>(raw: string, subName: string | undefined, target: T): T {
  if (subName !== undefined) throw invalidPath(raw, `the attribute has no sub-attribute "${subName}"`)
  return target
}

function sub<T extends string>(raw: string, names: Map<string, T>, name: string): T {
  const found = names.get(name.toLowerCase())
  if (!found) throw invalidPath(raw, `"${name}" is not a sub-attribute here`)
  return found
}

function emailMatch(raw: string, filterText: string): EmailMatch {
  const match: EmailMatch = {}
  for (const { attr, value } of equalities(raw, filterText)) {
    const name = attr.replace(/^emails\./i, '').toLowerCase()
    if (name === 'type' && typeof value === 'string') match.type = value
    else if (name === 'value' && typeof value === 'string') match.value = value
    else if (name === 'primary' && typeof value === 'boolean') match.primary = value
    else throw invalidPath(raw, `emails can be selected by type, value or primary, not by "${attr}"`)
  }
  return match
}

function managerMatch(raw: string, filterText: string): string {
  const [first, ...more] = equalities(raw, filterText)
  const name = first?.attr.replace(/^manager\./i, '').toLowerCase()
  if (!first || more.length > 0 || name !== 'value' || typeof first.value !== 'string') {
    throw invalidPath(raw, 'manager can be selected only by value eq "…"')
  }
  return first.value
}

/** `a eq "x" and b eq "y"` → [{a,x},{b,y}]; any other filter in a path → invalidPath. */
function equalities(raw: string, filterText: string): { attr: string; value: unknown }[] {
  let filter: Filter
  try {
    filter = parse(filterText)
  } catch (error) {
    throw invalidPath(raw, `its filter does not parse (${(error as Error).message})`)
  }
  const out: { attr: string; value: unknown }[] = []
  const walk = (f: Filter): void => {
    if (f.op === 'and') f.filters.forEach(walk)
    else if (f.op === 'eq') out.push({ attr: f.attrPath, value: f.compValue })
    else throw invalidPath(raw, 'a filter inside a path may only combine eq with and')
  }
  walk(filter)
  return out
}

function invalidPath(raw: string, why: string): ScimError {
  return new ScimError(400, 'invalidPath', `Path "${raw}" is not supported: ${why}`)
}

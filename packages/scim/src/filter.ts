import { type Filter, parse } from 'scim2-parse-filter'
import { ScimError } from './errors.js'
import { SCIM_LIMITS } from './limits.js'
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './urns.js'
import type { ScimEmail, ScimUserRecord } from './user.js'

/** A parameterised PostgreSQL condition: `$n` placeholders numbered from the caller's start. */
export interface SqlFragment {
  sql: string
  params: unknown[]
}

/**
 * The SQL expressions (trusted, from code) the filterable attributes live in. `emails` is a jsonb
 * array of ScimEmail objects; `created`/`lastModified` are timestamptz.
 */
export interface ScimColumns {
  id: string
  userName: string
  externalId: string
  displayName: string
  givenName: string
  familyName: string
  active: string
  employeeNumber: string
  emails: string
  created: string
  lastModified: string
}

/** The column names hrsync's scim_users table uses (see README). */
export const SCIM_USER_COLUMNS: ScimColumns = {
  id: 'id',
  userName: 'user_name',
  externalId: 'external_id',
  displayName: 'display_name',
  givenName: 'given_name',
  familyName: 'family_name',
  active: 'active',
  employeeNumber: 'employee_number',
  emails: 'emails',
  created: 'created_at',
  lastModified: 'last_modified',
}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le'
type ScalarColumn = Exclude<keyof ScimColumns, 'emails'>
type EmailSub = 'value' | 'type' | 'primary' | 'display'

interface StringField {
  kind: 'string'
  column: ScalarColumn
  caseExact: boolean
  get: (record: ScimUserRecord) => string | null
}
interface BooleanField {
  kind: 'boolean'
  column: ScalarColumn
  get: (record: ScimUserRecord) => boolean | null
}
interface DateTimeField {
  kind: 'dateTime'
  column: ScalarColumn
  get: (record: ScimUserRecord) => string | null
}
type ScalarField = StringField | BooleanField | DateTimeField

/** A checked filter over our whitelist; both the SQL and the in-memory evaluation come from it. */
type Node =
  | { t: 'and' | 'or'; nodes: Node[] }
  | { t: 'not'; node: Node }
  | { t: 'cmp'; field: ScalarField; op: CompareOp | 'pr'; value: string | boolean | null }
  | { t: 'emails'; cond: EmailNode | null }
type EmailNode =
  | { t: 'and' | 'or'; nodes: EmailNode[] }
  | { t: 'not'; node: EmailNode }
  | { t: 'cmp'; sub: EmailSub; op: CompareOp | 'pr'; value: string | boolean | null }

const str = (column: ScalarColumn, caseExact: boolean, get: StringField['get']): StringField => ({
  kind: 'string',
  column,
  caseExact,
  get,
})

/** The filterable attributes, by lower-cased name (RFC 7643 caseExact as noted). */
const FIELDS = new Map<string, ScalarField>([
  ['id', str('id', true, (r) => r.id)],
  ['username', str('userName', false, (r) => r.user.userName)],
  ['externalid', str('externalId', true, (r) => r.user.externalId)],
  ['displayname', str('displayName', false, (r) => r.user.displayName)],
  ['name.givenname', str('givenName', false, (r) => r.user.name.givenName)],
  ['name.familyname', str('familyName', false, (r) => r.user.name.familyName)],
  ['employeenumber', str('employeeNumber', false, (r) => r.user.employeeNumber)],
  ['active', { kind: 'boolean', column: 'active', get: (r) => r.user.active }],
  ['meta.created', { kind: 'dateTime', column: 'created', get: (r) => r.created }],
  ['meta.lastmodified', { kind: 'dateTime', column: 'lastModified', get: (r) => r.lastModified }],
])
const EMAIL_SUBS = new Map<string, EmailSub>([
  ['value', 'value'],
  ['type', 'type'],
  ['primary', 'primary'],
  ['display', 'display'],
])

const OPS: Record<ScalarField['kind'] | 'email', ReadonlySet<string>> = {
  string: new Set(['eq', 'ne', 'co', 'sw', 'ew', 'pr']),
  boolean: new Set(['eq', 'ne', 'pr']),
  dateTime: new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'pr']),
  email: new Set(['eq', 'ne', 'co', 'sw', 'ew', 'pr']),
}

/** An indexed key and the value the users a filter selects have for it (userName in any case). */
export interface ScimLookup {
  attribute: 'id' | 'userName' | 'externalId'
  value: string
}

/** A parsed, whitelisted SCIM filter: render it as SQL for a database, or test it on a record. */
export interface ScimFilter {
  readonly text: string
  /**
   * Every user the filter selects has an indexed key (id, userName or externalId) equal to a value the
   * filter names, so it selects few users: a database should find them by that key and order them
   * afterwards, not walk the list in order looking for them.
   */
  readonly selective: boolean
  /**
   * A key every user the filter selects has: `{ attribute: 'userName', value: 'a@b.test' }` for
   * `userName eq "a@b.test" and active eq true`. A store can start from the one user with that key and
   * test only it with `matches`; null when the filter names no such key (an `or`, say).
   */
  readonly lookup: ScimLookup | null
  toSql(firstParam?: number, columns?: ScimColumns): SqlFragment
  matches(record: ScimUserRecord): boolean
}

/**
 * Parses a `filter` query parameter (RFC 7644 §3.4.2.2). Attribute names and operators are
 * case-insensitive; userName compares case-insensitively. Anything outside the whitelist, an
 * operator that doesn't fit the attribute, or a malformed filter → ScimError 400 invalidFilter.
 */
export function parseFilter(text: string): ScimFilter {
  let ast: Filter
  try {
    ast = parse(text)
  } catch (error) {
    // the parser recurses once per nesting level: thousands of levels exhaust its stack
    if (error instanceof RangeError) throw tooDeep()
    throw invalidFilter(`The filter ${JSON.stringify(text)} does not parse: ${(error as Error).message}`)
  }
  if (depthOf(ast) > SCIM_LIMITS.filterDepth) throw tooDeep()
  const node = compile(ast)
  return {
    text,
    selective: selective(node),
    lookup: lookup(node),
    toSql: (firstParam = 1, columns = SCIM_USER_COLUMNS) => toSql(node, firstParam, columns),
    matches: (record) => evaluate(node, record),
  }
}

/** Shorthand: the SQL condition of a filter, parameters numbered from `firstParam`. */
export function filterToSql(
  text: string,
  firstParam = 1,
  columns: ScimColumns = SCIM_USER_COLUMNS,
): SqlFragment {
  return parseFilter(text).toSql(firstParam, columns)
}

/** How deeply and/or/not/[ ] nest in a parsed filter, counted without recursion. */
function depthOf(root: Filter): number {
  let deepest = 0
  const pending: [Filter, number][] = [[root, 1]]
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [f, depth] = item
    deepest = Math.max(deepest, depth)
    if (f.op === 'and' || f.op === 'or') for (const child of f.filters) pending.push([child, depth + 1])
    else if (f.op === 'not') pending.push([f.filter, depth + 1])
    else if (f.op === '[]') pending.push([f.valFilter, depth + 1])
  }
  return deepest
}

function tooDeep(): ScimError {
  return invalidFilter(
    `The filter nests deeper than ${SCIM_LIMITS.filterDepth} levels of and, or, not and [ ]`,
  )
}

function compile(f: Filter): Node {
  switch (f.op) {
    case 'and':
    case 'or': {
      const [first, second] = f.filters
      // the parser turns `emails[type eq "work"].value eq "x"` into `emails[…] and emails.value eq "x"`;
      // both sides must hold for the same email
      if (f.op === 'and' && f.filters.length === 2 && first?.op === '[]' && second && 'attrPath' in second) {
        const prefix = `${first.attrPath.toLowerCase()}.`
        if (second.attrPath.toLowerCase().startsWith(prefix) && isEmails(first.attrPath)) {
          return {
            t: 'emails',
            cond: { t: 'and', nodes: [compileEmail(first.valFilter), compileEmail(second)] },
          }
        }
      }
      return { t: f.op, nodes: f.filters.map(compile) }
    }
    case 'not':
      return { t: 'not', node: compile(f.filter) }
    case '[]':
      if (!isEmails(f.attrPath))
        throw invalidFilter(`Only emails can be filtered with [ ], not ${f.attrPath}`)
      return { t: 'emails', cond: compileEmail(f.valFilter) }
    default: {
      const name = attributeName(f.attrPath)
      if (name === 'emails') {
        return { t: 'emails', cond: f.op === 'pr' ? null : compileEmail({ ...f, attrPath: 'value' }) }
      }
      if (name.startsWith('emails.')) return { t: 'emails', cond: compileEmail(f) }
      const field = FIELDS.get(name)
      if (!field) throw invalidFilter(`Filtering on "${f.attrPath}" is not supported`)
      checkOp(f.op, field.kind, f.attrPath)
      const value = f.op === 'pr' ? null : compValue(field.kind, f.compValue, f.attrPath)
      return { t: 'cmp', field, op: f.op, value }
    }
  }
}

function compileEmail(f: Filter): EmailNode {
  switch (f.op) {
    case 'and':
    case 'or':
      return { t: f.op, nodes: f.filters.map(compileEmail) }
    case 'not':
      return { t: 'not', node: compileEmail(f.filter) }
    case '[]':
      throw invalidFilter('A [ ] filter cannot be nested')
    default: {
      const name = attributeName(f.attrPath).replace(/^emails\./, '')
      const sub = EMAIL_SUBS.get(name)
      if (!sub) throw invalidFilter(`emails has no sub-attribute "${f.attrPath}"`)
      const kind = sub === 'primary' ? 'boolean' : 'string'
      checkOp(f.op, sub === 'primary' ? 'boolean' : 'email', f.attrPath)
      const value = f.op === 'pr' ? null : compValue(kind, f.compValue, f.attrPath)
      return { t: 'cmp', sub, op: f.op, value }
    }
  }
}

/** Lower-cased attribute path without the core or enterprise schema URN. */
function attributeName(attrPath: string): string {
  const lower = attrPath.toLowerCase()
  for (const urn of [USER_SCHEMA, ENTERPRISE_SCHEMA]) {
    if (lower.startsWith(`${urn.toLowerCase()}:`)) return lower.slice(urn.length + 1)
  }
  return lower
}

function isEmails(attrPath: string): boolean {
  return attributeName(attrPath) === 'emails'
}

function checkOp(op: string, kind: keyof typeof OPS, attrPath: string): void {
  if (!OPS[kind].has(op)) throw invalidFilter(`Operator "${op}" cannot be used on ${attrPath}`)
}

function compValue(kind: ScalarField['kind'], value: unknown, attrPath: string): string | boolean {
  if (kind === 'boolean') {
    if (typeof value !== 'boolean') throw invalidFilter(`${attrPath} compares with true or false`)
    return value
  }
  const text = typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string') throw invalidFilter(`${attrPath} compares with a quoted string`)
  if (kind === 'dateTime' && !isRfc3339(text)) {
    throw invalidFilter(
      `${attrPath} compares with a date-time in RFC 3339 form such as "2024-05-01T12:00:00Z", not ${JSON.stringify(text)}`,
    )
  }
  return text
}

const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-](\d{2}):(\d{2})))?$/

/**
 * An RFC 3339 date-time, or a full-date alone, of a real day (no February 30, which Date.parse rolls
 * over and PostgreSQL refuses), years 1 to 9999, offsets to ±14:59; leap seconds are not accepted.
 */
function isRfc3339(text: string): boolean {
  const parts = RFC_3339.exec(text)
    ?.slice(1)
    .map((part) => Number(part ?? 0))
  if (!parts) return false
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offsetHour = 0, offsetMinute = 0] =
    parts
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 14 &&
    offsetMinute <= 59
  )
}

const KEYS: ReadonlySet<ScalarColumn> = new Set(['id', 'userName', 'externalId'])

/** The key a comparison pins: an `eq` on id, userName or externalId with a value; else null. */
function pinnedKey(node: Extract<Node, { t: 'cmp' }>): ScimLookup | null {
  const { column } = node.field
  return node.op === 'eq' && typeof node.value === 'string' && KEYS.has(column)
    ? { attribute: column as ScimLookup['attribute'], value: node.value }
    : null
}

function selective(node: Node): boolean {
  switch (node.t) {
    case 'cmp':
      return pinnedKey(node) !== null
    case 'and':
      return node.nodes.some(selective)
    case 'or':
      return node.nodes.every(selective)
    default:
      return false
  }
}

function lookup(node: Node): ScimLookup | null {
  if (node.t === 'cmp') return pinnedKey(node)
  if (node.t !== 'and') return null
  for (const child of node.nodes) {
    const found = lookup(child)
    if (found) return found
  }
  return null
}

function toSql(root: Node, firstParam: number, columns: ScimColumns): SqlFragment {
  const params: unknown[] = []
  const param = (value: unknown, cast: string): string => {
    params.push(value)
    return `$${firstParam + params.length - 1}::${cast}`
  }
  const compare = (
    column: string,
    kind: ScalarField['kind'] | 'email',
    caseExact: boolean,
    op: CompareOp | 'pr',
    value: string | boolean | null,
  ): string => {
    if (op === 'pr')
      return kind === 'boolean' || kind === 'dateTime' ? `${column} IS NOT NULL` : `${column} <> ''`
    if (kind === 'boolean') {
      const p = param(value, 'boolean')
      return op === 'eq' ? `${column} = ${p}` : `${column} IS DISTINCT FROM ${p}`
    }
    if (kind === 'dateTime') {
      const sqlOp = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as string]
      return `${column} ${sqlOp} ${param(value, 'timestamptz')}`
    }
    const p = param(value, 'text')
    const left = caseExact ? column : `lower(${column})`
    const right = caseExact ? p : `lower(${p})`
    switch (op) {
      case 'eq':
        return `${left} = ${right}`
      case 'ne':
        return `${left} IS DISTINCT FROM ${right}`
      case 'co':
        return `strpos(${left}, ${right}) > 0`
      case 'sw':
        return `starts_with(${left}, ${right})`
      case 'ew':
        return `right(${left}, char_length(${p})) = ${right}`
      default:
        throw invalidFilter(`Operator "${op}" cannot be used on a string`)
    }
  }
  const email = (node: EmailNode): string => {
    switch (node.t) {
      case 'and':
      case 'or':
        return `(${node.nodes.map(email).join(` ${node.t.toUpperCase()} `)})`
      case 'not':
        return `(NOT coalesce(${email(node.node)}, false))`
      case 'cmp':
        return node.sub === 'primary'
          ? compare(`(e.v->>'primary')::boolean`, 'boolean', true, node.op, node.value)
          : compare(`(e.v->>'${node.sub}')`, 'email', false, node.op, node.value)
    }
  }
  const render = (node: Node): string => {
    switch (node.t) {
      case 'and':
      case 'or':
        return `(${node.nodes.map(render).join(` ${node.t.toUpperCase()} `)})`
      case 'not':
        return `(NOT coalesce(${render(node.node)}, false))`
      case 'cmp': {
        const caseExact = node.field.kind === 'string' && node.field.caseExact
        return compare(columns[node.field.column], node.field.kind, caseExact, node.op, node.value)
      }
      case 'emails': {
        const elements = `coalesce(${columns.emails}, '[]'::jsonb)`
        if (node.cond === null) return `jsonb_array_length(${elements}) > 0`
        return `EXISTS (SELECT 1 FROM jsonb_array_elements(${elements}) AS e(v) WHERE ${email(node.cond)})`
      }
    }
  }
  return { sql: render(root), params }
}

function evaluate(node: Node, record: ScimUserRecord): boolean {
  switch (node.t) {
    case 'and':
      return node.nodes.every((n) => evaluate(n, record))
    case 'or':
      return node.nodes.some((n) => evaluate(n, record))
    case 'not':
      return !evaluate(node.node, record)
    case 'cmp': {
      const caseExact = node.field.kind === 'string' && node.field.caseExact
      return test(node.field.get(record), node.field.kind, caseExact, node.op, node.value)
    }
    case 'emails':
      if (node.cond === null) return record.user.emails.length > 0
      return record.user.emails.some((e) => evaluateEmail(node.cond!, e))
  }
}

function evaluateEmail(node: EmailNode, email: ScimEmail): boolean {
  switch (node.t) {
    case 'and':
      return node.nodes.every((n) => evaluateEmail(n, email))
    case 'or':
      return node.nodes.some((n) => evaluateEmail(n, email))
    case 'not':
      return !evaluateEmail(node.node, email)
    case 'cmp':
      return node.sub === 'primary'
        ? test(email.primary ?? null, 'boolean', true, node.op, node.value)
        : test(email[node.sub] ?? null, 'string', false, node.op, node.value)
  }
}

function test(
  actual: string | boolean | null,
  kind: ScalarField['kind'],
  caseExact: boolean,
  op: CompareOp | 'pr',
  expected: string | boolean | null,
): boolean {
  if (op === 'pr') return actual !== null && actual !== ''
  if (kind === 'boolean') return op === 'eq' ? actual === expected : actual !== expected
  if (kind === 'dateTime') {
    const a = actual === null ? null : Date.parse(actual as string)
    const b = Date.parse(expected as string)
    if (op === 'ne') return a !== b
    if (a === null) return false
    return { eq: a === b, gt: a > b, ge: a >= b, lt: a < b, le: a <= b }[
      op as 'eq' | 'gt' | 'ge' | 'lt' | 'le'
    ]
  }
  const fold = (s: string) => (caseExact ? s : s.toLowerCase())
  const b = fold(expected as string)
  if (op === 'ne') return actual === null || fold(actual as string) !== b
  if (actual === null) return false
  const a = fold(actual as string)
  switch (op) {
    case 'eq':
      return a === b
    case 'co':
      return a.includes(b)
    case 'sw':
      return a.startsWith(b)
    case 'ew':
      return a.endsWith(b)
    default:
      return false
  }
}

function invalidFilter(detail: string): ScimError {
  return new ScimError(400, 'invalidFilter', detail)
}

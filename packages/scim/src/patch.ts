import { cloneJson } from './clone.js'
import { ScimError } from './errors.js'
import { checkInput, checkKeyLength, SCIM_LIMITS } from './limits.js'
import {
  type EmailAttribute,
  type EmailMatch,
  enterpriseTarget,
  type ManagerAttribute,
  type NameAttribute,
  parsePath,
  type StringAttribute,
  type Target,
} from './path.js'
import { ENTERPRISE_SCHEMA, USER_SCHEMA } from './urns.js'
import type { ManagerRef, ScimEmail, ScimUser } from './user.js'

type EmailFields = { [K in EmailAttribute]?: ScimEmail[K] | null }
type ManagerFields = { [K in ManagerAttribute]?: string | null }

/** One change to a ScimUser, after every Okta and Entra PATCH form has been normalised. */
export type UserPatchOp =
  | { op: 'set'; attr: StringAttribute; value: string }
  | { op: 'clear'; attr: Exclude<StringAttribute, 'userName'> }
  | { op: 'setActive'; value: boolean }
  | { op: 'setName'; sub: NameAttribute; value: string | null }
  /** update the emails `match` selects (null keys are removed); when none matches and `addIfMissing`, add one */
  | { op: 'setEmail'; match: EmailMatch; fields: EmailFields; addIfMissing: boolean }
  | { op: 'addEmails'; emails: ScimEmail[] }
  | { op: 'replaceEmails'; emails: ScimEmail[] }
  /** remove the emails `match` selects; null removes all */
  | { op: 'removeEmails'; match: EmailMatch | null }
  | { op: 'setManager'; ref: ManagerRef }
  /** set sub-attributes of the manager (null removes the key) */
  | { op: 'updateManager'; fields: ManagerFields }
  /** remove the manager; with `ifValue`, only when its value is that one */
  | { op: 'removeManager'; ifValue: string | null }
  /** a kept-as-sent attribute: enterprise (urn null) or of a custom extension; undefined removes it */
  | { op: 'setExtra'; urn: string | null; key: string; value: unknown }
  | { op: 'setExtension'; urn: string; value: Record<string, unknown> | null }

type OpName = 'add' | 'replace' | 'remove'

/**
 * Normalises a PatchOp body as Okta or Entra send it: ops in any case ("Replace"), string booleans
 * ("False"), filtered email paths, path-less values with dotted or URN keys, the manager as a string,
 * `{value}` or `[{value,$ref}]`, empty string or null meaning remove, Remove with a value array and
 * `manager[value eq "…"]`. Attributes of the core schema we don't store are dropped.
 */
export function normalisePatch(body: unknown): UserPatchOp[] {
  if (!isObject(body)) throw invalidSyntax('The PATCH body must be a PatchOp object')
  const operations = body[keyOf(body, 'Operations') ?? 'Operations']
  if (!Array.isArray(operations)) throw invalidSyntax('The PATCH body has no "Operations" array')
  return operations.flatMap((operation, index) => normaliseOperation(operation, index))
}

function normaliseOperation(operation: unknown, index: number): UserPatchOp[] {
  if (!isObject(operation)) throw invalidSyntax(`Operation ${index + 1} is not an object`)
  checkInput(operation, `Operation ${index + 1}`)
  const rawOp = operation[keyOf(operation, 'op') ?? 'op']
  const op = typeof rawOp === 'string' ? rawOp.trim().toLowerCase() : ''
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw invalidSyntax(
      `Operation ${index + 1} has op ${JSON.stringify(rawOp)}; expected add, replace or remove`,
    )
  }
  const path = operation[keyOf(operation, 'path') ?? 'path']
  const value = operation[keyOf(operation, 'value') ?? 'value']
  if (path === undefined || path === null || path === '') {
    if (op === 'remove') throw new ScimError(400, 'noTarget', `Operation ${index + 1}: remove needs a path`)
    if (!isObject(value))
      throw invalidSyntax(`Operation ${index + 1}: ${op} without a path needs an object value`)
    return valueObjectOps(op, value)
  }
  if (typeof path !== 'string')
    throw new ScimError(400, 'invalidPath', `Operation ${index + 1}: path must be a string`)
  return targetOps(op, parsePath(path), value)
}

/**
 * A path-less add/replace, and the attributes of a POST/PUT body: every key is a path
 * (`active`, `name.givenName`, `urn:…:enterprise:2.0:User:manager`) or a schema URN holding an
 * object. Keys outside our schemas are ignored here, as in a resource body.
 */
export function valueObjectOps(op: 'add' | 'replace', value: Record<string, unknown>): UserPatchOp[] {
  return Object.entries(value).flatMap(([key, attrValue]) => {
    if (isObject(attrValue) && isCustomSchema(key)) {
      return [{ op: 'setExtension', urn: key, value: attrValue } as const]
    }
    let target: Target
    try {
      target = parsePath(key)
    } catch {
      return []
    }
    return targetOps(op, target, attrValue)
  })
}

/** A schema URN other than core User and enterprise User, e.g. a custom Okta or Entra extension. */
function isCustomSchema(key: string): boolean {
  const lower = key.toLowerCase()
  return (
    lower.startsWith('urn:') &&
    !lower.startsWith(USER_SCHEMA.toLowerCase()) &&
    !lower.startsWith(ENTERPRISE_SCHEMA.toLowerCase())
  )
}

function targetOps(op: OpName, target: Target, value: unknown): UserPatchOp[] {
  const removing = op === 'remove' || isEmpty(value)
  switch (target.kind) {
    case 'ignored':
      return []
    case 'string': {
      if (removing) {
        if (target.attr === 'userName') throw invalidValue('userName is required and cannot be removed')
        return [{ op: 'clear', attr: target.attr }]
      }
      const set = text(value, target.attr)
      if (target.attr === 'userName' || target.attr === 'externalId') checkKeyLength(set, target.attr)
      return [{ op: 'set', attr: target.attr, value: set }]
    }
    case 'active': {
      const active = booleanOf(value)
      if (op === 'remove' || active === null) {
        throw invalidValue(`active must be true or false, not ${JSON.stringify(value)}`)
      }
      return [{ op: 'setActive', value: active }]
    }
    case 'name':
      return nameOps(target.sub, removing, value)
    case 'emails':
      return emailOps(op, target.match, target.sub, value)
    case 'manager':
      return managerOps(op, target.ifValue, target.sub, value)
    case 'enterprise': {
      if (removing) {
        return [
          { op: 'clear', attr: 'employeeNumber' },
          { op: 'clear', attr: 'department' },
          { op: 'removeManager', ifValue: null },
          ...['costCenter', 'organization', 'division'].map(
            (key) => ({ op: 'setExtra', urn: null, key, value: undefined }) as const,
          ),
        ]
      }
      if (!isObject(value)) throw invalidValue('The enterprise extension value must be an object')
      return Object.entries(value).flatMap(([key, v]) => {
        let inner: Target
        try {
          inner = enterpriseTarget(key)
        } catch {
          return []
        }
        return targetOps(op, inner, v)
      })
    }
    case 'extra':
      return [{ op: 'setExtra', urn: target.urn, key: target.key, value: removing ? undefined : value }]
  }
}

function nameOps(sub: NameAttribute | null, removing: boolean, value: unknown): UserPatchOp[] {
  if (sub !== null) return [{ op: 'setName', sub, value: removing ? null : text(value, `name.${sub}`) }]
  const subs: NameAttribute[] = ['givenName', 'familyName', 'formatted']
  if (removing) return subs.map((s) => ({ op: 'setName', sub: s, value: null }))
  if (!isObject(value)) throw invalidValue('name must be an object')
  return subs.flatMap((s) => {
    const key = keyOf(value, s)
    if (key === undefined) return []
    const v = value[key]
    return [{ op: 'setName', sub: s, value: isEmpty(v) ? null : text(v, `name.${s}`) }]
  })
}

function emailOps(
  op: OpName,
  match: EmailMatch | null,
  sub: EmailAttribute | null,
  value: unknown,
): UserPatchOp[] {
  const removing = op === 'remove' || isEmpty(value)
  if (sub === null) {
    if (match !== null) {
      if (removing) return [{ op: 'removeEmails', match }]
      return [{ op: 'setEmail', match, fields: emailFields(value, true), addIfMissing: true }]
    }
    if (op === 'remove') {
      // Entra removes values of multi-valued attributes with a value array instead of a filter
      if (Array.isArray(value) && value.length > 0) {
        return value.map((v) => ({ op: 'removeEmails', match: { value: emailOf(v).value } }))
      }
      return [{ op: 'removeEmails', match: null }]
    }
    if (removing) return [{ op: 'removeEmails', match: null }]
    const emails = (Array.isArray(value) ? value : [value]).map(emailOf)
    return [op === 'add' ? { op: 'addEmails', emails } : { op: 'replaceEmails', emails }]
  }
  const selected = match ?? {}
  if (sub === 'value') {
    if (removing) return [{ op: 'removeEmails', match: match }]
    // Entra: a replace whose filter matches nothing adds the email (RFC 7644 would say noTarget)
    return [
      {
        op: 'setEmail',
        match: selected,
        fields: { value: checkKeyLength(text(value, 'emails.value'), 'emails.value') },
        addIfMissing: true,
      },
    ]
  }
  const fieldValue = removing
    ? null
    : sub === 'primary'
      ? strictBoolean(value, 'emails.primary')
      : text(value, sub)
  return [{ op: 'setEmail', match: selected, fields: { [sub]: fieldValue }, addIfMissing: false }]
}

function managerOps(
  op: OpName,
  ifValue: string | null,
  sub: ManagerAttribute | null,
  value: unknown,
): UserPatchOp[] {
  if (op === 'remove') {
    if (sub !== null && sub !== 'value') return [{ op: 'updateManager', fields: { [sub]: null } }]
    const given = ifValue ?? (isEmpty(value) ? null : (managerOf(value)?.value ?? null))
    return [{ op: 'removeManager', ifValue: given }]
  }
  if (sub !== null) {
    if (isEmpty(value)) {
      return sub === 'value'
        ? [{ op: 'removeManager', ifValue: null }]
        : [{ op: 'updateManager', fields: { [sub]: null } }]
    }
    return [{ op: 'updateManager', fields: { [sub]: text(value, `manager.${sub}`) } }]
  }
  const ref = managerOf(value)
  return ref ? [{ op: 'setManager', ref }] : [{ op: 'removeManager', ifValue: null }]
}

/** The manager in any of the forms Entra and Okta send; null when it says "no manager". */
export function managerOf(value: unknown): ManagerRef | null {
  if (isEmpty(value)) return null
  if (typeof value === 'string' || typeof value === 'number') return { value: String(value), shape: 'string' }
  const shape = Array.isArray(value) ? 'array' : 'object'
  const item = Array.isArray(value) ? value[0] : value
  if (Array.isArray(value) && value.length > 1) throw invalidValue('manager takes a single value')
  if (item === undefined) return null
  if (!isObject(item)) throw invalidValue(`manager ${JSON.stringify(value)} is neither an id nor {value}`)
  const raw = item[keyOf(item, 'value') ?? 'value']
  if (isEmpty(raw)) return null
  const ref: ManagerRef = { value: text(raw, 'manager.value'), shape }
  const displayName = item[keyOf(item, 'displayName') ?? 'displayName']
  const $ref = item[keyOf(item, '$ref') ?? '$ref']
  if (typeof displayName === 'string') ref.displayName = displayName
  if (typeof $ref === 'string') ref.$ref = $ref
  return ref
}

/** An email object as sent; `primary` "True"/"False" become booleans. */
export function emailOf(value: unknown): ScimEmail {
  const fields = emailFields(value, false)
  if (typeof fields.value !== 'string' || fields.value === '') throw invalidValue('Every email needs a value')
  const email: ScimEmail = { value: fields.value }
  if (typeof fields.type === 'string') email.type = fields.type
  if (typeof fields.primary === 'boolean') email.primary = fields.primary
  if (typeof fields.display === 'string') email.display = fields.display
  return email
}

function emailFields(value: unknown, partial: boolean): EmailFields {
  if (!isObject(value)) {
    if (typeof value === 'string' && !partial) return { value: checkKeyLength(value, 'emails.value') }
    throw invalidValue(`An email must be an object, not ${JSON.stringify(value)}`)
  }
  const fields: EmailFields = {}
  for (const name of ['value', 'type', 'display'] as const) {
    const key = keyOf(value, name)
    if (key !== undefined) fields[name] = isEmpty(value[key]) ? null : text(value[key], `emails.${name}`)
  }
  if (typeof fields.value === 'string') checkKeyLength(fields.value, 'emails.value')
  const primaryKey = keyOf(value, 'primary')
  if (primaryKey !== undefined) {
    fields.primary = isEmpty(value[primaryKey]) ? null : strictBoolean(value[primaryKey], 'emails.primary')
  }
  return fields
}

/**
 * Applies normalised operations to a user; the input is not changed. No operation may add emails
 * beyond `SCIM_LIMITS.values`, which keeps the work of each one bounded.
 */
export function applyPatch(user: ScimUser, ops: readonly UserPatchOp[]): ScimUser {
  const next: ScimUser = cloneJson(user)
  for (const op of ops) {
    const before = next.emails.length
    applyOne(next, op)
    // a user stored with more before the limit existed can still be changed, not grown
    if (next.emails.length > SCIM_LIMITS.values && next.emails.length > before) {
      throw invalidValue(
        `The user would have ${next.emails.length} emails; at most ${SCIM_LIMITS.values} are accepted`,
      )
    }
  }
  return next
}

function applyOne(user: ScimUser, op: UserPatchOp): void {
  switch (op.op) {
    case 'set':
      user[op.attr] = op.value
      return
    case 'clear':
      user[op.attr] = null
      return
    case 'setActive':
      user.active = op.value
      return
    case 'setName':
      user.name[op.sub] = op.value
      return
    case 'setEmail': {
      const selected = user.emails.filter((email) => emailMatches(email, op.match))
      if (selected.length === 0) {
        if (!op.addIfMissing || typeof op.fields.value !== 'string') return
        const added: ScimEmail = { value: op.fields.value }
        if (op.match.type !== undefined) added.type = op.match.type
        if (op.match.primary !== undefined) added.primary = op.match.primary
        setEmailFields(added, op.fields)
        user.emails.push(added)
        keepOnePrimary(user.emails, added)
        return
      }
      for (const email of selected) setEmailFields(email, op.fields)
      keepOnePrimary(
        user.emails,
        selected.find((e) => e.primary === true && op.fields.primary === true),
      )
      return
    }
    case 'addEmails':
      addEmails(user, op.emails)
      return
    case 'replaceEmails':
      user.emails = op.emails.map((e) => ({ ...e }))
      return
    case 'removeEmails':
      user.emails = op.match === null ? [] : user.emails.filter((e) => !emailMatches(e, op.match!))
      return
    case 'setManager':
      user.managerRef = { ...op.ref }
      return
    case 'updateManager': {
      const current: ManagerRef = user.managerRef ?? { value: '', shape: 'object' }
      for (const [key, value] of Object.entries(op.fields) as [ManagerAttribute, string | null][]) {
        if (value === null) {
          if (key !== 'value') delete current[key]
        } else current[key] = value
      }
      if (current.shape === 'string' && (current.displayName !== undefined || current.$ref !== undefined)) {
        current.shape = 'object'
      }
      user.managerRef = current.value === '' ? null : current
      return
    }
    case 'removeManager':
      if (op.ifValue === null || user.managerRef?.value === op.ifValue) user.managerRef = null
      return
    case 'setExtra': {
      if (op.urn !== null && !user.extensions[op.urn]) user.extensions[op.urn] = {}
      const bag = op.urn === null ? user.enterpriseExtra : user.extensions[op.urn]!
      if (op.value === undefined) delete bag[op.key]
      else bag[op.key] = op.value
      if (op.urn !== null && Object.keys(bag).length === 0) delete user.extensions[op.urn]
      return
    }
    case 'setExtension':
      if (op.value === null) delete user.extensions[op.urn]
      else user.extensions[op.urn] = cloneJson(op.value)
      return
  }
}

/**
 * Adds emails; one with the type or the value (any case) of an email already there takes its place.
 * `added` holds at most `SCIM_LIMITS.values` emails (checkInput) and a user at most twice that while
 * the operation runs (applyPatch refuses more after it), so the search is bounded; the primary is
 * settled once, by the last email made primary.
 */
function addEmails(user: ScimUser, added: readonly ScimEmail[]): void {
  let primary: ScimEmail | undefined
  for (const email of added) {
    const copy = { ...email }
    const same = user.emails.findIndex(
      (e) =>
        (email.type !== undefined && e.type?.toLowerCase() === email.type.toLowerCase()) ||
        e.value.toLowerCase() === email.value.toLowerCase(),
    )
    if (same >= 0) user.emails[same] = copy
    else user.emails.push(copy)
    if (copy.primary) primary = copy
  }
  keepOnePrimary(user.emails, primary)
}

function setEmailFields(email: ScimEmail, fields: EmailFields): void {
  for (const [key, value] of Object.entries(fields) as [EmailAttribute, string | boolean | null][]) {
    if (value === null) {
      if (key !== 'value') delete email[key]
    } else (email as unknown as Record<string, unknown>)[key] = value
  }
}

function emailMatches(email: ScimEmail, match: EmailMatch): boolean {
  return (
    (match.type === undefined || email.type?.toLowerCase() === match.type.toLowerCase()) &&
    (match.value === undefined || email.value.toLowerCase() === match.value.toLowerCase()) &&
    (match.primary === undefined || (email.primary ?? false) === match.primary)
  )
}

/** RFC 7643 §2.4: at most one primary; the one just made primary wins. */
function keepOnePrimary(emails: ScimEmail[], winner: ScimEmail | undefined): void {
  if (!winner?.primary) return
  for (const email of emails) if (email !== winner && email.primary) email.primary = false
}

/** `true`/`false`, or Entra's strings "True"/"False" in any case. */
export function booleanOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase()
    if (lower === 'true') return true
    if (lower === 'false') return false
  }
  return null
}

function strictBoolean(value: unknown, attr: string): boolean {
  const bool = booleanOf(value)
  if (bool === null) throw invalidValue(`${attr} must be true or false, not ${JSON.stringify(value)}`)
  return bool
}

function text(value: unknown, attr: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  throw invalidValue(`${attr} must be a string, not ${JSON.stringify(value)}`)
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === ''
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Attribute names are case-insensitive (RFC 7643 §2.1): the key of `object` that spells `name`. */
export function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  if (name in object) return name
  const lower = name.toLowerCase()
  return Object.keys(object).find((key) => key.toLowerCase() === lower)
}

function invalidSyntax(detail: string): ScimError {
  return new ScimError(400, 'invalidSyntax', detail)
}

function invalidValue(detail: string): ScimError {
  return new ScimError(400, 'invalidValue', detail)
}

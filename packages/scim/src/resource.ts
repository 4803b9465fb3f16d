import { type Static, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ScimError } from './errors.js'
import { checkInput } from './limits.js'
import { applyPatch, isObject, keyOf, valueObjectOps } from './patch.js'
import { ENTERPRISE_SCHEMA, LIST_RESPONSE_SCHEMA, USER_SCHEMA } from './urns.js'
import { type ScimUser, type ScimUserRecord, scimUser } from './user.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]))
const Text = Nullable(Type.Union([Type.String(), Type.Number()]))
const Bool = Nullable(
  Type.Union([Type.Boolean(), Type.String({ pattern: '^\\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\\s*$' })]),
)

/**
 * The attributes of a POST/PUT body that we read, after names are matched case-insensitively.
 * Everything else (Okta's password, groups, locale; Entra's roles, meta, nulls) is allowed and ignored.
 */
export const ScimUserBody = Type.Object(
  {
    userName: Type.String({ minLength: 1 }),
    externalId: Text,
    active: Bool,
    displayName: Text,
    title: Text,
    name: Nullable(
      Type.Object({ givenName: Text, familyName: Text, formatted: Text }, { additionalProperties: true }),
    ),
    emails: Nullable(
      Type.Array(
        Type.Object(
          { value: Type.Union([Type.String({ minLength: 1 }), Type.Null()]), type: Text, primary: Bool },
          { additionalProperties: true },
        ),
      ),
    ),
    [ENTERPRISE_SCHEMA]: Nullable(
      Type.Object(
        { employeeNumber: Text, department: Text, manager: Type.Optional(Type.Unknown()) },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
)
export type ScimUserBody = Static<typeof ScimUserBody>

const KNOWN_KEYS = [
  'userName',
  'externalId',
  'active',
  'displayName',
  'title',
  'name',
  'emails',
  ENTERPRISE_SCHEMA,
]

/**
 * Parses a POST or PUT body into a ScimUser. A PUT replaces every attribute; `active` missing
 * from a PUT keeps `previous.active` (missing from a POST means true). Emails without a value
 * (Entra sends `mail` as null) are dropped.
 */
export function parseUser(body: unknown, previous?: ScimUser): ScimUser {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'The body must be a SCIM User object')
  checkInput(body, 'body')
  const canonical: Record<string, unknown> = { ...body }
  for (const name of KNOWN_KEYS) {
    const key = keyOf(body, name)
    if (key !== undefined && key !== name) {
      canonical[name] = body[key]
      delete canonical[key]
    }
  }
  if (!Value.Check(ScimUserBody, canonical)) {
    const error = Value.Errors(ScimUserBody, canonical).First()
    const where = error?.path ? error.path.slice(1).replaceAll('/', '.') : 'body'
    throw new ScimError(400, 'invalidValue', `${where || 'body'}: ${error?.message ?? 'is not a SCIM User'}`)
  }
  if (canonical.active === null) delete canonical.active
  if (Array.isArray(canonical.emails)) {
    canonical.emails = canonical.emails.filter(
      (e) => isObject(e) && typeof e.value === 'string' && e.value !== '',
    )
  }
  const start = scimUser({ userName: canonical.userName as string, active: previous?.active ?? true })
  return applyPatch(start, valueObjectOps('replace', canonical))
}

/** The SCIM User resource (RFC 7643 §4.1 + §4.3) of a stored user, echoing values as received. */
export function renderUser(record: ScimUserRecord, baseUrl: string): Record<string, unknown> {
  const { user } = record
  const resource: Record<string, unknown> = { schemas: [USER_SCHEMA], id: record.id }
  if (user.externalId !== null) resource.externalId = user.externalId
  resource.userName = user.userName
  const name = Object.fromEntries(Object.entries(user.name).filter(([, v]) => v !== null))
  if (Object.keys(name).length > 0) resource.name = name
  if (user.displayName !== null) resource.displayName = user.displayName
  if (user.title !== null) resource.title = user.title
  if (user.emails.length > 0) resource.emails = user.emails
  resource.active = user.active

  const enterprise: Record<string, unknown> = { ...user.enterpriseExtra }
  if (user.employeeNumber !== null) enterprise.employeeNumber = user.employeeNumber
  if (user.department !== null) enterprise.department = user.department
  if (user.managerRef !== null) {
    const { shape, ...manager } = user.managerRef
    enterprise.manager = shape === 'string' ? manager.value : shape === 'array' ? [manager] : manager
  }
  const schemas = [USER_SCHEMA]
  if (Object.keys(enterprise).length > 0) {
    schemas.push(ENTERPRISE_SCHEMA)
    resource[ENTERPRISE_SCHEMA] = enterprise
  }
  for (const [urn, attributes] of Object.entries(user.extensions)) {
    schemas.push(urn)
    resource[urn] = attributes
  }
  resource.schemas = schemas
  resource.meta = {
    resourceType: 'User',
    created: record.created,
    lastModified: record.lastModified,
    location: `${baseUrl}/Users/${encodeURIComponent(record.id)}`,
    version: `W/"${record.version}"`,
  }
  return resource
}

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_SCHEMA]
  totalResults: number
  startIndex: number
  itemsPerPage: number
  Resources: T[]
}

export function listResponse<T>(resources: T[], totalResults: number, startIndex = 1): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  }
}

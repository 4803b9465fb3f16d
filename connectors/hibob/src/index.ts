import {
  cleanString,
  emailFrom,
  idString,
  mapRecords,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  toIsoDate,
} from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  type EmployeeStatus,
  employee,
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/**
 * Bob's lifecycle statuses (`internal.lifecycleStatus`, machine values). Companies may add their own leave
 * types; a value containing "leave" counts as leave (see `lifecycle`).
 */
export const STATUS = statusTable({
  hired: 'pending',
  employed: 'active',
  leave: 'leave',
  'parental leave': 'leave',
  // still employed, no longer working; the termination date is set and ends it
  'garden leave': 'leave',
  terminated: 'terminated',
})

/** `internal.status` (Bob access), read only when a person has no lifecycle status at all. */
export const ACCESS_STATUS = statusTable({
  Active: 'active',
  Inactive: 'terminated',
})

/** Field ids in dot notation, as Bob's fields metadata names them. */
export const FIELDS = [
  'root.id',
  'root.email',
  'root.firstName',
  'root.surname',
  'work.reportsTo',
  'work.department',
  'work.title',
  'work.startDate',
  'internal.lifecycleStatus',
  'internal.status',
  'internal.terminationDate',
] as const

/** People per search request when reading by id: Bob's recommended batching for large companies. */
export const BATCH_SIZE = 50

const config = Type.Object({
  serviceUserId: Type.String({
    minLength: 1,
    description: 'ID of the API service user (Bob > Settings > Integrations > Service users)',
  }),
  serviceUserToken: Secret(Type.String({ minLength: 1, description: 'Token of the API service user' })),
  baseUrl: Type.String({
    pattern: '^https://[A-Za-z0-9.-]+\\.hibob\\.com(/.*)?$',
    default: 'https://api.hibob.com/v1',
    description: 'Bob API base URL; change it only for a Bob sandbox',
  }),
})
type HibobConfig = Static<typeof config>

type Person = Record<string, unknown>
interface SearchResult {
  employees?: Person[]
}

const SEARCH_URL = 'people/search'

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/**
 * A field of one employee. Bob answers each field nested along its JSON path (root fields at the top) and,
 * in some answers, also under its slash key (`"/work/title": {"value": …}`); the nested form wins.
 */
export function readField(person: Person | undefined, fieldId: string): unknown {
  if (!person) return undefined
  const [category = '', ...rest] = fieldId.split('.')
  const path = category === 'root' ? rest : [category, ...rest]
  let nested: unknown = person
  for (const key of path) nested = asObject(nested)?.[key]
  if (nested !== undefined) return nested
  return asObject(person[`/${category}/${rest.join('/')}`])?.value
}

/** The display value Bob appends with `humanReadable: "APPEND"` (names of list items such as departments). */
const readable = (person: Person, fieldId: string) => readField(asObject(person.humanReadable), fieldId)

const noLifecycleAccess = () =>
  new ConnectorError(
    'missing_scope',
    "HiBob returned people without their lifecycle status: the service user's permission group may not view the Lifecycle fields (Bob leaves such fields out silently).",
  )

const hasStatusField = (person: Person) =>
  readField(person, 'internal.lifecycleStatus') !== undefined ||
  readField(person, 'internal.status') !== undefined

function lifecycle(person: Person, who: { remoteId: string; email: string | null }) {
  const value = readField(person, 'internal.lifecycleStatus')
  if (value === undefined || value === null)
    return mapStatus(ACCESS_STATUS, readField(person, 'internal.status'), who)
  const mapped = mapStatus(STATUS, value, who)
  if ('skipped' in mapped && typeof value === 'string' && /leave/i.test(value))
    return { status: 'leave' as const }
  return mapped
}

/** What an employee of a search answer is known by before it is mapped: one skipped later is reported under it. */
export function identify(person: Person): { remoteId: string | null; email: string | null } {
  return {
    remoteId: idString(readField(person, 'root.id')),
    email: emailFrom(readField(person, 'root.email')),
  }
}

/**
 * One employee of a search answer as an Employee; a person whose status Bob does not document, or with an
 * unreadable date, is refused with skipPerson.
 */
export function toEmployee(person: Person, now: Date): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a HiBob employee without an id', { email })
  const mapped = lifecycle(person, { remoteId, email })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  const terminationDate = toIsoDate(readField(person, 'internal.terminationDate'))
  const reportsTo = readField(person, 'work.reportsTo')
  return employee({
    remoteId,
    email,
    firstName: cleanString(readField(person, 'root.firstName')),
    lastName: cleanString(readField(person, 'root.surname')),
    status: terminatedIfPast(mapped.status as EmployeeStatus, terminationDate, now),
    managerRemoteId: idString(asObject(reportsTo)?.id ?? reportsTo),
    // list fields hold list-item ids in machine format; the names come from the appended humanReadable copy
    department: cleanString(readable(person, 'work.department')),
    jobTitle: cleanString(readable(person, 'work.title')),
    // machine dates are ISO; the humanReadable copy is formatted for the service user's locale
    startDate: toIsoDate(readField(person, 'work.startDate')),
    terminationDate,
  })
}

async function search(ctx: ConnectorContext<HibobConfig>, body: Record<string, unknown>): Promise<Person[]> {
  const { body: result } = await ctx.http.request<SearchResult>({
    method: 'POST',
    url: SEARCH_URL,
    json: body,
  })
  if (!Array.isArray(result?.employees)) {
    throw new ConnectorError(
      'malformed_response',
      'HiBob answered the people search without an employees list',
    )
  }
  return result.employees
}

export default defineConnector({
  id: 'hibob',
  name: 'HiBob',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://github.com/hrsync/hrsync/tree/main/connectors/hibob#readme',
  config,
  allowedHosts: ['*.hibob.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'basic', username: cfg.serviceUserId, password: cfg.serviceUserToken }),
  errorHints: {
    invalid_credentials:
      'Check the service user ID and token; repeated failures can get the calling address blocked by Bob for a while.',
    missing_scope:
      "Add the service user to a permission group that can view all employees' Basic info, Work and Lifecycle fields.",
  },
  http: {
    // people search is a read-only POST; Bob allows it 50 times a minute and says when the window resets
    retryMethods: ['POST'],
    rateLimitResetHeader: 'x-ratelimit-reset',
    requestsPerSecond: 50 / 60,
    timeoutMs: 120_000,
  },
  async checkConnection(ctx) {
    const people = await search(ctx, {
      fields: ['root.id', 'internal.lifecycleStatus'],
      showInactive: false,
    })
    if (people.length > 0 && !people.some(hasStatusField)) throw noLifecycleAccess()
  },
  async *listEmployees(ctx) {
    // ids first, then the fields in batches by id: one answer per batch stays small however large the company
    const everyone = await search(ctx, { fields: ['root.id'], showInactive: true })
    const ids = everyone.map((person) => idString(readField(person, 'root.id'))).filter((id) => id !== null)
    for (let start = 0; start < ids.length; start += BATCH_SIZE) {
      const people = await search(ctx, {
        fields: FIELDS,
        filters: [{ fieldPath: 'root.id', operator: 'equals', values: ids.slice(start, start + BATCH_SIZE) }],
        showInactive: true,
        humanReadable: 'APPEND',
      })
      if (people.length > 0 && !people.some(hasStatusField)) throw noLifecycleAccess()
      // Bob gives every employee an id: an answer with one without an id is broken and fails the pull
      yield mapRecords(people, (person) => toEmployee(person, ctx.now), {
        identify,
        requireId: 'HiBob sent an employee without an id',
      })
    }
  },
})

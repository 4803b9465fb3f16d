import {
  cleanString,
  emailFrom,
  idString,
  mapRecords,
  mapStatus,
  paginateOffset,
  rewordByCode,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  defineConnector,
  type Employee,
  employee,
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/** The Person `status` values; the employment dates refine `active`. */
export const STATUS = statusTable({
  active: 'active',
  newHire: 'pending',
  offboarded: 'terminated',
})
type HumaansStatus = keyof typeof STATUS

export const DEFAULT_BASE_URL = 'https://app.humaans.io/api'

const config = Type.Object({
  accessToken: Secret(
    Type.String({ minLength: 1, description: 'API access token (API access tokens menu) with private:read' }),
  ),
  baseUrl: Type.String({ default: DEFAULT_BASE_URL, description: 'API base URL' }),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 250,
    default: 100,
    description: 'Records per request ($limit)',
  }),
})
type HumaansConfig = Static<typeof config>

interface ListBody<T> {
  total?: number
  limit?: number
  skip?: number
  data?: T[]
}
/** The fields of a Humaans person the connector reads. */
export interface Person {
  id: string
  firstName?: string | null
  lastName?: string | null
  email?: string | null
  isWorkEmailHidden?: boolean
  status?: string | null
  employmentStartDate?: string | null
  employmentEndDate?: string | null
}
/** One dated entry of a person's job history. */
export interface JobRole {
  id: string
  personId: string
  jobTitle?: string | null
  department?: string | null
  reportingTo?: string | null
  effectiveDate?: string | null
}

/** The role in force today: the latest one effective on or before today, else the earliest future one. */
export function currentRole(roles: JobRole[], today: string): JobRole | undefined {
  const dated = roles
    .map((role) => ({ role, from: toIsoDate(role.effectiveDate) ?? '0000-01-01' }))
    .sort((a, b) => a.from.localeCompare(b.from))
  const inForce = dated.filter((d) => d.from <= today)
  return (inForce.length > 0 ? inForce[inForce.length - 1] : dated[0])?.role
}

/** What a person is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: Person): { remoteId: string | null; email: string | null } {
  return {
    remoteId: idString(person.id),
    email: person.isWorkEmailHidden === true ? null : emailFrom(person.email),
  }
}

/**
 * One person with their current job role as a canonical Employee; a person with an unknown status or an
 * unreadable date is refused with skipPerson.
 */
export function toEmployee(person: Person, role: JobRole | undefined, now: Date): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('a Humaans person without an id', { email })
  const mapped = mapStatus<HumaansStatus>(STATUS, person.status, { remoteId, email })
  if ('skipped' in mapped) {
    skipPerson(`Humaans status "${String(person.status)}" is not a known status`, mapped.skipped)
  }
  const startDate = toIsoDate(person.employmentStartDate)
  const terminationDate = toIsoDate(person.employmentEndDate)
  let status = terminatedIfPast(mapped.status, terminationDate, now)
  if (status === 'active' && startDate !== null && startDate > todayIn('UTC', now)) status = 'pending'
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.firstName),
    lastName: cleanString(person.lastName),
    status,
    managerRemoteId: idString(role?.reportingTo),
    department: cleanString(role?.department),
    jobTitle: cleanString(role?.jobTitle),
    startDate,
    terminationDate,
  })
}

function list<T>(ctx: ConnectorContext<HumaansConfig>, path: string) {
  return paginateOffset<T, ListBody<T>>(ctx, {
    url: path,
    limit: ctx.config.pageSize,
    limitParam: '$limit',
    offsetParam: '$skip',
    items: (body) => body?.data ?? [],
    total: (body) => body?.total,
  })
}

async function* listEmployees(ctx: ConnectorContext<HumaansConfig>) {
  // job roles carry manager, title and department; read them all once instead of once per person
  const roles = new Map<string, JobRole[]>()
  for await (const page of list<JobRole>(ctx, 'job-roles')) {
    for (const role of page) roles.set(role.personId, [...(roles.get(role.personId) ?? []), role])
  }
  const today = todayIn('UTC', ctx.now)
  for await (const people of list<Person>(ctx, 'people')) {
    // Humaans gives every person an id: a page with a person without one is broken and fails the pull
    yield mapRecords(
      people,
      (person) => toEmployee(person, currentRole(roles.get(person.id) ?? [], today), ctx.now),
      { identify, requireId: 'Humaans listed a person without an id' },
    )
  }
}

/** The token's missing scope, named when the connection is checked. */
const explainError = rewordByCode<HumaansConfig>({
  missing_scope: (_error, { during }) =>
    during === 'check'
      ? 'Humaans accepted the token but it may not read people. Create a token with the private:read scope (View public and private data) as an admin.'
      : undefined,
})

export default defineConnector({
  id: 'humaans',
  name: 'Humaans',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://docs.humaans.io/api/',
  config,
  allowedHosts: ['app.humaans.io'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'bearer', token: cfg.accessToken }),
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({ url: 'people', searchParams: { $limit: 1 } })
  },
  listEmployees,
})

import {
  cleanString,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  emailFrom,
  idString,
  mapRecords,
  paginateCursor,
  rewordByCode,
  skipPerson,
} from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  employee,
  type HttpResponse,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/**
 * CharlieHR publishes no status field on a team member; employment is told by its dates (the kit's
 * date-derived states).
 */
export const STATUS = EMPLOYMENT_DATE_STATUS

export const DEFAULT_BASE_URL = 'https://charliehr.com/api/v1'

const config = Type.Object({
  clientId: Type.String({
    minLength: 1,
    description: 'API client id (Company settings > Integrations > API)',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, description: 'API client secret' })),
  baseUrl: Type.String({ default: DEFAULT_BASE_URL, description: 'API base URL' }),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 25,
    default: 25,
    description: 'Records per page (per_page), at most 25',
  }),
})
type CharlieConfig = Static<typeof config>

type Ref = string | { id?: string | null } | null | undefined
/** The fields of a CharlieHR team member the connector reads. */
export interface TeamMember {
  id: string
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  job_title?: string | null
  start_date?: string | null
  end_date?: string | null
  line_manager?: Ref
  manager?: Ref
  teams?: Ref[] | null
}
interface Team {
  id: string
  name?: string | null
}
interface Envelope<T> {
  success?: boolean
  message?: string
  data?: T[]
  meta?: { next_url?: string | null }
}

const refId = (ref: Ref): string | null => idString(typeof ref === 'object' && ref !== null ? ref.id : ref)

/** `meta.next_url` is a query string or a path; both resolve against the page just read. */
function nextUrl<T>(body: Envelope<T>, response: HttpResponse<Envelope<T>>): string | undefined {
  const next = body?.meta?.next_url
  return next ? new URL(next, response.url).toString() : undefined
}

function records<T>(body: Envelope<T>): T[] {
  if (body?.success === false) {
    throw new ConnectorError('vendor_error', `CharlieHR answered without success: "${body.message ?? ''}"`)
  }
  return body?.data ?? []
}

function pages<T>(ctx: ConnectorContext<CharlieConfig>, path: string) {
  return paginateCursor<T, Envelope<T>>(ctx, {
    url: path,
    searchParams: { page: 1, per_page: ctx.config.pageSize },
    items: records,
    next: nextUrl,
  })
}

/** What a team member is known by before it is mapped: a person skipped later is reported under it. */
export function identify(member: TeamMember): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(member.id), email: emailFrom(member.email) }
}

/**
 * Every listed team member carries an id: one without means CharlieHR changed its answer, and the pull
 * fails rather than skip people it cannot name.
 */
function requireIds(members: TeamMember[]): void {
  if (members.some((member) => idString(member.id) === null))
    throw new ConnectorError('malformed_response', 'CharlieHR listed a team member without an id')
}

/**
 * One team member as a canonical Employee; the department is the name of their first team. An
 * unreadable date is refused by toIsoDate: mapRecords reports the person skipped.
 */
export function toEmployee(member: TeamMember, teamNames: Map<string, string>, now: Date): Employee {
  const { remoteId, email } = identify(member)
  if (remoteId === null) skipPerson('a CharlieHR team member without an id', { email })
  const firstTeam = refId(member.teams?.[0])
  return employee({
    remoteId,
    email,
    firstName: cleanString(member.first_name),
    lastName: cleanString(member.last_name),
    managerRemoteId: refId(member.line_manager) ?? refId(member.manager),
    department: firstTeam === null ? null : (teamNames.get(firstTeam) ?? null),
    jobTitle: cleanString(member.job_title),
    ...datedEmployment(member.start_date, member.end_date, now),
  })
}

/** The connection check names where to copy the credentials when CharlieHR refuses them. */
const explainError = rewordByCode<CharlieConfig>({
  invalid_credentials: (_, { during }) =>
    during === 'check'
      ? 'CharlieHR rejected the client id and secret. Copy both again from Company settings > Integrations > API.'
      : undefined,
})

async function* listEmployees(ctx: ConnectorContext<CharlieConfig>) {
  const teamNames = new Map<string, string>()
  for await (const teams of pages<Team>(ctx, 'teams')) {
    for (const team of teams) {
      const name = cleanString(team.name)
      if (name !== null) teamNames.set(team.id, name)
    }
  }
  for await (const members of pages<TeamMember>(ctx, 'team_members')) {
    requireIds(members)
    yield mapRecords(members, (member) => toEmployee(member, teamNames, ctx.now), { identify })
  }
}

export default defineConnector({
  id: 'charliehr',
  name: 'CharlieHR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://www.charliehr.com/api_docs/',
  config,
  allowedHosts: ['charliehr.com', 'www.charliehr.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({
    type: 'header',
    name: 'authorization',
    value: `Token token=${cfg.clientId}:${cfg.clientSecret}`,
  }),
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({ url: 'team_members', searchParams: { page: 1, per_page: 1 } })
  },
  listEmployees,
})

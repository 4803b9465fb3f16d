import {
  cleanString,
  emailFrom,
  fetchDetails,
  idString,
  mapRecords,
  mapStatus,
  paginatePage,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import {
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  type Employee,
  employee,
  isConnectorError,
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/**
 * Remote's EmploymentStatus enum. Every onboarding stage is pending; `offboarding` is still employed until
 * the termination date has passed. https://developer.remote.com/docs/employment-statuses
 */
export const STATUS = statusTable({
  active: 'active',
  offboarding: 'active',
  created: 'pending',
  pre_hire: 'pending',
  created_awaiting_reserve: 'pending',
  created_reserve_paid: 'pending',
  initiated: 'pending',
  invited: 'pending',
  pending: 'pending',
  review: 'pending',
  job_title_review: 'pending',
  pending_post_self_enrollment_actions: 'pending',
  archived: 'terminated',
  deleted: 'terminated',
})
type RemoteStatus = keyof typeof STATUS

export const DEFAULT_BASE_URL = 'https://gateway.remote.com'
/** Detail calls running at once; the company-wide limit of 20 requests a minute paces them anyway. */
const DETAIL_CONCURRENCY = 4

const config = Type.Object({
  apiToken: Secret(
    Type.String({
      minLength: 1,
      description: 'Company API token (Settings > Integrations & APIs); ra_live_… or ra_test_…',
    }),
  ),
  baseUrl: Type.String({
    default: DEFAULT_BASE_URL,
    description: 'API gateway; the sandbox is https://gateway.remote-sandbox.com',
  }),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 100,
    description: 'page_size of the list, at most 100',
  }),
})
type RemoteConfig = Static<typeof config>

interface ListBody {
  data?: { employments?: Array<{ id: string }>; current_page?: number; total_pages?: number }
}
/**
 * The fields of a Remote employment (detail) the connector reads. The current OpenAPI has no termination date on
 * the employment: it lives on its offboardings.
 */
export interface RemoteEmployment {
  id: string
  full_name?: string | null
  work_email?: string | null
  job_title?: string | null
  status?: string | null
  department?: string | { name?: string | null } | null
  manager_employment_id?: string | null
  manager_email?: string | null
  provisional_start_date?: string | null
}

/** An item of `GET /v1/offboardings`: a termination or a resignation of one employment. */
export interface RemoteOffboarding {
  employment_id?: string | null
  type?: string | null
  status?: string | null
  submitted_at?: string | null
  termination_date?: string | null
}

interface OffboardingsBody {
  data?: { offboardings?: RemoteOffboarding[]; current_page?: number; total_pages?: number }
}

/**
 * Each employment's termination date: from its latest offboarding that was not canceled
 * (https://developer.remote.com/docs/employment-lifecycle).
 */
export function terminationDates(offboardings: Iterable<RemoteOffboarding>): Map<string, string> {
  const latest = new Map<string, { submittedAt: string; date: string }>()
  for (const offboarding of offboardings) {
    const employmentId = idString(offboarding.employment_id)
    const date = toIsoDate(offboarding.termination_date)
    if (employmentId === null || date === null || offboarding.status === 'canceled') continue
    const submittedAt = offboarding.submitted_at ?? ''
    const known = latest.get(employmentId)
    if (!known || submittedAt > known.submittedAt) latest.set(employmentId, { submittedAt, date })
  }
  return new Map([...latest].map(([id, { date }]) => [id, date]))
}

/** Remote gives one name; the first word is taken as the first name, the rest as the last name. */
function splitName(fullName: unknown): { firstName: string | null; lastName: string | null } {
  const name = cleanString(fullName)
  if (name === null) return { firstName: null, lastName: null }
  const space = name.search(/\s/)
  if (space < 0) return { firstName: name, lastName: null }
  return { firstName: name.slice(0, space), lastName: cleanString(name.slice(space)) }
}

/** What an employment is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: RemoteEmployment): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(record.id), email: emailFrom(record.work_email) }
}

/**
 * One employment as a canonical Employee; an employment whose status is not in the enum, or with an
 * unreadable date, is refused with skipPerson. The termination
 * date comes from the employment's offboarding: an employment archived before that day is still employed until it
 * (R20), and an active one whose provisional start is ahead has not started.
 */
export function toEmployee(record: RemoteEmployment, terminationDate: string | null, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('a Remote employment without an id', { email })
  const mapped = mapStatus<RemoteStatus>(STATUS, record.status, { remoteId, email })
  if ('skipped' in mapped) {
    skipPerson(`Remote employment status "${String(record.status)}" is not in Remote's enum`, mapped.skipped)
  }
  const today = todayIn('UTC', now)
  const startDate = toIsoDate(record.provisional_start_date)
  let status = mapped.status
  if (record.status === 'archived' && terminationDate !== null && terminationDate >= today) status = 'active'
  if (record.status === 'active' && startDate !== null && startDate > today) status = 'pending'
  const department = typeof record.department === 'object' ? record.department?.name : record.department
  return employee({
    remoteId,
    email,
    ...splitName(record.full_name),
    status: terminatedIfPast(status, terminationDate, now),
    managerRemoteId: idString(record.manager_employment_id),
    managerEmail: emailFrom(record.manager_email),
    department: cleanString(department),
    jobTitle: cleanString(record.job_title),
    startDate,
    terminationDate,
  })
}

/** The full employment, or null when it was deleted between the list and this call. */
async function detail(ctx: ConnectorContext<RemoteConfig>, id: string): Promise<RemoteEmployment | null> {
  try {
    const { body } = await ctx.http.request<{ data?: { employment?: RemoteEmployment } }>({
      url: `v1/employments/${encodeURIComponent(id)}`,
    })
    const employment = body?.data?.employment
    if (!employment) throw new ConnectorError('malformed_response', `Remote sent no employment for ${id}`)
    return employment
  } catch (error) {
    if (isConnectorError(error) && error.details?.status === 404) {
      ctx.log.info('an employment was deleted while the list was read; skipped', { id })
      return null
    }
    throw error
  }
}

/** Every offboarding of the company, confidential ones included, in as few pages as Remote allows. */
async function offboardings(ctx: ConnectorContext<RemoteConfig>): Promise<RemoteOffboarding[]> {
  const all: RemoteOffboarding[] = []
  const pages = paginatePage<RemoteOffboarding, OffboardingsBody>(ctx, {
    url: 'v1/offboardings',
    searchParams: { include_confidential: 'true' },
    pageSize: ctx.config.pageSize,
    pageSizeParam: 'page_size',
    items: (body) => body?.data?.offboardings ?? [],
    totalPages: (body) => body?.data?.total_pages,
  })
  for await (const page of pages) all.push(...page)
  return all
}

async function* listEmployees(ctx: ConnectorContext<RemoteConfig>) {
  // the whole list first, so the detail calls cannot shift the pages under us
  const ids: string[] = []
  const pages = paginatePage<{ id: string }, ListBody>(ctx, {
    url: 'v1/employments',
    pageSize: ctx.config.pageSize,
    pageSizeParam: 'page_size',
    items: (body) => body?.data?.employments ?? [],
    totalPages: (body) => body?.data?.total_pages,
  })
  for await (const page of pages) ids.push(...page.map((item) => item.id))
  const leaving = ids.length > 0 ? terminationDates(await offboardings(ctx)) : new Map<string, string>()
  for (let start = 0; start < ids.length; start += ctx.config.pageSize) {
    const batch = ids.slice(start, start + ctx.config.pageSize)
    const details = await fetchDetails(ctx, batch, {
      concurrency: DETAIL_CONCURRENCY,
      fetch: (id) => detail(ctx, id),
    })
    const found = details.filter((d): d is RemoteEmployment => d !== null)
    // Remote gives every employment an id: one without is a broken answer and fails the pull
    yield mapRecords(found, (record) => toEmployee(record, leaving.get(record.id) ?? null, ctx.now), {
      identify,
      requireId: 'Remote returned an employment without an id',
    })
  }
}

export default defineConnector({
  id: 'remote',
  name: 'Remote',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://developer.remote.com/reference/get_index_employment',
  config,
  allowedHosts: ['gateway.remote.com', 'gateway.remote-sandbox.com'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'bearer', token: cfg.apiToken }),
  http: {
    // 20 requests a minute per company: https://remote.com/resources/api/rate-limit
    requestsPerSecond: 1 / 3,
    // Retry-After (seconds) comes first; without it, x-ratelimit-reset counts the milliseconds to wait
    rateLimitResetHeader: 'x-ratelimit-reset',
    rateLimitResetUnit: 'milliseconds',
  },
  errorHints: {
    invalid_credentials:
      'A ra_test_ token only works with the sandbox gateway and a ra_live_ token only with gateway.remote.com; create a new token in Settings > Integrations & APIs if it was revoked.',
  },
  async checkConnection(ctx) {
    await ctx.http.request({ url: 'v1/employments', searchParams: { page_size: 1 } })
  },
  listEmployees,
})

import {
  cleanString,
  emailFrom,
  idString,
  mapRecords,
  mapStatus,
  paginateLinkHeader,
  rewordByCode,
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
  Secret,
  statusTable,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'

/**
 * The person statuses Breathe shows (pending, current, leaving, left; an ex-employee after the leaving
 * date), keyed by the first word of the API's `status` string ("Current employee" → `current`,
 * "Ex-employee" → `ex`). A leaver stays active until the leaving date has passed.
 * https://intercom.help/breathehr/en/articles/2096906-the-profile
 */
export const STATUS = statusTable({
  current: 'active',
  pending: 'pending',
  leaving: 'active',
  left: 'terminated',
  ex: 'terminated',
  former: 'terminated',
})
type BreatheStatus = keyof typeof STATUS

export const DEFAULT_BASE_URL = 'https://api.breathehr.com/v1'

const config = Type.Object({
  apiKey: Secret(
    Type.String({
      minLength: 1,
      description: 'API key from Breathe (Configure > Settings > API); starts with prod- or sandbox-',
    }),
  ),
  baseUrl: Type.String({
    default: DEFAULT_BASE_URL,
    description: 'API base URL; the sandbox is https://api.sandbox.breathehr.info/v1',
  }),
  pageSize: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 100,
    description: 'Employees per page (per_page), at most 100',
  }),
})
type BreatheConfig = Static<typeof config>

interface Named {
  id?: number | string | null
  name?: string | null
}
/** The fields of a Breathe employee the connector reads; the record holds much more (salary, NI number). */
export interface BreatheEmployee {
  id: number | string
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  job_title?: string | null
  status?: string | null
  join_date?: string | null
  company_join_date?: string | null
  leaving_date?: string | null
  department?: Named | null
  line_manager?: Named | null
}

/** "Current employee" → current, "Ex-employee" → ex: the word that carries the state. */
function statusKey(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return value
    .trim()
    .toLowerCase()
    .split(/[\s-]+/)[0]
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: BreatheEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(record.id), email: emailFrom(record.email) }
}

/**
 * Every listed employee carries an id: one without means Breathe changed its answer, and the pull fails
 * rather than skip people it cannot name.
 */
function requireIds(records: BreatheEmployee[]): void {
  if (records.some((record) => idString(record.id) === null))
    throw new ConnectorError('malformed_response', 'Breathe listed an employee without an id')
}

/**
 * One Breathe employee as a canonical Employee. An unknown status is refused with skipPerson, an
 * unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(record: BreatheEmployee, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('a Breathe employee without an id', { email })
  const startDate = toIsoDate(record.join_date ?? record.company_join_date)
  const terminationDate = toIsoDate(record.leaving_date)
  const fields = {
    remoteId,
    email,
    firstName: cleanString(record.first_name),
    lastName: cleanString(record.last_name),
    managerRemoteId: idString(record.line_manager?.id),
    department: cleanString(record.department?.name),
    jobTitle: cleanString(record.job_title),
    startDate,
    terminationDate,
  }
  // dates first: a past leaving date ends the employment whatever the status string says
  if (terminatedIfPast('active', terminationDate, now) === 'terminated') {
    return employee({ ...fields, status: 'terminated' })
  }
  const mapped = mapStatus<BreatheStatus>(STATUS, statusKey(record.status), { remoteId, email })
  if ('skipped' in mapped) {
    skipPerson(`Breathe status "${String(record.status)}" is not a known status`, mapped.skipped)
  }
  const notStarted = mapped.status === 'active' && startDate !== null && startDate > todayIn('UTC', now)
  return employee({ ...fields, status: notStarted ? 'pending' : mapped.status })
}

/** The connection check names the key to copy when Breathe refuses it; the pull keeps the kit's words. */
const explainError = rewordByCode<BreatheConfig>({
  invalid_credentials: (_, { during }) =>
    during === 'check'
      ? 'Breathe HR rejected the API key. Copy the production key (prod-…) from Configure > Settings > API; a sandbox key only works with the sandbox base URL.'
      : undefined,
})

async function* listEmployees(ctx: ConnectorContext<BreatheConfig>) {
  const pages = paginateLinkHeader<BreatheEmployee, { employees?: BreatheEmployee[] }>(ctx, {
    url: 'employees',
    searchParams: { page: 1, per_page: ctx.config.pageSize },
    items: (body) => body?.employees ?? [],
  })
  for await (const records of pages) {
    requireIds(records)
    yield mapRecords(records, (record) => toEmployee(record, ctx.now), { identify })
  }
}

export default defineConnector({
  id: 'breathe-hr',
  name: 'Breathe HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://developer.breathehr.com/',
  config,
  allowedHosts: ['api.breathehr.com', 'api.sandbox.breathehr.info'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: (cfg) => cfg.baseUrl,
  auth: (cfg) => ({ type: 'header', name: 'X-API-KEY', value: cfg.apiKey }),
  // 60 requests per 60 seconds per customer: https://developer.breathehr.com/documentation/rate_limiting
  http: { requestsPerSecond: 1 },
  explainError,
  async checkConnection(ctx) {
    await ctx.http.request({ url: 'account' })
  },
  listEmployees,
})

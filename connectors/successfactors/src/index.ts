import { mapRecords, paginateOData, rewordByCode, todayIn, toIsoDate } from '@hrsync/connector-kit'
import {
  type AuthSpec,
  type ConnectorContext,
  ConnectorError,
  defineConnector,
  HostPart,
  Secret,
} from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { type EmpJob, identify, STATUS, toEmployee } from './mapping.js'
import { signedAssertion } from './saml.js'

export { type EmpJob, type EmploymentStatusCode, identify, STATUS, toEmployee } from './mapping.js'
export { signedAssertion } from './saml.js'

export const SuccessFactorsConfig = Type.Object({
  apiServer: HostPart(
    Type.String({
      pattern: '^https://[A-Za-z0-9.-]+(:\\d+)?/?$',
      title: 'API server',
      description:
        'The OData API host of your data center, e.g. https://api4.successfactors.com or https://api2.successfactors.eu (not the login host)',
    }),
  ),
  companyId: HostPart(Type.String({ minLength: 1, title: 'Company ID' })),
  authMethod: Type.Union([Type.Literal('basic'), Type.Literal('oauth')], {
    default: 'basic',
    title: 'Authentication',
  }),
  username: Type.Optional(Type.String({ minLength: 1, title: 'API user name', description: 'Basic only' })),
  password: Type.Optional(Secret(Type.String({ minLength: 1, title: 'API user password' }))),
  clientId: Type.Optional(
    Type.String({
      minLength: 1,
      title: 'OAuth API key',
      description: 'API Center > OAuth Configuration for OData',
    }),
  ),
  privateKey: Type.Optional(
    Secret(
      Type.String({
        minLength: 1,
        title: 'Private key',
        description: 'Of the OAuth client’s X.509 certificate',
      }),
    ),
  ),
  oauthUserId: Type.Optional(
    Type.String({
      minLength: 1,
      title: 'User ID',
      description: 'The SuccessFactors user the token acts for',
    }),
  ),
  pageSize: Type.Integer({ minimum: 1, maximum: 1000, default: 500, title: 'Records per page' }),
})
export type SuccessFactorsConfig = Static<typeof SuccessFactorsConfig>

const apiServer = (c: SuccessFactorsConfig) => c.apiServer.replace(/\/+$/, '')

function requireCredentials(c: SuccessFactorsConfig): void {
  const missing =
    c.authMethod === 'oauth'
      ? (['clientId', 'privateKey', 'oauthUserId'] as const).filter((key) => !c[key])
      : (['username', 'password'] as const).filter((key) => !c[key])
  if (missing.length > 0) {
    throw new ConnectorError(
      'invalid_config',
      `${c.authMethod === 'oauth' ? 'OAuth' : 'Basic'} authentication needs ${missing.join(' and ')}`,
      { keys: missing },
    )
  }
}

interface TokenResponse {
  access_token?: string
  expires_in?: number | string
}

const EXPAND = 'userNav,managerUserNav,departmentNav,employmentNav,emplStatusNav'
const SELECT = [
  'userId',
  'startDate',
  'jobTitle',
  'managerId',
  'userNav/firstName',
  'userNav/lastName',
  'userNav/email',
  'managerUserNav/userId',
  'departmentNav/name',
  'employmentNav/startDate',
  'employmentNav/endDate',
  'emplStatusNav/externalCode',
].join(',')
// without it the User of a leaver (an inactive user) comes back empty: no email, no names (SAP KBA 2166571)
const EVERY_USER = "userNav/status in 't','f','T','F','e','d'"

function empJobQuery(c: SuccessFactorsConfig, extra: Record<string, string> = {}) {
  return {
    $format: 'json',
    paging: 'snapshot',
    customPageSize: c.pageSize,
    $filter: EVERY_USER,
    $expand: EXPAND,
    $select: SELECT,
    ...extra,
  }
}

/** Maps one page of job rows, noting who was read so that the query of later hires leaves them out. */
function mapJobs(jobs: EmpJob[], now: Date, seen: Set<string>) {
  const page = mapRecords(jobs, (job) => toEmployee(job, now), { identify })
  for (const person of page.employees) seen.add(person.remoteId)
  return page
}

/** SuccessFactors-specific sentences for what a customer can fix. */
const explainError = rewordByCode<SuccessFactorsConfig>({
  invalid_credentials: (_error, { config: c }) =>
    c.authMethod === 'oauth'
      ? 'SuccessFactors refused the OAuth token. Check the API key, that the private key belongs to the certificate registered for it in API Center > OAuth Configuration for OData, the user ID and the company ID.'
      : `SuccessFactors rejected the API user. Check the user name, password and company ID (the login is sent as ${c.username ?? 'user'}@${c.companyId}), and that the role allows "Allow Admin to Access OData API through Basic Authentication".`,
  // only SuccessFactors' 403: the check's own missing_scope (the hidden employee status) says more already
  missing_scope: (error) =>
    error.details?.status === 403
      ? 'SuccessFactors accepted the credentials but refused access to EmpJob. Give the API user’s permission role Manage Integration Tools > Admin Access to OData API and Employee Central API > Employee Central Foundation OData API (read-only) and Employee Central HRIS OData API (read-only).'
      : undefined,
  unreachable: (_error, { config: c }) =>
    `Could not reach SuccessFactors at ${apiServer(c)}. Use the API server of your data center (api2, api4, api8, …), not the host you log in at.`,
})

export default defineConnector({
  id: 'successfactors',
  name: 'SAP SuccessFactors',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://help.sap.com/docs/SAP_SUCCESSFACTORS_PLATFORM/d599f15995d348a1b45ba5603e2aba9b',
  config: SuccessFactorsConfig,
  allowedHosts: ['*.successfactors.com', '*.successfactors.eu', '*.sapsf.com', '*.sapsf.eu', '*.sapsf.cn'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // big expanded pages are slow to build on SuccessFactors' side
  http: { timeoutMs: 120_000 },
  baseUrl: apiServer,
  auth: (c): AuthSpec => {
    if (c.authMethod === 'oauth') {
      return {
        type: 'token-exchange',
        async exchange(http) {
          requireCredentials(c)
          const tokenUrl = `${apiServer(c)}/oauth/token`
          const { body } = await http.request<TokenResponse>({
            method: 'POST',
            url: tokenUrl,
            form: {
              company_id: c.companyId,
              client_id: c.clientId as string,
              grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
              assertion: signedAssertion({
                clientId: c.clientId as string,
                userId: c.oauthUserId as string,
                tokenUrl,
                privateKey: c.privateKey as string,
                now: new Date(),
              }),
            },
          })
          if (typeof body?.access_token !== 'string' || body.access_token === '') {
            throw new ConnectorError('invalid_credentials', 'SuccessFactors did not issue an access token')
          }
          const expires = Number(body.expires_in)
          return {
            token: body.access_token,
            expiresInSeconds: Number.isFinite(expires) ? expires : undefined,
          }
        },
      }
    }
    return c.username && c.password
      ? { type: 'basic', username: `${c.username}@${c.companyId}`, password: c.password }
      : { type: 'none' }
  },

  explainError,

  async checkConnection(ctx: ConnectorContext<SuccessFactorsConfig>) {
    requireCredentials(ctx.config)
    const { body } = await ctx.http.request<{ d?: { results?: EmpJob[] } }>({
      url: 'odata/v2/EmpJob',
      searchParams: { ...empJobQuery(ctx.config), $top: 1, paging: undefined, customPageSize: undefined },
    })
    const first = body?.d?.results?.[0]
    if (first && !first.emplStatusNav?.externalCode) {
      throw new ConnectorError(
        'missing_scope',
        'SuccessFactors lets the API user read job information but not the employee status. Give its permission role read access to Employee Status in Job Information (Employee Data) and to the employee-status picklist.',
      )
    }
  },

  async *listEmployees(ctx: ConnectorContext<SuccessFactorsConfig>) {
    requireCredentials(ctx.config)
    const seen = new Set<string>()
    const today = todayIn('UTC', ctx.now)
    for await (const jobs of paginateOData<EmpJob>(ctx, {
      url: 'odata/v2/EmpJob',
      searchParams: empJobQuery(ctx.config),
    })) {
      yield mapJobs(jobs, ctx.now, seen)
    }
    // EmpJob answers with the records in effect today, so a hire who starts later needs its own query:
    // records starting after today, of people not read above, the earliest one each
    const upcoming = new Map<string, EmpJob>()
    for await (const jobs of paginateOData<EmpJob>(ctx, {
      url: 'odata/v2/EmpJob',
      searchParams: empJobQuery(ctx.config, {
        $filter: `${EVERY_USER} and startDate gt datetime'${today}T00:00:00'`,
        fromDate: today,
        toDate: '9999-12-31',
      }),
    })) {
      for (const job of jobs) {
        if (!job.userId || seen.has(job.userId)) continue
        const known = upcoming.get(job.userId)
        const starts = toIsoDate(job.startDate ?? null) ?? ''
        if (!known || starts < (toIsoDate(known.startDate ?? null) ?? '')) upcoming.set(job.userId, job)
      }
    }
    if (upcoming.size > 0) yield mapJobs([...upcoming.values()], ctx.now, seen)
  },
})

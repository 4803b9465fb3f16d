import createFetchClient, { type Client } from 'openapi-fetch'
import type { components, operations, paths } from './schema.js'

export type { components, operations, paths }

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never
type Answer<
  Path extends keyof paths,
  Method extends keyof paths[Path],
  Status extends number = 200,
> = paths[Path][Method] extends { responses: infer R }
  ? Status extends keyof R
    ? Json<R[Status]>
    : never
  : never

/** The admin API's shapes, as its OpenAPI document describes them. */
export type Company = Answer<'/api/companies/{companyId}', 'get'>
export type User = Answer<'/api/companies/{companyId}/users/{userId}', 'get'>
export type Team = Answer<'/api/companies/{companyId}/teams/{teamId}', 'get'>
export type Integration = Answer<'/api/integrations/{id}', 'get'>
export type Run = Answer<'/api/runs/{runId}', 'get'>
export type HrsyncEvent = Answer<'/api/companies/{companyId}/events', 'get'>['events'][number]
export type ErrorBody = components['schemas']['Error']

export type HrsyncClient = Client<paths>

export interface HrsyncClientOptions {
  /** where the runner listens, e.g. https://hrsync.internal; '' in a page the runner serves */
  baseUrl: string
  /** an operator or company key; a function is asked on every request (a key that changes) */
  token: string | (() => string | null)
  /** the app's own user behind the request, recorded as the actor of writes */
  actingUserId?: string
  fetch?: typeof globalThis.fetch
}

/** The name an app gives its acting user with (see HrsyncClientOptions.actingUserId). */
export const ACTING_USER_HEADER = 'Hrsync-Acting-User'

/** A typed client of the admin API: `client.GET('/api/companies/{companyId}/users', { params })`. */
export function createHrsyncClient(options: HrsyncClientOptions): HrsyncClient {
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  client.use({
    onRequest({ request }) {
      const token = typeof options.token === 'function' ? options.token() : options.token
      if (token) request.headers.set('authorization', `Bearer ${token}`)
      if (options.actingUserId) request.headers.set(ACTING_USER_HEADER, options.actingUserId)
      return request
    },
  })
  return client
}

/** An answer of the API other than 2xx: its status, stable code and sentence. */
export class HrsyncApiError extends Error {
  override readonly name = 'HrsyncApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The data of an answer, or an HrsyncApiError: `const user = await unwrap(client.GET(...))`.
 * A runner that cannot be reached rejects with status 0 and code `unreachable`.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response }
  try {
    answer = await call
  } catch (error) {
    throw new HrsyncApiError(
      0,
      'unreachable',
      `The hrsync runner cannot be reached: ${(error as Error).message}`,
    )
  }
  if (answer.response.ok) return answer.data as T
  const error = (answer.error as Partial<ErrorBody> | undefined)?.error
  throw new HrsyncApiError(
    answer.response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The runner answered ${answer.response.status} ${answer.response.statusText}`.trim(),
  )
}

type ListQuery<Path extends '/api/companies/{companyId}/users' | '/api/companies/{companyId}/teams'> = Omit<
  NonNullable<paths[Path]['get']['parameters']['query']>,
  'cursor'
>

/** Every user of a company, following nextCursor page by page. */
export async function allUsers(
  client: HrsyncClient,
  companyId: string,
  query: ListQuery<'/api/companies/{companyId}/users'> = {},
): Promise<User[]> {
  const users: User[] = []
  let cursor: string | undefined
  do {
    const page = await unwrap(
      client.GET('/api/companies/{companyId}/users', {
        params: { path: { companyId }, query: { limit: 500, ...query, ...(cursor ? { cursor } : {}) } },
      }),
    )
    users.push(...page.users)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return users
}

/** Every team of a company, following nextCursor page by page. */
export async function allTeams(
  client: HrsyncClient,
  companyId: string,
  query: ListQuery<'/api/companies/{companyId}/teams'> = {},
): Promise<Team[]> {
  const teams: Team[] = []
  let cursor: string | undefined
  do {
    const page = await unwrap(
      client.GET('/api/companies/{companyId}/teams', {
        params: { path: { companyId }, query: { limit: 500, ...query, ...(cursor ? { cursor } : {}) } },
      }),
    )
    teams.push(...page.teams)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return teams
}

import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { CONNECTOR_ERROR_CODES, ConnectorError, type ConnectorErrorCode } from './errors.js'
import type { Employee } from './model.js'
import { EmployeeStatus } from './model.js'

/** The contract versions this core can load. A definition names the one it was built for. */
export const CONNECTOR_API_VERSION = 1
export const SUPPORTED_API_VERSIONS: readonly number[] = [1]

/** Marks a definition made by defineConnector; the runner never identifies plugins by class name. */
export const CONNECTOR_BRAND: unique symbol = Symbol.for('hrsync.connector') as never

/** JSON Schema keyword on a config property whose value is a secret (never logged, returned or recorded). */
export const SECRET_KEYWORD = 'x-hrsync-secret'
/** JSON Schema keyword on a config property that names the customer's tenant (scrubbed from fixtures). */
export const HOST_PART_KEYWORD = 'x-hrsync-hostPart'

/** A config property holding a secret. */
export function Secret<T extends TSchema>(schema: T): T {
  return { ...schema, [SECRET_KEYWORD]: true }
}
/** A config property naming the customer's tenant: subdomain, company id, instance URL. */
export function HostPart<T extends TSchema>(schema: T): T {
  return { ...schema, [HOST_PART_KEYWORD]: true }
}

/** Names of the config keys marked secret. */
export function secretKeys(config: TObject): string[] {
  return Object.entries(config.properties)
    .filter(([, schema]) => (schema as Record<string, unknown>)[SECRET_KEYWORD] === true)
    .map(([key]) => key)
}
/** Names of the config keys marked as tenant identity. */
export function hostPartKeys(config: TObject): string[] {
  return Object.entries(config.properties)
    .filter(([, schema]) => (schema as Record<string, unknown>)[HOST_PART_KEYWORD] === true)
    .map(([key]) => key)
}

export const Capabilities = Type.Object({
  listEmployees: Type.Object({
    includesTerminated: Type.Union([Type.Literal('always'), Type.Literal('param'), Type.Literal('never')]),
    managerRef: Type.Union([Type.Literal('remoteId'), Type.Literal('email'), Type.Literal('none')]),
    statuses: Type.Array(Type.String(), { description: 'the vendor status values the connector maps' }),
    incremental: Type.Literal(false),
    /**
     * the termination dates the vendor reports: `planned` (the default) ahead of the day, so a leaver shows as
     * leaving; `past` only once someone has left (a directory's deactivation); `none` at all
     */
    terminationDates: Type.Optional(
      Type.Union([Type.Literal('planned'), Type.Literal('past'), Type.Literal('none')]),
    ),
  }),
})
export type Capabilities = Static<typeof Capabilities>

/**
 * Whom a vendor's limit counts: each customer's credential (the default), or the partner app every customer's
 * credential belongs to (one OAuth client or partner key for all companies), whose budget all syncs share.
 */
export const LimitScope = Type.Union([Type.Literal('credential'), Type.Literal('app')])
export type LimitScope = Static<typeof LimitScope>

export const RequestWindow = Type.Object(
  {
    requests: Type.Integer({ minimum: 1 }),
    seconds: Type.Number({ exclusiveMinimum: 0 }),
    /** overrides `http.limitScope` for this window, for vendors that count per customer and per app */
    scope: Type.Optional(LimitScope),
  },
  { additionalProperties: false },
)
export type RequestWindow = Static<typeof RequestWindow>

export const HttpOptions = Type.Object({
  retryMethods: Type.Optional(Type.Array(Type.Union([Type.Literal('GET'), Type.Literal('POST')]))),
  rateLimitResetHeader: Type.Optional(Type.String()),
  /**
   * what the reset header counts: seconds to wait, milliseconds to wait, or the epoch second of the reset.
   * Without it the kit guesses from the size of the number.
   */
  rateLimitResetUnit: Type.Optional(
    Type.Union([Type.Literal('seconds'), Type.Literal('milliseconds'), Type.Literal('epoch-seconds')]),
  ),
  requestsPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /**
   * the vendor's documented limits, each at most `requests` in any `seconds`; Personio's employee list:
   * `[{ requests: 300, seconds: 60 }, { requests: 15, seconds: 1 }]`. Pages fetched ahead go within them.
   */
  requestLimits: Type.Optional(Type.Array(RequestWindow, { minItems: 1 })),
  /**
   * whom `requestsPerSecond` and `requestLimits` count (default `credential`): `app` when the vendor counts
   * per partner app, so the syncs of every company, on every replica of the runner, share one budget
   */
  limitScope: Type.Optional(LimitScope),
  /**
   * with app-scoped limits, the config key naming the app (an OAuth client id), for a vendor whose customers
   * may each bring an app of their own; without it the connector is one app
   */
  appIdentityKey: Type.Optional(Type.String({ minLength: 1 })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
})
export type HttpOptions = Static<typeof HttpOptions> & {
  /**
   * Vendors that signal an exhausted quota with another status (Google: 403 quotaExceeded): an answer this
   * returns true for is retried like a 429, and fails with rate_limited when the retries run out.
   */
  isRateLimited?: (status: number, body: string) => boolean
}

/** How the kit authenticates every request of a connector. */
export type AuthSpec =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'header'; name: string; value: string }
  | {
      type: 'oauth2-client-credentials'
      tokenUrl: string
      clientId: string
      clientSecret: string
      scope?: string
      /** where the client credentials go: the form body (default) or a Basic header */
      credentialsIn?: 'body' | 'basic'
      extraParams?: Record<string, string>
    }
  | {
      type: 'oauth2-refresh-token'
      tokenUrl: string
      clientId: string
      /** public clients have none: then only client_id is sent */
      clientSecret?: string
      refreshToken: string
      credentialsIn?: 'body' | 'basic'
      /** how the token request is encoded: a form (default, RFC 6749) or a JSON object */
      bodyFormat?: 'form' | 'json'
      /**
       * the config key holding the refresh token, named when the vendor rotates it
       * (onCredentialsChanged); default: the key whose value is `refreshToken`
       */
      refreshTokenKey?: string
    }
  | {
      /**
       * RFC 7523 JWT bearer grant: the kit signs an RS256 assertion with the private key and trades it for an
       * access token at tokenUrl (service accounts, e.g. Google)
       */
      type: 'jwt-bearer'
      tokenUrl: string
      /** `iss`: the service account */
      issuer: string
      /** `sub`: the user the service account acts as, if any */
      subject?: string
      /** `aud`: defaults to tokenUrl */
      audience?: string
      /** sent as the `scope` claim */
      scope?: string
      /** PEM (PKCS#8 or PKCS#1); `\n` escapes as pasted from a JSON key file are accepted */
      privateKey: string
      /** seconds between iat and exp (default 3600) */
      lifetime?: number
    }
  | {
      /** a vendor-specific exchange: the kit caches the token it returns and sends it in `header` */
      type: 'token-exchange'
      exchange: (http: HttpClient) => Promise<{ token: string; expiresInSeconds?: number }>
      /** the header the token travels in; default `Authorization: Bearer <token>` */
      header?: { name: string; format?: (token: string) => string }
    }

export interface HttpRequest {
  method?: 'GET' | 'POST'
  /** absolute, or relative to the connector's baseUrl */
  url: string
  searchParams?: Record<string, string | number | boolean | undefined> | URLSearchParams
  headers?: Record<string, string>
  json?: unknown
  form?: Record<string, string>
  body?: string
  /** parse the body as JSON (default) or keep it as text */
  responseType?: 'json' | 'text'
}
export interface HttpResponse<T = unknown> {
  status: number
  url: string
  headers: Record<string, string | string[] | undefined>
  body: T
}
/** The HTTP client the kit gives a connector: auth, retries, timeouts, rate limit and allowedHosts applied. */
export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** What a connector receives: validated config and a ready HTTP client. */
export interface ConnectorContext<C = Record<string, unknown>> {
  config: C
  http: HttpClient
  log: Logger
  signal: AbortSignal
  /** the moment of the pull; connectors compare termination dates against it */
  now: Date
  /**
   * the only folder a connector may read files from (the runner's import folder, HRSYNC_IMPORT_DIR);
   * absent when the host allows no file at all
   */
  importDir?: string
}

/** A person the connector saw but could not map (e.g. an undocumented status): reported, never dropped silently. */
export interface SkippedPerson {
  remoteId: string
  email: string | null
  reason: 'unmapped_status' | 'invalid_record'
  message: string
}
export type EmployeePage =
  | Employee[]
  | {
      employees: Employee[]
      skipped?: SkippedPerson[]
      /** how many people the vendor says the whole list holds, when it says (progress of a running sync) */
      total?: number
    }

/** Where a failure happened, for a definition's explainError. */
export interface ErrorContext<C = Record<string, unknown>> {
  /** the validated connection settings */
  config: C
  /** the connection check, or the pull */
  during: 'check' | 'pull'
  /** pages the pull had yielded before the failure; 0 in the check and while the first page is read */
  pagesRead: number
}

export interface ConnectorDefinition<S extends TObject = TObject> {
  id: string
  name: string
  apiVersion: typeof CONNECTOR_API_VERSION
  mode: 'pull' | 'push'
  docsUrl?: string
  config: S
  allowedHosts: string[]
  /**
   * the vendor hands each customer its own API root and does not publish the hosts: an operator may add
   * hosts to allowedHosts for the whole deployment (never a customer's form)
   */
  allowedHostsExtensible?: boolean
  capabilities: Capabilities
  /** the base URL relative request URLs resolve against */
  baseUrl?: (config: Static<S>) => string
  auth?: (config: Static<S>) => AuthSpec
  http?: HttpOptions
  /**
   * what to check, in the vendor's words, appended to the message of a failure with that code, e.g.
   * `{ invalid_credentials: 'Check the API key under Settings › Integrations › API in BambooHR.' }`
   */
  errorHints?: Partial<Record<ConnectorErrorCode, string>>
  /**
   * Rewords a failure of the connection check or of the pull in the vendor's terms, when a sentence needs a
   * config value or the code must change (Workday answers a wrong ISU password with HTTP 500); undefined
   * keeps the error as it is. The kit calls it where it runs checkConnection and listEmployees, before
   * appending errorHints, so the connector's own functions need no try/catch to reword.
   */
  // a method, so that a Connector<Schema> still passes where a Connector is expected
  explainError?(error: ConnectorError, ctx: ErrorContext<Static<S>>): ConnectorError | undefined
  checkConnection(ctx: ConnectorContext<Static<S>>): Promise<void>
  listEmployees(ctx: ConnectorContext<Static<S>>): AsyncIterable<EmployeePage>
}
export type Connector<S extends TObject = TObject> = Readonly<ConnectorDefinition<S>> & {
  readonly [CONNECTOR_BRAND]: true
}

const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' })

/** The shape every definition must have; the runner validates plugins against it at load time. */
export const ConnectorDefinitionSchema = Type.Object({
  id: Slug,
  name: Type.String({ minLength: 1 }),
  apiVersion: Type.Literal(CONNECTOR_API_VERSION),
  mode: Type.Union([Type.Literal('pull'), Type.Literal('push')]),
  docsUrl: Type.Optional(Type.String()),
  config: Type.Object({ type: Type.Literal('object'), properties: Type.Record(Type.String(), Type.Any()) }),
  allowedHosts: Type.Array(Type.String({ minLength: 1 })),
  allowedHostsExtensible: Type.Optional(Type.Boolean()),
  capabilities: Capabilities,
  http: Type.Optional(HttpOptions),
  errorHints: Type.Optional(
    Type.Object(
      Object.fromEntries(
        CONNECTOR_ERROR_CODES.map((code) => [code, Type.Optional(Type.String({ minLength: 1 }))]),
      ),
      { additionalProperties: false },
    ),
  ),
})

function describe(path: string, message: string): string {
  const where = path === '' ? 'the definition' : `\`${path.slice(1).replaceAll('/', '.')}\``
  return `${where}: ${message}`
}

/** Checks a value is a valid connector definition; the errors name what is wrong. */
export function validateDefinition(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['the definition is not an object']
  const problems = [...Value.Errors(ConnectorDefinitionSchema, value)].map((e) => describe(e.path, e.message))
  const def = value as Partial<ConnectorDefinition>
  for (const fn of ['checkConnection', 'listEmployees'] as const) {
    if (typeof def[fn] !== 'function') problems.push(`\`${fn}\` must be a function`)
  }
  for (const fn of ['baseUrl', 'auth'] as const) {
    if (def[fn] !== undefined && typeof def[fn] !== 'function')
      problems.push(`\`${fn}\` must be a function of the config`)
  }
  if (def.explainError !== undefined && typeof def.explainError !== 'function')
    problems.push('`explainError` must be a function of the error and its context')
  if (def.capabilities?.listEmployees) {
    for (const status of def.capabilities.listEmployees.statuses ?? []) {
      if (typeof status !== 'string') problems.push('`capabilities.listEmployees.statuses` must list strings')
    }
  }
  if (def.http?.isRateLimited !== undefined && typeof def.http.isRateLimited !== 'function')
    problems.push('`http.isRateLimited` must be a function of the status and the body')
  const appKey = def.http?.appIdentityKey
  if (
    typeof appKey === 'string' &&
    !Object.hasOwn((def.config as TObject | undefined)?.properties ?? {}, appKey)
  )
    problems.push(`\`http.appIdentityKey\` names \`${appKey}\`, which is not a config key`)
  const secretLike = /secret|password|token|apikey|api_key|private/i
  // a URL is an address, not a secret (tokenUrl)
  const addressLike = /(url|uri)$/i
  if (def.config && typeof def.config === 'object' && 'properties' in def.config) {
    for (const [key, schema] of Object.entries((def.config as TObject).properties ?? {})) {
      if (
        secretLike.test(key) &&
        !addressLike.test(key) &&
        (schema as Record<string, unknown>)[SECRET_KEYWORD] !== true
      ) {
        problems.push(`config key \`${key}\` looks like a secret: wrap it in Secret(...)`)
      }
    }
  }
  return problems
}

export function isConnector(value: unknown): value is Connector {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[CONNECTOR_BRAND] === true
  )
}

/** Declares a connector: validates the definition and stamps the brand the runner checks. */
export function defineConnector<S extends TObject>(definition: ConnectorDefinition<S>): Connector<S> {
  const problems = validateDefinition(definition)
  if (problems.length > 0) {
    const name = typeof definition?.id === 'string' ? `connector "${definition.id}"` : 'connector'
    throw new ConnectorError('invalid_connector', `Invalid ${name}: ${problems.join('; ')}`, { problems })
  }
  const connector = { ...definition }
  Object.defineProperty(connector, CONNECTOR_BRAND, { value: true, enumerable: false })
  return Object.freeze(connector) as Connector<S>
}

/** A total status table: the type checker proves every documented vendor value is mapped. */
export function statusTable<V extends string>(
  table: Record<V, EmployeeStatus>,
): Readonly<Record<V, EmployeeStatus>> {
  for (const [vendor, status] of Object.entries(table)) {
    if (!Value.Check(EmployeeStatus, status))
      throw new Error(`status "${vendor}" maps to unknown "${String(status)}"`)
  }
  return Object.freeze(table)
}

import { createHash } from 'node:crypto'
import { type ConnectorContext, type ConnectorDefinition, type Logger, secretKeys } from '@hrsync/core'
import type { Static, TObject } from '@sinclair/typebox'
import { createAuthorizer } from './auth.js'
import { resolveAllowedHosts } from './hosts.js'
import { KitHttpClient } from './http.js'
import { limiterFor } from './rate-limit.js'
import { createRedactingLogger, Redactor } from './redact.js'
import { sleep as realSleep, type Sleep } from './sleep.js'

export interface CreateContextOptions {
  signal?: AbortSignal
  /** receives every log line with secrets masked; silent when omitted */
  logger?: Logger
  /** the moment of the pull; defaults to the current time */
  now?: Date
  /** the only folder the connector may read files from; none when omitted */
  importDir?: string
  /** retries after the first attempt for 429, 5xx and network errors (default 4) */
  fetchRetryLimit?: number
  /** base of the exponential backoff; default HRSYNC_BACKOFF_MS or 1000 ms */
  backoffBaseMs?: number
  /** a Retry-After longer than this fails the request with rate_limited (default 120 s) */
  maxRetryAfterMs?: number
  /** replaces the timer used for backoff and rate limiting (fixture replay records the delays instead) */
  sleep?: Sleep
  /** called with every secret the context learns: config secrets, derived headers, issued tokens */
  onSecret?: (secret: string) => void
  /**
   * called with the new values of config keys when the vendor rotates a credential (a refresh answered with a
   * new refresh_token): the caller must persist them, the old value no longer works
   */
  onCredentialsChanged?: (changes: Record<string, string>) => void
}

const DEFAULT_RETRY_LIMIT = 4
const DEFAULT_BACKOFF_MS = 1000
const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RETRY_AFTER_MS = 120_000

function backoffBase(option: number | undefined): number {
  if (option !== undefined) return option
  const fromEnv = Number(process.env.HRSYNC_BACKOFF_MS)
  return process.env.HRSYNC_BACKOFF_MS !== undefined && Number.isFinite(fromEnv)
    ? fromEnv
    : DEFAULT_BACKOFF_MS
}

/** The values of the config keys marked Secret(...). */
export function configSecrets(connector: { config: TObject }, config: Record<string, unknown>): string[] {
  return secretKeys(connector.config)
    .map((key) => config[key])
    .filter((value): value is string => typeof value === 'string' && value !== '')
}

/** Builds what a connector receives: the config, an HTTP client with auth/retries/limits, a redacting logger. */
export function createContext<S extends TObject>(
  connector: ConnectorDefinition<S>,
  config: Static<S>,
  options: CreateContextOptions = {},
): ConnectorContext<Static<S>> {
  const values = config as Record<string, unknown>
  const secrets = configSecrets(connector, values)
  const redactor = new Redactor(secrets, options.onSecret)
  const log = createRedactingLogger(redactor, options.logger)
  const signal = options.signal ?? new AbortController().signal
  const http = connector.http ?? {}
  // the context's clock: the moment of the pull plus the time it waited, so replayed reset headers age alike
  let waited = 0
  const sleep: Sleep = async (ms, sig) => {
    waited += Math.max(0, ms)
    await (options.sleep ?? realSleep)(ms, sig)
  }
  const clock = options.now ? () => (options.now as Date).getTime() + waited : () => Date.now()
  const credentialHash = createHash('sha256').update(secrets.join('\u0000')).digest('hex').slice(0, 16)
  const base = new KitHttpClient({
    vendor: connector.name,
    baseUrl: connector.baseUrl?.(config),
    allowedHosts: resolveAllowedHosts(connector.allowedHosts, values),
    redactor,
    log,
    signal,
    sleep,
    clock,
    retryLimit: options.fetchRetryLimit ?? DEFAULT_RETRY_LIMIT,
    backoffBaseMs: backoffBase(options.backoffBaseMs),
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS,
    timeoutMs: http.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryMethods: ['GET', ...(http.retryMethods ?? [])],
    rateLimitResetHeader: http.rateLimitResetHeader,
    rateLimitResetUnit: http.rateLimitResetUnit,
    isRateLimited: http.isRateLimited,
    bucket: limiterFor(`${connector.id}:${credentialHash}`, http),
  })
  const authorizer = createAuthorizer(
    connector.name,
    connector.auth?.(config),
    base.withoutAuth(),
    redactor,
    {
      config: values,
      ...(options.onCredentialsChanged ? { onCredentialsChanged: options.onCredentialsChanged } : {}),
    },
  )
  return {
    config,
    http: base.withAuthorizer(authorizer),
    log,
    signal,
    now: options.now ?? new Date(),
    ...(options.importDir ? { importDir: options.importDir } : {}),
  }
}

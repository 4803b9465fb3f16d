import { createHash } from 'node:crypto'
import { type ConnectorContext, type ConnectorDefinition, type Logger, secretKeys } from '@hrsync/core'
import type { Static, TObject } from '@sinclair/typebox'
import { createAuthorizer } from './auth.js'
import { resolveAllowedHosts } from './hosts.js'
import { KitHttpClient } from './http.js'
import { type LimitKeys, limiterFor, type RateLimitStore } from './rate-limit.js'
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
  /**
   * where limits the connector declares per app (`http.limitScope: 'app'`) are reserved, so that every
   * process syncing with the app shares one budget; without it they are shared within this process only
   */
  rateLimitStore?: RateLimitStore
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

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16)

/**
 * What the context's requests count against: its credential (the hash of the config's secrets) and the app,
 * named by the config key the connector gives as `http.appIdentityKey` (hashed, so the store never holds a
 * client id or key in clear), else the connector as a whole.
 */
function limitKeys(
  connector: Pick<ConnectorDefinition, 'id' | 'http'>,
  secrets: string[],
  config: Record<string, unknown>,
): LimitKeys {
  const appKey = connector.http?.appIdentityKey
  const appValue = appKey === undefined ? undefined : config[appKey]
  return {
    credential: `${connector.id}:${hash(secrets.join('\u0000'))}`,
    app:
      typeof appValue === 'string' && appValue !== ''
        ? `${connector.id}:app:${hash(appValue)}`
        : `${connector.id}:app`,
  }
}

/** The first failure of the shared store in a context is logged; the rest of its requests say nothing new. */
function warnOnce(log: Logger): (error: unknown) => void {
  let warned = false
  return (error) => {
    if (warned) return
    warned = true
    log.warn('The shared rate limits could not be reached: this sync paces its requests on its own', {
      error: error instanceof Error ? error.message : String(error),
    })
  }
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
    bucket: limiterFor(
      limitKeys(connector, secrets, values),
      http,
      options.rateLimitStore && { store: options.rateLimitStore, onError: warnOnce(log) },
    ),
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

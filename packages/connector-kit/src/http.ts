import {
  ConnectorError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type Logger,
} from '@hrsync/core'
import got, {
  type AfterResponseHook,
  type BeforeRedirectHook,
  type BeforeRequestHook,
  HTTPError,
  type Options,
  type RequestError,
  type Response,
  type RetryObject,
} from 'got'
import { bodyExcerpt, markStatusError, vendorMessage } from './errors.js'
import { isHostAllowed } from './hosts.js'
import type { bucketFor } from './rate-limit.js'
import type { Redactor } from './redact.js'
import { abortedError, type Sleep } from './sleep.js'

/** Supplies the auth headers of every request; token-based auth can drop its token and fetch a new one. */
export interface Authorizer {
  headers(): Promise<Record<string, string>>
  /** Forgets a cached token after a 401; true when a fresh one can be obtained. */
  invalidate(): boolean
}

export interface KitHttpOptions {
  /** the vendor's display name, used in every error message */
  vendor: string
  baseUrl?: string
  allowedHosts: string[]
  redactor: Redactor
  log: Logger
  signal: AbortSignal
  sleep: Sleep
  /** retries after the first attempt */
  retryLimit: number
  backoffBaseMs: number
  maxRetryAfterMs: number
  timeoutMs: number
  /** the methods retried after a network error, a 408, 429 or 5xx (GET, and POST when declared) */
  retryMethods: readonly string[]
  rateLimitResetHeader?: string
  /** what the reset header counts; guessed from the size of the number when omitted */
  rateLimitResetUnit?: RateLimitResetUnit
  /** an answer other than 429 that means "too many requests" (Google: 403 quotaExceeded) */
  isRateLimited?: (status: number, body: string) => boolean
  /** the context's clock in epoch milliseconds: epoch reset headers and HTTP dates are measured against it */
  clock?: () => number
  bucket?: ReturnType<typeof bucketFor>
  authorizer?: Authorizer
  /** the most an answer's body may hold once decompressed (default `MAX_BODY_BYTES`) */
  maxBodyBytes?: number
}

/** No page of people comes near this; a body past it is refused rather than held in memory. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024
const MAX_BACKOFF_MS = 30_000
const MAX_REDIRECTS = 5
const RETRY_STATUS_CODES = [408, 429, 500, 502, 503, 504, 521, 522, 524]
const UNREACHABLE_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the request timed out',
  ERR_HTTP_CONTENT_LENGTH_MISMATCH: 'the answer was cut off',
}
/** zlib's codes for a body that is not in the content coding its headers name */
const UNDECODABLE = /^(Z_|ERR_(BROTLI|ZSTD|ZLIB))/

/** The request body as sent, and the content type it implies (JSON, a form, or text as given). */
function encodeBody(request: HttpRequest): { body?: string; type?: string } {
  if (request.json !== undefined) return { body: JSON.stringify(request.json), type: 'application/json' }
  if (request.form !== undefined) {
    return { body: new URLSearchParams(request.form).toString(), type: 'application/x-www-form-urlencoded' }
  }
  return request.body !== undefined ? { body: request.body } : {}
}

/** Jittered exponential backoff: between half and all of base·2^(attempt-1), capped at 30 s. */
export function backoffDelay(attempt: number, baseMs: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1))
  return Math.round(ceiling * (0.5 + Math.random() * 0.5))
}

export type RateLimitResetUnit = 'seconds' | 'milliseconds' | 'epoch-seconds'

/**
 * Milliseconds to wait from `Retry-After` (seconds or HTTP-date) or a vendor reset header: in `unit` when
 * given, else epoch milliseconds, epoch seconds or seconds to wait guessed from the size of the number.
 */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  resetHeader?: string,
  nowMs = Date.now(),
  unit?: RateLimitResetUnit,
): number | undefined {
  const first = (name: string) => {
    const value = headers[name.toLowerCase()]
    return Array.isArray(value) ? value[0] : value
  }
  const retryAfter = first('retry-after')?.trim()
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs)
  }
  const reset = resetHeader ? first(resetHeader)?.trim() : undefined
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset)
    if (unit === 'seconds') return Math.round(value * 1000)
    if (unit === 'milliseconds') return Math.round(value)
    if (unit === 'epoch-seconds') return Math.max(0, Math.round(value * 1000 - nowMs))
    if (value > 1e12) return Math.max(0, value - nowMs)
    if (value > 1e9) return Math.max(0, value * 1000 - nowMs)
    return Math.round(value * 1000)
  }
  return undefined
}

/** The first ConnectorError in an error's cause chain: what a hook or the kit's sleep threw inside got. */
function ownError(error: unknown): ConnectorError | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof ConnectorError) return e
  return undefined
}

/** What one request learns while got runs it, for the error it may end in. */
interface Exchange {
  method: string
  url: URL
  reauthorised: boolean
  tooLarge: boolean
}

/**
 * The HttpClient a connector receives in its context, on got: got retries (limit, methods, 408/429/5xx and
 * network errors, `Retry-After` up to a maximum), times out, follows redirects and decompresses; the kit's
 * policy rides on got's hooks: the host allowlist, the rate limiter, auth headers and one re-authentication
 * after a 401, a vendor's own "too many requests" answer, the body-size limit and errors without secrets.
 */
export class KitHttpClient implements HttpClient {
  constructor(private readonly options: KitHttpOptions) {}

  /** A client with the same transport rules but no auth, for token endpoints (whose POST is retried). */
  withoutAuth(): KitHttpClient {
    const retryMethods = [...new Set([...this.options.retryMethods, 'POST'])]
    return new KitHttpClient({ ...this.options, authorizer: undefined, retryMethods })
  }

  withAuthorizer(authorizer: Authorizer | undefined): KitHttpClient {
    return new KitHttpClient({ ...this.options, authorizer })
  }

  resolveUrl(request: Pick<HttpRequest, 'url' | 'searchParams'>): URL {
    let url: URL
    if (/^https?:\/\//i.test(request.url)) {
      url = new URL(request.url)
    } else if (this.options.baseUrl) {
      url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${request.url.replace(/^\/+/, '')}`)
    } else {
      throw new ConnectorError(
        'invalid_connector',
        `Relative URL "${request.url}" but the connector has no baseUrl`,
      )
    }
    const params = request.searchParams
    if (params instanceof URLSearchParams) {
      for (const [key, value] of params) url.searchParams.append(key, value)
    } else if (params) {
      for (const [key, value] of Object.entries(params)) {
        if (value !== undefined) url.searchParams.set(key, String(value))
      }
    }
    return url
  }

  private checkHost(url: URL): void {
    if (!isHostAllowed(url.hostname, this.options.allowedHosts)) {
      throw new ConnectorError(
        'host_not_allowed',
        `Refusing to call ${url.hostname}: ${this.options.vendor} may only call ${this.options.allowedHosts.join(', ') || 'no host'}`,
        { host: url.hostname },
      )
    }
  }

  private describe(method: string, url: URL): string {
    return this.options.redactor.redact(`${method} ${url.pathname}`)
  }

  private limitedByVendor(status: number, body: unknown): boolean {
    return status >= 400 && (this.options.isRateLimited?.(status, String(body ?? '')) ?? false)
  }

  private askedWait(response: Response): number | undefined {
    const o = this.options
    return retryAfterMs(
      response.headers,
      o.rateLimitResetHeader,
      o.clock?.() ?? Date.now(),
      o.rateLimitResetUnit,
    )
  }

  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    const o = this.options
    const method = request.method ?? 'GET'
    const url = this.resolveUrl(request)
    this.checkHost(url)
    if (o.signal.aborted) throw abortedError()
    const exchange: Exchange = { method, url, reauthorised: false, tooLarge: false }
    const encoded = encodeBody(request)
    const headers: Record<string, string> = {
      'user-agent': 'hrsync-connector-kit',
      accept: request.responseType === 'text' ? '*/*' : 'application/json',
      ...(encoded.type !== undefined ? { 'content-type': encoded.type } : {}),
    }
    // names in any case: the connector's header replaces the kit's default of the same name
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value
    const limit = o.maxBodyBytes ?? MAX_BODY_BYTES
    // stops reading a body past the limit; the context's signal cancels as well
    const cut = new AbortController()
    const pending = got(url, {
      method: method as Options['method'],
      headers,
      ...(encoded.body !== undefined ? { body: encoded.body } : {}),
      responseType: 'text',
      timeout: { request: o.timeoutMs },
      signal: AbortSignal.any([o.signal, cut.signal]),
      followRedirect: method === 'GET',
      maxRedirects: MAX_REDIRECTS,
      retry: {
        limit: o.retryLimit,
        methods: [...o.retryMethods] as Options['method'][],
        statusCodes: RETRY_STATUS_CODES,
        errorCodes: [...Object.keys(UNREACHABLE_CODES), 'EPIPE', 'ERR_HTTP_CONTENT_LENGTH_MISMATCH'],
        maxRetryAfter: o.maxRetryAfterMs,
        // got's verdict stands, except that a vendor's own "too many requests" answer is retried like a 429
        enforceRetryRules: false,
        calculateDelay: (retry) => this.retryDelay(retry, exchange),
      },
      hooks: {
        beforeRequest: [this.beforeRequest],
        beforeRedirect: [this.beforeRedirect],
        afterResponse: [this.reauthorise(exchange)],
      },
    })
    pending.on('downloadProgress', ({ transferred }) => {
      if (transferred > limit && !exchange.tooLarge) {
        exchange.tooLarge = true
        cut.abort()
      }
    })
    let response: Response<string>
    try {
      response = await pending
    } catch (error) {
      throw this.failure(error, exchange, limit)
    }
    if (response.rawBody.length > limit) throw this.failure(undefined, { ...exchange, tooLarge: true }, limit)
    return {
      status: response.statusCode,
      url: response.url,
      headers: response.headers,
      body: this.parseBody<T>(request, exchange, response),
    }
  }

  /** Every attempt (first, retry or redirect): the allowlist, a slot of the rate limit, fresh auth headers. */
  private readonly beforeRequest: BeforeRequestHook = async (options) => {
    const o = this.options
    this.checkHost(new URL(String(options.url)))
    await o.bucket?.take(o.sleep, o.signal)
    if (o.authorizer) Object.assign(options.headers, await o.authorizer.headers())
  }

  private readonly beforeRedirect: BeforeRedirectHook = (options) => {
    this.checkHost(new URL(String(options.url)))
  }

  /** After a 401, token auth fetches a new token once and the request is sent again with it. */
  private reauthorise(exchange: Exchange): AfterResponseHook {
    return (response, retryWithMergedOptions) => {
      const authorizer = this.options.authorizer
      if (response.statusCode !== 401 || !authorizer || exchange.reauthorised || !authorizer.invalidate())
        return response
      exchange.reauthorised = true
      this.options.log.info(`${this.options.vendor} answered 401; fetching a new token once`)
      return retryWithMergedOptions({ preserveHooks: true })
    }
  }

  /**
   * got's `calculateDelay`: got has computed whether to retry under its rules (0: not); the wait is the
   * vendor's `Retry-After` or reset header, else the jittered backoff. The kit waits with its own sleep —
   * abortable, and replaced by fixture replay, which records the wait instead — so got then retries at once.
   */
  private async retryDelay(retry: RetryObject, exchange: Exchange): Promise<number> {
    const o = this.options
    const { attemptCount, error, computedValue, retryOptions } = retry
    if (error.name === 'RetryError') return computedValue
    const response = error.response
    const vendorLimited =
      response !== undefined &&
      this.limitedByVendor(response.statusCode, response.body) &&
      attemptCount <= retryOptions.limit &&
      retryOptions.methods.includes(exchange.method as Options['method'])
    if (computedValue === 0 && !vendorLimited) return 0
    const asked = response ? this.askedWait(response) : undefined
    if (asked !== undefined && asked > o.maxRetryAfterMs) return 0
    const delay = asked ?? backoffDelay(attemptCount, o.backoffBaseMs)
    const what = response ? `answered ${response.statusCode} to` : `failed (${error.code}) on`
    o.log.warn(`${o.vendor} ${what} ${this.describe(exchange.method, exchange.url)}; retrying`, {
      attempt: attemptCount,
      delay,
    })
    await o.sleep(delay, o.signal)
    return 1
  }

  private parseBody<T>(request: HttpRequest, exchange: Exchange, response: Response<string>): T {
    if (request.responseType === 'text') return response.body as T
    const text = response.body
    if (text.trim() === '') return null as T
    const type = String(response.headers['content-type'] ?? '')
    const malformed = (why: string) =>
      new ConnectorError(
        'malformed_response',
        `${this.options.vendor} sent ${why} where JSON was expected (${this.describe(exchange.method, exchange.url)})`,
        { status: response.statusCode, contentType: type },
      )
    if (/html/i.test(type) || /^\s*</.test(text)) throw malformed('an HTML page')
    try {
      return JSON.parse(text) as T
    } catch {
      throw malformed('a body that is not valid JSON')
    }
  }

  /** The ConnectorError a failed request ends in; got's own errors never reach a connector. */
  private failure(error: unknown, exchange: Exchange, limit: number): ConnectorError {
    const o = this.options
    const { method, url } = exchange
    if (o.signal.aborted) return abortedError()
    if (exchange.tooLarge) {
      return new ConnectorError(
        'malformed_response',
        `${o.vendor} sent a body larger than ${Math.floor(limit / 1048576)} MB (${this.describe(method, url)})`,
      )
    }
    const own = ownError(error)
    if (own) return own
    const failed = error as RequestError
    if (error instanceof HTTPError) {
      const response = error.response as Response<string>
      const status = response.statusCode
      const body = String(response.body ?? '')
      const limited = status === 429 || this.limitedByVendor(status, body)
      const asked = limited || status >= 500 ? this.askedWait(response) : undefined
      if (asked !== undefined && asked > o.maxRetryAfterMs) {
        return new ConnectorError(
          'rate_limited',
          `${o.vendor} asked to wait ${Math.ceil(asked / 1000)} s before retrying ${this.describe(method, url)}; try again later`,
          { status, retryAfterMs: asked },
        )
      }
      const attempts = (failed.request?.retryCount ?? 0) + 1 - (exchange.reauthorised ? 1 : 0)
      return markStatusError(this.statusError(method, url, status, body, attempts, limited))
    }
    if (UNDECODABLE.test((failed.cause as { code?: string } | undefined)?.code ?? '')) {
      // the content-encoding header is gone once decompression started, so the message names no coding
      return new ConnectorError(
        'malformed_response',
        `${o.vendor} sent a compressed body that does not decompress (${this.describe(method, url)})`,
      )
    }
    return this.networkFailure(failed, url)
  }

  private statusError(
    method: string,
    url: URL,
    status: number,
    body: string,
    attempts: number,
    limited = status === 429,
  ): ConnectorError {
    const { vendor, redactor } = this.options
    const said = vendorMessage(body)
    const suffix = said ? `: "${redactor.redact(said)}"` : ''
    const excerpt = bodyExcerpt(body, (text) => redactor.redact(text))
    const details = { status, attempts, ...(excerpt !== undefined ? { body: excerpt } : {}) }
    if (limited) {
      return new ConnectorError(
        'rate_limited',
        `${vendor} kept answering "too many requests" (HTTP ${status}) to ${this.describe(method, url)} after ${attempts} attempts${suffix}`,
        details,
      )
    }
    if (status === 401) {
      return new ConnectorError(
        'invalid_credentials',
        `${vendor} rejected the credentials (HTTP 401)${suffix}. Check the connection settings.`,
        details,
      )
    }
    if (status === 403) {
      return new ConnectorError(
        'missing_scope',
        `${vendor} accepted the credentials but refused access to ${this.describe(method, url)} (HTTP 403)${suffix}. The credential lacks a permission needed to read people.`,
        details,
      )
    }
    const after = status >= 500 && attempts > 1 ? ` after ${attempts} attempts` : ''
    return new ConnectorError(
      'vendor_error',
      `${vendor} answered HTTP ${status} to ${this.describe(method, url)}${after}${suffix}`,
      details,
    )
  }

  private networkFailure(error: RequestError, url: URL): ConnectorError {
    const { timeoutMs } = this.options
    const code = error.code ?? 'UNKNOWN'
    const why =
      error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`
        : (UNREACHABLE_CODES[code] ?? this.options.redactor.redact(error.message ?? String(error)))
    return new ConnectorError(
      'unreachable',
      `Could not reach ${this.options.vendor} at ${url.hostname}: ${why}`,
      { code, host: url.hostname },
    )
  }
}

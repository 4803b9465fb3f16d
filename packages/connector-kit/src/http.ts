import {
  ConnectorError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  type Logger,
} from '@hrsync/core'
import { bodyExcerpt, markStatusError, vendorMessage } from './errors.js'
import { isHostAllowed } from './hosts.js'
import type { bucketFor } from './rate-limit.js'
import type { Redactor } from './redact.js'
import { abortedError, type Sleep } from './sleep.js'
import { send, type TransportResponse, UnreadableBodyError } from './transport.js'

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
  retryPost: boolean
  rateLimitResetHeader?: string
  /** what the reset header counts; guessed from the size of the number when omitted */
  rateLimitResetUnit?: RateLimitResetUnit
  /** an answer other than 429 that means "too many requests" (Google: 403 quotaExceeded) */
  isRateLimited?: (status: number, body: string) => boolean
  /** the context's clock in epoch milliseconds: epoch reset headers and HTTP dates are measured against it */
  clock?: () => number
  bucket?: ReturnType<typeof bucketFor>
  authorizer?: Authorizer
}

const MAX_BACKOFF_MS = 30_000
const MAX_REDIRECTS = 5
const UNREACHABLE_CODES: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the request timed out',
}

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

/** The HttpClient a connector receives in its context, on Node's own `http`/`https` (see `transport.ts`). */
export class KitHttpClient implements HttpClient {
  constructor(private readonly options: KitHttpOptions) {}

  /** A client with the same transport rules but no auth, for token endpoints. */
  withoutAuth(): KitHttpClient {
    return new KitHttpClient({ ...this.options, authorizer: undefined, retryPost: true })
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

  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    const o = this.options
    const method = request.method ?? 'GET'
    const retryable = method === 'GET' || o.retryPost
    let url = this.resolveUrl(request)
    const encoded = encodeBody(request)
    let attempt = 0
    let reauthorised = false
    let redirects = 0
    for (;;) {
      this.checkHost(url)
      if (o.signal.aborted) throw abortedError()
      attempt++
      await o.bucket?.take(o.sleep, o.signal)
      const headers: Record<string, string> = {
        'user-agent': 'hrsync-connector-kit',
        accept: request.responseType === 'text' ? '*/*' : 'application/json',
        ...request.headers,
        ...(o.authorizer ? await o.authorizer.headers() : {}),
      }
      let response: TransportResponse
      try {
        response = await send(url, {
          method,
          headers,
          ...(encoded.body !== undefined ? { body: encoded.body } : {}),
          ...(encoded.type !== undefined ? { contentType: encoded.type } : {}),
          timeoutMs: o.timeoutMs,
          signal: o.signal,
        })
      } catch (error) {
        if (o.signal.aborted) throw abortedError()
        if (error instanceof UnreadableBodyError) {
          throw new ConnectorError(
            'malformed_response',
            `${o.vendor} sent ${error.message} (${this.describe(method, url)})`,
          )
        }
        const failure = this.networkFailure(error, url)
        if (retryable && attempt <= o.retryLimit) {
          o.log.warn(`${failure.message}; retrying`, { attempt })
          await o.sleep(backoffDelay(attempt, o.backoffBaseMs), o.signal)
          continue
        }
        throw failure
      }
      const status = response.statusCode
      const location = response.headers.location
      if (status >= 300 && status < 400 && location && method === 'GET' && redirects < MAX_REDIRECTS) {
        redirects++
        attempt--
        url = new URL(location, url)
        continue
      }
      if (status === 401 && o.authorizer && !reauthorised && o.authorizer.invalidate()) {
        reauthorised = true
        attempt--
        o.log.info(`${o.vendor} answered 401; fetching a new token once`)
        continue
      }
      const limited = status === 429 || (status >= 400 && (o.isRateLimited?.(status, response.body) ?? false))
      if ((limited || status >= 500) && retryable && attempt <= o.retryLimit) {
        const asked = retryAfterMs(
          response.headers,
          o.rateLimitResetHeader,
          o.clock?.() ?? Date.now(),
          o.rateLimitResetUnit,
        )
        if (asked !== undefined && asked > o.maxRetryAfterMs) {
          throw new ConnectorError(
            'rate_limited',
            `${o.vendor} asked to wait ${Math.ceil(asked / 1000)} s before retrying ${this.describe(method, url)}; try again later`,
            { status, retryAfterMs: asked },
          )
        }
        const delay = asked ?? backoffDelay(attempt, o.backoffBaseMs)
        o.log.warn(`${o.vendor} answered ${status} to ${this.describe(method, url)}; retrying`, {
          attempt,
          delay,
        })
        await o.sleep(delay, o.signal)
        continue
      }
      if (status >= 400)
        throw markStatusError(this.statusError(method, url, status, response.body, attempt, limited))
      return {
        status,
        url: url.href,
        headers: response.headers,
        body: this.parseBody<T>(request, method, url, response),
      }
    }
  }

  private parseBody<T>(request: HttpRequest, method: string, url: URL, response: TransportResponse): T {
    if (request.responseType === 'text') return response.body as T
    const text = response.body
    if (text.trim() === '') return null as T
    const type = String(response.headers['content-type'] ?? '')
    const malformed = (why: string) =>
      new ConnectorError(
        'malformed_response',
        `${this.options.vendor} sent ${why} where JSON was expected (${this.describe(method, url)})`,
        { status: response.statusCode, contentType: type },
      )
    if (/html/i.test(type) || /^\s*</.test(text)) throw malformed('an HTML page')
    try {
      return JSON.parse(text) as T
    } catch {
      throw malformed('a body that is not valid JSON')
    }
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

  private networkFailure(error: unknown, url: URL): ConnectorError {
    if (error instanceof ConnectorError) return error
    const { timeoutMs } = this.options
    const code = (error as { code?: string }).code ?? 'UNKNOWN'
    const why =
      (error as { name?: string }).name === 'TimeoutError'
        ? `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`
        : (UNREACHABLE_CODES[code] ?? this.options.redactor.redact((error as Error).message ?? String(error)))
    return new ConnectorError(
      'unreachable',
      `Could not reach ${this.options.vendor} at ${url.hostname}: ${why}`,
      {
        code,
        host: url.hostname,
      },
    )
  }
}

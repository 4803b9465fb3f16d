import {
  ConnectorError,
  type ConnectorErrorCode,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
  isConnectorError,
} from '@hrsync/core'
import type { AuthResponse } from './vendor.js'

const AUTH_PATH = 'v1/Auth'
/** Failures of the exchange that say nothing about the key. */
const NOT_THE_KEY = new Set<ConnectorErrorCode>([
  'unreachable',
  'aborted',
  'rate_limited',
  'host_not_allowed',
])

function rejected(status: unknown): ConnectorError {
  const code = typeof status === 'number' ? ` (HTTP ${status})` : ''
  return new ConnectorError(
    'invalid_credentials',
    `Eurécia did not issue a temporary token for this API key${code}. Generate the key again from the administrator's employee record (Administration tab) and paste it whole.`,
    typeof status === 'number' ? { status } : undefined,
  )
}

/**
 * Eurécia's two steps: the API key (header `authToken`) buys a temporary token, which every later call
 * sends in a header named `token`, without "Bearer". The token's lifetime is not documented, so a 401
 * buys a new one, once.
 */
export class TemporaryTokenClient implements HttpClient {
  private token?: Promise<string>

  constructor(
    private readonly http: HttpClient,
    private readonly apiToken: string,
  ) {}

  async request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const pending = this.issue()
      const token = await pending
      try {
        return await this.http.request<T>({ ...request, headers: { ...request.headers, token } })
      } catch (error) {
        const expired = isConnectorError(error) && error.details?.status === 401
        if (!expired || attempt > 1) throw error
        if (this.token === pending) this.token = undefined
      }
    }
  }

  private issue(): Promise<string> {
    this.token ??= this.exchange().catch((error: unknown) => {
      this.token = undefined
      throw error
    })
    return this.token
  }

  private async exchange(): Promise<string> {
    let body: AuthResponse | null
    try {
      ;({ body } = await this.http.request<AuthResponse>({
        url: AUTH_PATH,
        headers: { authToken: this.apiToken },
      }))
    } catch (error) {
      // a wrong key is answered with an error status, not always 401; only a network failure is not the key
      if (isConnectorError(error) && !NOT_THE_KEY.has(error.code)) throw rejected(error.details?.status)
      throw error
    }
    const token = body?.eureciaResponse?.temporaryToken?.token?.$
    if (typeof token !== 'string' || token === '') throw rejected(undefined)
    return token
  }
}

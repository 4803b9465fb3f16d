import { ConnectorError, type ConnectorErrorCode, type HttpClient, isConnectorError } from '@hrsync/core'
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
 * Eurécia's first step: the API key (header `authToken`) buys a temporary token, which every later call sends
 * in a header named `token`, without "Bearer" (the kit's token-exchange with that header). The token's
 * lifetime is not documented, so the kit buys a new one after a 401, once.
 */
export async function exchangeApiKey(http: HttpClient, apiToken: string): Promise<{ token: string }> {
  let body: AuthResponse | null
  try {
    ;({ body } = await http.request<AuthResponse>({ url: AUTH_PATH, headers: { authToken: apiToken } }))
  } catch (error) {
    // a wrong key is answered with an error status, not always 401; only a network failure is not the key
    if (isConnectorError(error) && !NOT_THE_KEY.has(error.code)) throw rejected(error.details?.status)
    throw error
  }
  const token = body?.eureciaResponse?.temporaryToken?.token?.$
  if (typeof token !== 'string' || token === '') throw rejected(undefined)
  return { token }
}

import { type AuthSpec, ConnectorError, isConnectorError } from '@hrsync/core'
import type { Authorizer, KitHttpClient } from './http.js'
import type { Redactor } from './redact.js'

type IssuedToken = { token: string; expiresInSeconds?: number }

/** Caches a bearer token until shortly before it expires; after a 401 the next request fetches a new one. */
class TokenAuthorizer implements Authorizer {
  private cached?: { token: string; expiresAt: number }
  private pending?: Promise<string>

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly redactor: Redactor,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token()}` }
  }

  invalidate(): boolean {
    this.cached = undefined
    return true
  }

  private token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.expiresAt) return Promise.resolve(this.cached.token)
    this.pending ??= this.issue()
      .then(({ token, expiresInSeconds }) => {
        this.redactor.add(token)
        this.redactor.add(`Bearer ${token}`)
        // renew a minute early, or halfway for short-lived tokens
        const lifetime = expiresInSeconds === undefined ? Number.POSITIVE_INFINITY : expiresInSeconds * 1000
        const margin = Math.min(60_000, lifetime / 2)
        this.cached = { token, expiresAt: Date.now() + lifetime - margin }
        return token
      })
      .finally(() => {
        this.pending = undefined
      })
    return this.pending
  }
}

const staticAuthorizer = (headers: Record<string, string>): Authorizer => ({
  headers: async () => headers,
  invalidate: () => false,
})

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** A failure while obtaining a token is a credentials problem unless the vendor was down or unreachable. */
async function asCredentialsError<T>(vendor: string, issue: () => Promise<T>): Promise<T> {
  try {
    return await issue()
  } catch (error) {
    if (!isConnectorError(error)) throw error
    const status = error.details?.status
    const rejected =
      error.code === 'invalid_credentials' ||
      error.code === 'missing_scope' ||
      (error.code === 'vendor_error' && typeof status === 'number' && status >= 400 && status < 500)
    if (!rejected) throw error
    const said = error.message.match(/: "(.*)"/)?.[1]
    throw new ConnectorError(
      'invalid_credentials',
      `${vendor} rejected the credentials when asked for an access token${said ? `: "${said}"` : ''}. Check the connection settings.`,
      error.details,
      { cause: error },
    )
  }
}

interface TokenResponse {
  access_token?: unknown
  expires_in?: unknown
  refresh_token?: unknown
}

async function oauthToken(
  vendor: string,
  http: KitHttpClient,
  tokenUrl: string,
  form: Record<string, string>,
  client: { clientId: string; clientSecret: string; credentialsIn?: 'body' | 'basic' },
): Promise<IssuedToken & { refreshToken?: string }> {
  const headers: Record<string, string> = {}
  if (client.credentialsIn === 'basic') {
    headers.authorization = `Basic ${base64(`${client.clientId}:${client.clientSecret}`)}`
  } else {
    form.client_id = client.clientId
    form.client_secret = client.clientSecret
  }
  const { body } = await http.request<TokenResponse>({ method: 'POST', url: tokenUrl, form, headers })
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new ConnectorError(
      'malformed_response',
      `${vendor}'s token endpoint answered without an access_token`,
    )
  }
  const expires = Number(body.expires_in)
  return {
    token: body.access_token,
    expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : undefined,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
  }
}

/** Turns a connector's AuthSpec into the headers of every request, registering each secret with the redactor. */
export function createAuthorizer(
  vendor: string,
  spec: AuthSpec | undefined,
  http: KitHttpClient,
  redactor: Redactor,
): Authorizer | undefined {
  if (!spec || spec.type === 'none') return undefined
  switch (spec.type) {
    case 'bearer':
      redactor.add(spec.token)
      return staticAuthorizer({ authorization: `Bearer ${spec.token}` })
    case 'basic': {
      const encoded = base64(`${spec.username}:${spec.password}`)
      redactor.add(spec.password)
      redactor.add(encoded)
      return staticAuthorizer({ authorization: `Basic ${encoded}` })
    }
    case 'header':
      redactor.add(spec.value)
      return staticAuthorizer({ [spec.name]: spec.value })
    case 'oauth2-client-credentials': {
      redactor.add(spec.clientSecret)
      return new TokenAuthorizer(
        () =>
          asCredentialsError(vendor, () =>
            oauthToken(
              vendor,
              http,
              spec.tokenUrl,
              {
                grant_type: 'client_credentials',
                ...(spec.scope ? { scope: spec.scope } : {}),
                ...spec.extraParams,
              },
              spec,
            ),
          ),
        redactor,
      )
    }
    case 'oauth2-refresh-token': {
      redactor.add(spec.clientSecret)
      redactor.add(spec.refreshToken)
      let refreshToken = spec.refreshToken
      return new TokenAuthorizer(async () => {
        const issued = await asCredentialsError(vendor, () =>
          oauthToken(
            vendor,
            http,
            spec.tokenUrl,
            { grant_type: 'refresh_token', refresh_token: refreshToken },
            spec,
          ),
        )
        if (issued.refreshToken) {
          redactor.add(issued.refreshToken)
          refreshToken = issued.refreshToken
        }
        return issued
      }, redactor)
    }
    case 'token-exchange':
      return new TokenAuthorizer(() => asCredentialsError(vendor, () => spec.exchange(http)), redactor)
  }
}

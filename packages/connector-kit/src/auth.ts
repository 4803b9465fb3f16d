import { createPrivateKey, type KeyObject } from 'node:crypto'
import { type AuthSpec, ConnectorError, isConnectorError } from '@hrsync/core'
import { SignJWT } from 'jose'
import { isStatusError } from './errors.js'
import type { Authorizer, KitHttpClient } from './http.js'
import type { Redactor } from './redact.js'

type IssuedToken = { token: string; expiresInSeconds?: number }

/** The header a token travels in: `Authorization: Bearer <token>` unless the spec names another. */
export interface TokenHeader {
  name: string
  format?: (token: string) => string
}
const BEARER: Required<TokenHeader> = { name: 'authorization', format: (token) => `Bearer ${token}` }

/** Caches a token until shortly before it expires; after a 401 the next request fetches a new one. */
class TokenAuthorizer implements Authorizer {
  private cached?: { token: string; expiresAt: number }
  private pending?: Promise<string>
  private readonly header: Required<TokenHeader>

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly redactor: Redactor,
    header?: TokenHeader,
  ) {
    this.header = header ? { name: header.name, format: header.format ?? ((token) => token) } : BEARER
  }

  async headers(): Promise<Record<string, string>> {
    return { [this.header.name]: this.header.format(await this.token()) }
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
        this.redactor.add(this.header.format(token))
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
    // what a connector's own exchange worded is kept: it knows its vendor's answers better
    if (!isStatusError(error)) throw error
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

interface OAuthClient {
  clientId?: string
  clientSecret?: string
  credentialsIn?: 'body' | 'basic'
  bodyFormat?: 'form' | 'json'
}

async function oauthToken(
  vendor: string,
  http: KitHttpClient,
  tokenUrl: string,
  form: Record<string, string>,
  client: OAuthClient,
): Promise<IssuedToken & { refreshToken?: string }> {
  const headers: Record<string, string> = {}
  if (client.clientId !== undefined) {
    if (client.credentialsIn === 'basic') {
      headers.authorization = `Basic ${base64(`${client.clientId}:${client.clientSecret ?? ''}`)}`
    } else {
      form.client_id = client.clientId
      if (client.clientSecret !== undefined && client.clientSecret !== '')
        form.client_secret = client.clientSecret
    }
  }
  const { body } = await http.request<TokenResponse>({
    method: 'POST',
    url: tokenUrl,
    ...(client.bodyFormat === 'json' ? { json: form } : { form }),
    headers,
  })
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

/** A private key as pasted: surrounding blanks and the `\n` escapes of a JSON key file are accepted. */
export function readPrivateKey(vendor: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem.trim().replaceAll('\\n', '\n'))
  } catch {
    throw new ConnectorError(
      'invalid_config',
      `The ${vendor} private key is not a PEM private key: paste the whole key, from -----BEGIN to the end line`,
    )
  }
}

export interface JwtClaims {
  issuer: string
  subject?: string
  audience: string
  scope?: string
  /** seconds between iat and exp */
  lifetime: number
}

/** An RS256-signed JWT assertion (RFC 7523 §2.1) issued at `nowSeconds`, signed with jose. */
export function signJwtAssertion(
  vendor: string,
  claims: JwtClaims,
  privateKey: string,
  nowSeconds: number,
): Promise<string> {
  const key = readPrivateKey(vendor, privateKey)
  const jwt = new SignJWT(claims.scope !== undefined ? { scope: claims.scope } : {})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + claims.lifetime)
  return (claims.subject !== undefined ? jwt.setSubject(claims.subject) : jwt).sign(key)
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const DEFAULT_JWT_LIFETIME = 3600

export interface AuthorizerOptions {
  /** the config the spec was built from: names the key of a rotated refresh token */
  config?: Record<string, unknown>
  /** told the new values of config keys when the vendor rotates a credential */
  onCredentialsChanged?: (changes: Record<string, string>) => void
}

function refreshTokenKey(
  spec: { refreshToken: string; refreshTokenKey?: string },
  config: Record<string, unknown>,
) {
  if (spec.refreshTokenKey) return spec.refreshTokenKey
  const found = Object.entries(config).find(([, value]) => value === spec.refreshToken)?.[0]
  return found ?? 'refreshToken'
}

/** Turns a connector's AuthSpec into the headers of every request, registering each secret with the redactor. */
export function createAuthorizer(
  vendor: string,
  spec: AuthSpec | undefined,
  http: KitHttpClient,
  redactor: Redactor,
  options: AuthorizerOptions = {},
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
      if (spec.clientSecret) redactor.add(spec.clientSecret)
      redactor.add(spec.refreshToken)
      let refreshToken = spec.refreshToken
      const key = refreshTokenKey(spec, options.config ?? {})
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
        if (issued.refreshToken && issued.refreshToken !== refreshToken) {
          redactor.add(issued.refreshToken)
          refreshToken = issued.refreshToken
          // the old refresh token is spent: the runner must keep the new one for the next run
          options.onCredentialsChanged?.({ [key]: issued.refreshToken })
        }
        return issued
      }, redactor)
    }
    case 'jwt-bearer': {
      redactor.add(spec.privateKey)
      const claims: JwtClaims = {
        issuer: spec.issuer,
        audience: spec.audience ?? spec.tokenUrl,
        lifetime: spec.lifetime ?? DEFAULT_JWT_LIFETIME,
        ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
        ...(spec.scope !== undefined ? { scope: spec.scope } : {}),
      }
      return new TokenAuthorizer(async () => {
        // signed with the wall clock: the vendor checks iat and exp against its own
        const now = Math.floor(Date.now() / 1000)
        const assertion = await signJwtAssertion(vendor, claims, spec.privateKey, now)
        redactor.add(assertion)
        return asCredentialsError(vendor, () =>
          oauthToken(vendor, http, spec.tokenUrl, { grant_type: JWT_BEARER_GRANT, assertion }, {}),
        )
      }, redactor)
    }
    case 'token-exchange':
      return new TokenAuthorizer(
        () => asCredentialsError(vendor, () => spec.exchange(http)),
        redactor,
        spec.header,
      )
  }
}

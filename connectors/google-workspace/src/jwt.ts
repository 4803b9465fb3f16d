import { createPrivateKey, createSign } from 'node:crypto'
import { ConnectorError, type HttpClient } from '@hrsync/core'

export const TOKEN_URL = 'https://oauth2.googleapis.com/token'
export const SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly'

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url')

/** A key pasted from the JSON key file keeps its `\n` escapes; PEM needs real line breaks. */
export function readPrivateKey(pem: string) {
  try {
    return createPrivateKey(pem.trim().replaceAll('\\n', '\n'))
  } catch {
    throw new ConnectorError(
      'invalid_config',
      'privateKey is not a PEM private key: paste the private_key value of the service account’s JSON key file',
    )
  }
}

/** The RS256-signed assertion of the service account, impersonating `subject` (domain-wide delegation). */
export function signAssertion(
  claims: { issuer: string; subject: string; scope: string },
  privateKey: string,
  nowSeconds: number,
): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
  const payload = base64url(
    JSON.stringify({
      iss: claims.issuer,
      sub: claims.subject,
      scope: claims.scope,
      aud: TOKEN_URL,
      iat: nowSeconds,
      // Google accepts at most one hour
      exp: nowSeconds + 3600,
    }),
  )
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(readPrivateKey(privateKey))
  return `${header}.${payload}.${base64url(signature)}`
}

interface TokenAnswer {
  access_token?: unknown
  expires_in?: unknown
}

/** Trades a signed assertion for an access token (JWT bearer grant); there is no refresh token. */
export async function exchangeAssertion(
  http: HttpClient,
  assertion: string,
): Promise<{ token: string; expiresInSeconds?: number }> {
  const { body } = await http.request<TokenAnswer>({
    method: 'POST',
    url: TOKEN_URL,
    form: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion },
  })
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new ConnectorError('malformed_response', 'Google’s token endpoint answered without an access_token')
  }
  const expires = Number(body.expires_in)
  return { token: body.access_token, ...(expires > 0 ? { expiresInSeconds: expires } : {}) }
}

import { signJwtAssertion } from '@hrsync/connector-kit'

export const TOKEN_URL = 'https://oauth2.googleapis.com/token'
export const SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly'
/** Google accepts assertions valid for at most one hour. */
export const ASSERTION_LIFETIME = 3600

/**
 * The RS256-signed assertion of the service account, impersonating `subject` (domain-wide delegation), as the
 * kit's jwt-bearer auth signs it for every token request.
 */
export function signAssertion(
  claims: { issuer: string; subject: string; scope: string },
  privateKey: string,
  nowSeconds: number,
): Promise<string> {
  return signJwtAssertion(
    'Google Workspace',
    { ...claims, audience: TOKEN_URL, lifetime: ASSERTION_LIFETIME },
    privateKey,
    nowSeconds,
  )
}

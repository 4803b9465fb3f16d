import { ERROR_SCHEMA } from './urns.js'

/** The `scimType` values of RFC 7644 §3.12 that this service answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'invalidValue'
  | 'noTarget'
  | 'uniqueness'
  | 'mutability'
  | 'tooMany'

/** A SCIM protocol error: an HTTP status, an optional `scimType` and a sentence for the IdP's logs. */
export class ScimError extends Error {
  override readonly name = 'ScimError'
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function isScimError(error: unknown): error is ScimError {
  return (
    error instanceof Error && error.name === 'ScimError' && typeof (error as ScimError).status === 'number'
  )
}

/**
 * What a ScimStore throws when a create or an update would give two live users of one
 * integration the same userName (compared case-insensitively). The plugin answers 409 uniqueness.
 */
export class UserNameTakenError extends Error {
  override readonly name = 'UserNameTakenError'
  readonly code = 'uniqueness'
  constructor(
    readonly userName: string,
    options?: { cause?: unknown },
  ) {
    super(`userName "${userName}" is already taken`, options)
  }
}

export function isUserNameTaken(error: unknown): error is UserNameTakenError {
  return error instanceof Error && error.name === 'UserNameTakenError'
}

/** The SCIM Error body (RFC 7644 §3.12); `status` is a string, `detail` always present. */
export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA]
  status: string
  scimType?: ScimType
  detail: string
}

export function errorBody(status: number, scimType: ScimType | null, detail: string): ScimErrorBody {
  return {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  }
}

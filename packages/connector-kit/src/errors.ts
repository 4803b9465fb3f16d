import {
  type ConnectorDefinition,
  ConnectorError,
  type ConnectorErrorCode,
  type ErrorContext,
} from '@hrsync/core'

const MAX_SAID = 200
/** how much of an error body is kept in `details.body` */
export const BODY_EXCERPT_CHARS = 500

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined

function xmlText(body: string, element: string): string | undefined {
  const match = new RegExp(
    `<(?:[\\w-]+:)?${element}\\b[^>]*>([\\s\\S]*?)</(?:[\\w-]+:)?${element}>`,
    'i',
  ).exec(body)
  if (!match?.[1]) return undefined
  const inner = match[1]
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
  return text(inner.replace(/\s+/g, ' '))
}

function fromJson(body: Record<string, unknown>): string | undefined {
  const error = body.error
  const errorObject =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : undefined
  // OData v2: { error: { message: { lang, value } } }; OData v4 and most APIs: { error: { message } }
  const errorMessage = errorObject?.message
  const odata =
    typeof errorMessage === 'object' && errorMessage !== null
      ? text((errorMessage as Record<string, unknown>).value)
      : text(errorMessage)
  // RFC 7807 problem details, and SCIM errors, which have `detail` only
  const title = text(body.title)
  const detail = text(body.detail)
  const problem = detail && title && !detail.includes(title) ? `${title}: ${detail}` : (detail ?? title)
  const firstError = Array.isArray(body.errors)
    ? (body.errors[0] as Record<string, unknown> | undefined)
    : undefined
  return [
    odata,
    text(body.externalMessage), // AFAS Profit
    problem,
    text(body.error_description),
    text(error),
    text(body.message),
    typeof firstError === 'object' && firstError !== null
      ? (text(firstError.message) ?? text(firstError.detail))
      : undefined,
  ].find((candidate) => candidate !== undefined)
}

/**
 * What the vendor said went wrong, in its own words: OData v2 and v4 `error.message`, AFAS `externalMessage`,
 * RFC 7807 `title`/`detail`, SCIM `detail`, OAuth `error_description`, `message`, `errors[0].message`, or a
 * SOAP `faultstring`. At most 200 characters; undefined when the body says nothing readable.
 */
export function vendorMessage(body: string): string | undefined {
  const trimmed = body.trim()
  if (trimmed === '') return undefined
  let said: string | undefined
  if (trimmed.startsWith('<')) {
    said = xmlText(trimmed, 'faultstring') ?? xmlText(trimmed, 'Text') // SOAP 1.1, then SOAP 1.2 Reason/Text
  } else {
    try {
      const parsed = JSON.parse(trimmed) as unknown
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        said = fromJson(parsed as Record<string, unknown>)
    } catch {
      said = undefined
    }
  }
  return said?.slice(0, MAX_SAID)
}

/** The start of an error body for `details.body`, secrets masked by the caller's redactor. */
export function bodyExcerpt(body: string, redact: (text: string) => string): string | undefined {
  const trimmed = body.trim()
  if (trimmed === '') return undefined
  const excerpt = redact(trimmed).slice(0, BODY_EXCERPT_CHARS)
  return excerpt.length < trimmed.length ? `${excerpt}…` : excerpt
}

const fromStatus = new WeakSet<ConnectorError>()

/** Marks an error the kit made from an HTTP status (not one a connector worded itself). */
export function markStatusError(error: ConnectorError): ConnectorError {
  fromStatus.add(error)
  return error
}
export const isStatusError = (error: ConnectorError): boolean => fromStatus.has(error)

const hinted = new WeakSet<ConnectorError>()

/**
 * Appends the definition's errorHints sentence for the error's code. An error is hinted once, however many
 * layers pass it on; other errors and codes without a hint are returned as they are.
 */
export function withErrorHint(
  connector: Pick<ConnectorDefinition, 'errorHints'>,
  error: ConnectorError,
): ConnectorError {
  const hint = connector.errorHints?.[error.code as ConnectorErrorCode]
  if (!hint || hinted.has(error) || error.message.includes(hint)) return error
  const separator = /[.!?…]["”)]?$/.test(error.message.trim()) ? ' ' : '. '
  const withHint = new ConnectorError(
    error.code,
    `${error.message.trim()}${separator}${hint}`,
    error.details,
    {
      cause: error,
    },
  )
  hinted.add(withHint)
  return withHint
}

/**
 * A failure said again in the vendor's terms, for a definition's explainError: the same details, the
 * original as its cause, and the same code unless another is given.
 */
export function reword(
  error: ConnectorError,
  message: string,
  code: ConnectorErrorCode = error.code,
): ConnectorError {
  return new ConnectorError(code, message, error.details, { cause: error })
}

/** The vendor's sentence for a failure of one code, or undefined to keep the failure as it is. */
export type ErrorSentence<C> = (error: ConnectorError, ctx: ErrorContext<C>) => string | undefined

/**
 * An explainError that rewords each failure whose code has a sentence, keeping the code, details and
 * cause: the common case where a connector only names config values in its messages (the Okta domain,
 * the Entra tenant). A code without a sentence, or a sentence answering undefined, keeps the failure.
 */
export function rewordByCode<C>(
  sentences: Partial<Record<ConnectorErrorCode, ErrorSentence<C>>>,
): (error: ConnectorError, ctx: ErrorContext<C>) => ConnectorError | undefined {
  return (error, ctx) => {
    const message = sentences[error.code]?.(error, ctx)
    return message === undefined ? undefined : reword(error, message)
  }
}

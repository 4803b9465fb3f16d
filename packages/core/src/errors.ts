/**
 * The stable error codes a connector or the kit reports, each with a sentence for a human; a
 * definition's errorHints may add a hint to any of them.
 */
export const CONNECTOR_ERROR_CODES = [
  'invalid_config',
  'invalid_credentials',
  'missing_scope',
  'unreachable',
  'rate_limited',
  'vendor_error',
  'malformed_response',
  'unmapped_status',
  'host_not_allowed',
  'invalid_employee',
  'aborted',
  'invalid_connector',
  'unsupported_connector_api',
] as const

export type ConnectorErrorCode = (typeof CONNECTOR_ERROR_CODES)[number]

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError'
  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return (
    error instanceof Error &&
    error.name === 'ConnectorError' &&
    typeof (error as ConnectorError).code === 'string'
  )
}

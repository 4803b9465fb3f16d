import { isConnectorError } from '@hrsync/core'
import type pino from 'pino'

/**
 * A rejection no code handled, logged by its name and code — a message only when it is a ConnectorError,
 * whose text the kit has already cleared of secrets; any other message may quote a URL or a config.
 */
export function logUnhandledRejection(log: pino.Logger): (reason: unknown) => void {
  return (reason) => {
    const error = reason instanceof Error ? reason : undefined
    const code = (error as { code?: unknown } | undefined)?.code
    log.error(
      {
        rejection: {
          name: error?.name ?? typeof reason,
          ...(code !== undefined ? { code: String(code) } : {}),
          ...(isConnectorError(reason) ? { message: reason.message } : {}),
        },
      },
      'a rejection no code handled; the runner keeps serving',
    )
  }
}

/** Node ends the process on an unhandled rejection; a serving runner logs it and goes on (issue 18 §2). */
export function keepServingOnUnhandledRejection(log: pino.Logger): () => void {
  const listener = logUnhandledRejection(log)
  process.on('unhandledRejection', listener)
  return () => process.off('unhandledRejection', listener)
}

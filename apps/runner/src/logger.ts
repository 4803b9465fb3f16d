import type { Logger } from '@hrsync/core'
import pino from 'pino'

/** Paths pino masks in every log line: credentials, configs, tokens. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'config',
  '*.config',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'apiToken',
  '*.apiToken',
  'clientSecret',
  '*.clientSecret',
]

/** The runner's pino logger; request URLs lose invitation tokens before they are written. */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url?.replace(/\/invitations\/[^/?]+/, '/invitations/[redacted]'),
        }),
      },
    },
    destination,
  )
}

/** The pino logger in the shape core and the kit log through. */
export function toCoreLogger(log: pino.Logger): Logger {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  }
}

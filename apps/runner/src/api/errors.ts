import type { FastifyError, FastifyInstance } from 'fastify'
import { RunnerError } from '../errors.js'

interface ValidationIssue {
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
}

/** "body.config.clientId is required" from ajv's issue: the field is always named. */
export function describeValidation(context: string | undefined, issue: ValidationIssue | undefined): string {
  if (!issue) return 'The request is invalid'
  const path = (issue.instancePath ?? '').split('/').filter(Boolean)
  const base = [context ?? 'request', ...path].join('.')
  if (typeof issue.params?.missingProperty === 'string')
    return `${base}.${issue.params.missingProperty} is required`
  if (typeof issue.params?.additionalProperty === 'string') {
    return `${base}.${issue.params.additionalProperty} is not a known field`
  }
  if (Array.isArray(issue.params?.allowedValues)) {
    return `${base} must be one of ${(issue.params.allowedValues as unknown[]).map(String).join(', ')}`
  }
  return `${base} ${issue.message ?? 'is invalid'}`
}

/** SQLSTATEs of a value the database cannot hold (NUL in text or jsonb), should one slip through. */
const UNSTORABLE = new Set(['22021', '22P05'])

/** Every error leaves as `{ error: { code, message } }` with a fitting status, never with a stack trace. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RunnerError) {
      // details travel beside the error, e.g. the new preview of a team sync setup that changed
      return reply
        .status(error.status)
        .send({ error: { code: error.code, message: error.message }, ...error.details })
    }
    if (error.validation) {
      const message = describeValidation(error.validationContext, error.validation[0] as ValidationIssue)
      return reply.status(400).send({ error: { code: 'invalid_request', message } })
    }
    if (UNSTORABLE.has(String(error.code))) {
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: 'The request holds a character that cannot be stored (NUL, \\u0000)',
        },
      })
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      const code =
        status === 415 ? 'unsupported_media_type' : status === 413 ? 'payload_too_large' : 'invalid_request'
      return reply.status(status).send({ error: { code, message: error.message } })
    }
    request.log.error({ err: error }, 'request failed')
    return reply.status(500).send({
      error: { code: 'internal_error', message: 'Something went wrong on our side; it has been logged' },
    })
  })
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
      },
    }),
  )
}

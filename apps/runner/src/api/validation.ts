import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifySchemaCompiler } from 'fastify'

const common = { removeAdditional: false, useDefaults: true, allErrors: false } as const

/**
 * Request validators with fastify's ajv, one per part: the path and query are text, so they are
 * coerced ("50" → 50); a JSON body already has its types, so it is not — coercion would turn a
 * `null` sent for a nullable string into "".
 */
export function requestValidators(): FastifySchemaCompiler<unknown> {
  const pool = AjvCompiler()
  // the pool's typings name the schema where fastify passes the whole route definition
  const build = (coerceTypes: false | 'array') =>
    pool({}, { customOptions: { ...common, coerceTypes } }) as unknown as FastifySchemaCompiler<unknown>
  const body = build(false)
  const text = build('array')
  return (route) => (route.httpPart === 'body' ? body : text)(route)
}

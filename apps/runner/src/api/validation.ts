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
  return (route) => (route.httpPart === 'body' ? body(route) : finiteOnly(text(route)))
}

type Validate = ReturnType<FastifySchemaCompiler<unknown>>

/**
 * ajv checks no minimum or maximum on a number its coercion made infinite ("?limit=1e400"), so the
 * path and query are refused here when a field holds one.
 */
function finiteOnly(validate: Validate): Validate {
  const checked: Validate = (data: unknown) => {
    const valid = validate(data)
    const infinite =
      valid === true && typeof data === 'object' && data !== null
        ? Object.entries(data).find(([, value]) =>
            [value].flat().some((v) => v === Infinity || v === -Infinity),
          )
        : undefined
    checked.errors = infinite
      ? [
          {
            keyword: 'maximum',
            instancePath: `/${infinite[0]}`,
            schemaPath: '',
            params: {},
            message: 'must be a finite number',
          },
        ]
      : validate.errors
    return valid === true && !infinite
  }
  return checked
}

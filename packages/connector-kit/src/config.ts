import { type ConnectorDefinition, ConnectorError } from '@hrsync/core'
import type { Static, TObject } from '@sinclair/typebox'
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors'
import { Value } from '@sinclair/typebox/value'

function describeError(error: ValueError): string {
  const schema = error.schema as Record<string, unknown>
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required'
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be ≤ ${String(schema.maximum)}`
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be ≥ ${String(schema.minimum)}`
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `must be > ${String(schema.exclusiveMinimum)}`
    case ValueErrorType.StringMinLength:
      return schema.minLength === 1
        ? 'must not be empty'
        : `must be at least ${String(schema.minLength)} characters`
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters`
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      return 'has the wrong format'
    case ValueErrorType.Integer:
      return 'must be a whole number'
    case ValueErrorType.Number:
      return 'must be a number'
    case ValueErrorType.String:
      return 'must be text'
    case ValueErrorType.Boolean:
      return 'must be true or false'
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a known setting'
    default:
      // typebox messages describe the expectation, never the value, so secrets stay out
      return error.message.charAt(0).toLowerCase() + error.message.slice(1)
  }
}

/**
 * Fills defaults, converts strings such as "100" to the declared type, drops unknown keys and checks the
 * config against the connector's schema. Throws invalid_config naming every bad key, never a value.
 */
export function validateConfig<S extends TObject>(
  connector: ConnectorDefinition<S>,
  raw: unknown,
): Static<S> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConnectorError('invalid_config', `The ${connector.name} connection settings must be an object`)
  }
  const value = Value.Clone(raw) as Record<string, unknown>
  for (const [key, entry] of Object.entries(value)) {
    if (entry === '' || entry === null) delete value[key]
  }
  const defaulted = Value.Default(connector.config, value)
  const converted = Value.Convert(connector.config, defaulted)
  const cleaned = Value.Clean(connector.config, converted)
  const problems = new Map<string, string>()
  for (const error of Value.Errors(connector.config, cleaned)) {
    const key = error.path === '' ? 'config' : `config${error.path.replaceAll('/', '.')}`
    if (!problems.has(key)) problems.set(key, `${key} ${describeError(error)}`)
  }
  if (problems.size > 0) {
    const keys = [...problems.keys()].map((k) => k.replace(/^config\.?/, '')).filter(Boolean)
    throw new ConnectorError('invalid_config', [...problems.values()].join('; '), { keys })
  }
  return cleaned as Static<S>
}

import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import type { ConnectorDefinition } from '../src/index.js'
import {
  CONNECTOR_BRAND,
  CONNECTOR_ERROR_CODES,
  ConnectorError,
  defineConnector,
  Employee,
  employee,
  isConnector,
  Secret,
  secretKeys,
  validateDefinition,
} from '../src/index.js'

function definition(fields: Partial<ConnectorDefinition> = {}): ConnectorDefinition {
  return {
    id: 'acme-hr',
    name: 'Acme HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({ subdomain: Type.String(), apiToken: Secret(Type.String()) }),
    allowedHosts: ['api.acme-hr.test'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'remoteId',
        statuses: ['active'],
        incremental: false,
      },
    },
    async checkConnection() {},
    async *listEmployees() {},
    ...fields,
  }
}

describe('employee', () => {
  it('fills every field not given, or given as undefined, with null, and the result is an Employee', () => {
    const built = employee({ remoteId: 'e1', status: 'active', email: 'ana@acme.test', jobTitle: undefined })
    const nothing = Object.fromEntries(Object.keys(Employee.properties).map((key) => [key, null]))
    expect(built).toEqual({ ...nothing, remoteId: 'e1', status: 'active', email: 'ana@acme.test' })
    expect(Object.keys(built)).toEqual(Object.keys(Employee.properties))
  })
})

describe('defineConnector', () => {
  it('accepts a valid definition and sets the brand', () => {
    const connector = defineConnector(definition())
    expect(isConnector(connector)).toBe(true)
    expect(connector[CONNECTOR_BRAND]).toBe(true)
    expect(Object.isFrozen(connector)).toBe(true)
    expect(secretKeys(connector.config)).toEqual(['apiToken'])
  })

  it('keeps the brand non-enumerable, so spreading or serialising a connector never carries it', () => {
    const connector = defineConnector(definition())
    expect(Object.keys(connector)).not.toContain(CONNECTOR_BRAND.toString())
    expect(Object.getOwnPropertyDescriptor(connector, CONNECTOR_BRAND)?.enumerable).toBe(false)
    expect(isConnector({ ...connector })).toBe(false)
  })

  it('rejects a bad definition with a clear message naming the key', () => {
    expect(() => defineConnector(definition({ id: 'Acme HR' }))).toThrow(ConnectorError)
    try {
      defineConnector(definition({ id: 'Acme HR' }))
    } catch (error) {
      expect((error as ConnectorError).code).toBe('invalid_connector')
      expect((error as ConnectorError).message).toMatch(/`id`/)
    }
  })

  it.each([
    [{ id: 'Bad Id' }, '`id`'],
    [{ name: '' }, '`name`'],
    [{ apiVersion: 2 as never }, '`apiVersion`'],
    [{ mode: 'both' as never }, '`mode`'],
    [{ allowedHosts: [''] }, '`allowedHosts.0`'],
    [{ listEmployees: 'nope' as never }, '`listEmployees` must be a function'],
    [{ checkConnection: undefined as never }, '`checkConnection` must be a function'],
    [{ auth: 'bearer' as never }, '`auth` must be a function of the config'],
    [
      { config: Type.Object({ clientSecret: Type.String() }) },
      'config key `clientSecret` looks like a secret',
    ],
    [{ config: Type.Object({ privateKey: Type.String() }) }, 'config key `privateKey` looks like a secret'],
    [{ errorHints: { no_such_code: 'Check it.' } as never }, '`errorHints.no_such_code`'],
    [{ errorHints: { invalid_credentials: '' } }, '`errorHints.invalid_credentials`'],
    [{ http: { rateLimitResetUnit: 'minutes' as never } }, '`http.rateLimitResetUnit`'],
    [{ http: { isRateLimited: true as never } }, '`http.isRateLimited` must be a function'],
    [{ http: { limitScope: 'partner' as never } }, '`http.limitScope`'],
    [
      { http: { requestLimits: [{ requests: 5, seconds: 1, scope: 'tenant' as never }] } },
      '`http.requestLimits.0.scope`',
    ],
    [
      { http: { limitScope: 'app', appIdentityKey: 'clientId' } },
      '`http.appIdentityKey` names `clientId`, which is not a config key',
    ],
    [
      { capabilities: { listEmployees: { includesTerminated: 'sometimes' } } as never },
      '`capabilities.listEmployees.includesTerminated`',
    ],
  ])('validateDefinition names the bad key: %o', (fields, expected) => {
    const problems = validateDefinition(definition(fields as Partial<ConnectorDefinition>))
    expect(problems.join('\n')).toContain(expected)
  })

  it('accepts limits counted per app, named by a config key, beside limits per credential', () => {
    const problems = validateDefinition(
      definition({
        http: {
          requestsPerSecond: 8,
          requestLimits: [{ requests: 2000, seconds: 60, scope: 'app' }],
          appIdentityKey: 'subdomain',
        },
      }),
    )
    expect(problems).toEqual([])
  })

  it('does not take an address for a secret: tokenUrl, authURL and tokenUri are plain config', () => {
    const config = Type.Object({
      tokenUrl: Type.String(),
      authURL: Type.String(),
      tokenUri: Type.String(),
      apiToken: Secret(Type.String()),
    })
    expect(validateDefinition(definition({ config }))).toEqual([])
  })

  it('accepts error hints, the reset unit and a rate-limit predicate', () => {
    const problems = validateDefinition(
      definition({
        errorHints: {
          invalid_credentials: 'Check the API key under Settings › Integrations › API in Acme HR.',
          unreachable: 'Check the subdomain.',
        },
        http: { rateLimitResetUnit: 'epoch-seconds', isRateLimited: (status) => status === 403 },
      }),
    )
    expect(problems).toEqual([])
  })

  it('issue 21 §5: errorHints may name every error code, from the one list the code type is built from', () => {
    const errorHints = Object.fromEntries(
      CONNECTOR_ERROR_CODES.map((code) => [code, `What to check for ${code}.`]),
    )
    expect(CONNECTOR_ERROR_CODES).toContain('invalid_credentials')
    expect(validateDefinition(definition({ errorHints }))).toEqual([])
  })

  it('validateDefinition rejects what is not an object', () => {
    expect(validateDefinition(null)).toEqual(['the definition is not an object'])
  })
})

import { isConnector, secretKeys } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { checkConnection, pullEmployees, pushConnector, scimPushConfig } from '../src/index.js'

const capabilities = {
  listEmployees: {
    includesTerminated: 'always' as const,
    managerRef: 'remoteId' as const,
    statuses: ['true', 'false'],
    incremental: false as const,
  },
}

describe('pushConnector', () => {
  it('builds a branded push definition with the generated SCIM settings', () => {
    const connector = pushConnector({ id: 'acme-idp', name: 'Acme IdP', capabilities })
    expect(isConnector(connector)).toBe(true)
    expect(connector.mode).toBe('push')
    expect(connector.allowedHosts).toEqual([])
    expect(Object.keys(connector.config.properties)).toEqual(['scimBaseUrl', 'bearerToken'])
    expect(secretKeys(connector.config)).toEqual(['bearerToken'])
  })

  it('checks nothing, and refuses to be pulled with invalid_config naming what to use instead', async () => {
    const connector = pushConnector({
      id: 'acme-idp',
      name: 'Acme IdP',
      config: scimPushConfig({ vendor: 'Acme IdP', baseUrlTitle: 'Tenant URL' }),
      capabilities,
      pullInstead: 'To read the directory instead, use the `pull` export.',
    })
    expect(connector.config.properties.scimBaseUrl.title).toBe('Tenant URL')
    expect(await checkConnection(connector, {})).toEqual({ ok: true })
    await expect(pullEmployees(connector, {})).rejects.toMatchObject({
      code: 'invalid_config',
      message:
        'Acme IdP pushes people to hrsync over SCIM, so this integration cannot be pulled. To read the directory instead, use the `pull` export.',
    })
  })

  it('is validated like any definition', () => {
    expect(() =>
      pushConnector({
        id: 'Bad Id',
        name: 'x',
        capabilities,
        config: Type.Object({ apiToken: Type.String() }),
      }),
    ).toThrow(/`id`.*apiToken/)
  })
})

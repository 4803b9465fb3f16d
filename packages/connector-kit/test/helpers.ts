import { type AuthSpec, defineConnector, employee, HostPart, type HttpOptions, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import nock from 'nock'
import { afterEach, beforeEach } from 'vitest'

export const config = Type.Object({
  subdomain: HostPart(Type.String({ minLength: 1 })),
  apiKey: Secret(Type.String({ minLength: 1 })),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
})

/** A small connector over https://{subdomain}.hr.example.com with the auth and HTTP quirks a test needs. */
export function testConnector(options: { auth?: AuthSpec; http?: HttpOptions } = {}) {
  return defineConnector({
    id: 'acme',
    name: 'Acme HR',
    apiVersion: 1,
    mode: 'pull',
    config,
    allowedHosts: ['{subdomain}.hr.example.com', '*.login.example.com'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'email',
        statuses: ['ok'],
        incremental: false,
      },
    },
    baseUrl: (c) => `https://${c.subdomain}.hr.example.com/api`,
    auth: (c) => options.auth ?? { type: 'bearer', token: c.apiKey },
    http: options.http,
    async checkConnection(ctx) {
      await ctx.http.request({ url: 'people', searchParams: { limit: 1 } })
    },
    async *listEmployees(ctx) {
      const { body } = await ctx.http.request<Array<{ id: number; email: string }>>({ url: 'people' })
      yield body.map((p) => employee({ remoteId: String(p.id), email: p.email, status: 'active' }))
    },
  })
}

export const validConfig = { subdomain: 'tenant', apiKey: 'sk_live_0123456789abcdef' }
export const api = () => nock('https://tenant.hr.example.com')
export const fast = { backoffBaseMs: 1 }

// kept apart so that tests of the real transport run without nock's interceptor loaded
export { failure } from './failure.js'

export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect()
  })
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })
}

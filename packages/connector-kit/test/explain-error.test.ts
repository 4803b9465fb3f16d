import { ConnectorError, defineConnector, type ErrorContext, employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { checkConnection, pullEmployees, reword, rewordByCode } from '../src/index.js'
import { api, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

type Config = typeof validConfig & { pageSize?: number }

/**
 * Acme HR answers a suspended tenant with 403 and a login failure on the first request with 500; its
 * connector says so once, in explainError, and its check and pull carry no try/catch.
 */
function acmeExplaining(seen: Array<{ code: string; context: ErrorContext<Config> }>) {
  const base = testConnector()
  return defineConnector({
    ...base,
    errorHints: { invalid_credentials: 'Create a new API key under Settings.' },
    explainError(error: ConnectorError, context: ErrorContext<Config>) {
      seen.push({ code: error.code, context })
      if (error.code === 'missing_scope') {
        return reword(error, `Acme HR suspended the tenant ${context.config.subdomain}; ask Acme to lift it.`)
      }
      if (error.code === 'vendor_error' && error.details?.status === 500 && context.pagesRead === 0) {
        return reword(
          error,
          'Acme HR refused the first request: the API key is wrong.',
          'invalid_credentials',
        )
      }
      return undefined
    },
    async *listEmployees(ctx) {
      for (const page of [1, 2]) {
        await ctx.http.request({ url: 'people', searchParams: { page } })
        yield [employee({ remoteId: String(page), status: 'active' })]
      }
    },
  })
}

describe('explainError', () => {
  it('rewords a vendor failure of the connection check, keeping its details and the original as cause', async () => {
    const seen: Array<{ code: string; context: ErrorContext<Config> }> = []
    api().get('/api/people').query({ limit: 1 }).reply(403, { message: 'tenant suspended' })
    const check = await checkConnection(acmeExplaining(seen), validConfig, fast)
    expect(check).toEqual({
      ok: false,
      code: 'missing_scope',
      message: 'Acme HR suspended the tenant tenant; ask Acme to lift it.',
    })
    expect(seen).toMatchObject([{ code: 'missing_scope', context: { during: 'check', pagesRead: 0 } }])
    expect(seen[0]?.context.config).toMatchObject({ subdomain: 'tenant', pageSize: 2 })
  })

  it('rewords the same vendor failure in the pull, and may change its code; errorHints follow the new code', async () => {
    const seen: Array<{ code: string; context: ErrorContext<Config> }> = []
    api().get('/api/people').query({ page: 1 }).times(5).reply(500, 'fault')
    const failure = await pullEmployees(acmeExplaining(seen), validConfig, fast).catch(
      (error: unknown) => error,
    )
    expect(failure).toMatchObject({
      code: 'invalid_credentials',
      message:
        'Acme HR refused the first request: the API key is wrong. Create a new API key under Settings.',
      details: { status: 500 },
    })
    expect((failure as Error).cause).toMatchObject({ cause: { code: 'vendor_error' } })
    expect(seen).toMatchObject([{ code: 'vendor_error', context: { during: 'pull', pagesRead: 0 } }])
  })

  it('tells the pull how many pages were read before the failure', async () => {
    const seen: Array<{ code: string; context: ErrorContext<Config> }> = []
    api().get('/api/people').query({ page: 1 }).reply(200, [])
    api().get('/api/people').query({ page: 2 }).times(5).reply(500, 'fault')
    const failure = await pullEmployees(acmeExplaining(seen), validConfig, fast).catch(
      (error: unknown) => error,
    )
    // after a page, a 500 is the vendor's failure, not a login: kept as the kit worded it
    expect(failure).toMatchObject({ code: 'vendor_error' })
    expect(seen).toMatchObject([{ code: 'vendor_error', context: { during: 'pull', pagesRead: 1 } }])
  })

  it('undefined keeps the failure; an invalid config is never handed to it', async () => {
    const seen: Array<{ code: string; context: ErrorContext<Config> }> = []
    api().get('/api/people').query({ limit: 1 }).reply(401, { message: 'bad key' })
    const check = await checkConnection(acmeExplaining(seen), validConfig, fast)
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    expect(check.ok === false && check.message).toMatch(/bad key.*Create a new API key under Settings\.$/)
    expect(await checkConnection(acmeExplaining(seen), { subdomain: 'tenant' }, fast)).toMatchObject({
      ok: false,
      code: 'invalid_config',
    })
    expect(seen.map((entry) => entry.code)).toEqual(['invalid_credentials'])
  })

  it('a hook that throws leaves the vendor failure as it was', async () => {
    const connector = defineConnector({
      ...testConnector(),
      explainError() {
        throw new TypeError('hook bug')
      },
    })
    api().get('/api/people').query({ limit: 1 }).reply(403, { message: 'no access' })
    expect(await checkConnection(connector, validConfig, fast)).toMatchObject({
      ok: false,
      code: 'missing_scope',
    })
  })

  it('defineConnector refuses an explainError that is not a function', () => {
    expect(() => defineConnector({ ...testConnector(), explainError: 'reword' as never })).toThrow(
      /`explainError` must be a function/,
    )
  })
})

describe('rewordByCode', () => {
  const explain = rewordByCode<{ subdomain: string }>({
    invalid_credentials: (_, { config }) => `Acme HR refused the key of ${config.subdomain}.`,
    vendor_error: (error) =>
      error.details?.status === 404 ? `${error.message}: no such tenant.` : undefined,
  })
  const context: ErrorContext<{ subdomain: string }> = {
    config: { subdomain: 'acme' },
    during: 'check',
    pagesRead: 0,
  }

  it('rewords a code with a sentence, keeping the code, the details and the original as cause', () => {
    const failure = new ConnectorError('invalid_credentials', 'Acme HR rejected the credentials', {
      status: 401,
    })
    const reworded = explain(failure, context)
    expect(reworded).toMatchObject({
      code: 'invalid_credentials',
      message: 'Acme HR refused the key of acme.',
      details: { status: 401 },
      cause: failure,
    })
  })

  it('keeps a failure whose code has no sentence, or whose sentence answers undefined', () => {
    expect(explain(new ConnectorError('unreachable', 'Could not reach Acme HR'), context)).toBeUndefined()
    const serverError = new ConnectorError('vendor_error', 'Acme HR answered HTTP 500', { status: 500 })
    expect(explain(serverError, context)).toBeUndefined()
    const notFound = new ConnectorError('vendor_error', 'Acme HR answered HTTP 404', { status: 404 })
    expect(explain(notFound, context)?.message).toBe('Acme HR answered HTTP 404: no such tenant.')
  })
})

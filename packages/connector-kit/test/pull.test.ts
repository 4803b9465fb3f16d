import { ConnectorError, defineConnector, type Employee, employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { checkConnection, pullEmployees } from '../src/index.js'
import { api, fast, testConnector, useNock, validConfig } from './helpers.js'

useNock()

function connectorYielding(pages: Array<Employee[] | (() => never)>) {
  return defineConnector({
    ...testConnector(),
    async *listEmployees() {
      for (const page of pages) yield typeof page === 'function' ? page() : page
    },
  })
}

describe('pullEmployees', () => {
  it('issue 19 item 7: keeps every record as mapped, in vendor order, and leaves managers, loops and ids listed twice to the sync', async () => {
    const progress: unknown[] = []
    const pages = [
      [
        employee({
          remoteId: '3',
          status: 'active',
          email: 'c@example.com',
          managerEmail: ' B@Example.com ',
        }),
        employee({ remoteId: '2', status: 'active', email: 'b@example.com', managerRemoteId: '9' }),
      ],
      [
        employee({ remoteId: 'a', status: 'active', managerRemoteId: 'b' }),
        employee({ remoteId: 'b', status: 'active', managerRemoteId: 'a' }),
        employee({ remoteId: '3', status: 'terminated', email: 'c@example.com' }),
      ],
    ]
    const connector = connectorYielding(pages)
    const result = await pullEmployees(connector, validConfig, { ...fast, onPage: (p) => progress.push(p) })
    expect(result).toEqual({ employees: pages.flat(), skipped: [], pages: 2 })
    expect(progress).toEqual([
      { page: 1, count: 2, total: 2, expected: null },
      { page: 2, count: 3, total: 5, expected: null },
    ])
  })

  it('issue 24: progress carries the number of people the vendor says the list holds, once it says', async () => {
    const progress: unknown[] = []
    const connector = defineConnector({
      ...testConnector(),
      async *listEmployees() {
        yield [employee({ remoteId: '1', status: 'active' })]
        yield { employees: [employee({ remoteId: '2', status: 'active' })], total: 3 }
        yield { employees: [employee({ remoteId: '3', status: 'active' })] }
      },
    })
    await pullEmployees(connector, validConfig, { ...fast, onPage: (p) => progress.push(p) })
    expect(progress).toEqual([
      { page: 1, count: 1, total: 1, expected: null },
      { page: 2, count: 1, total: 2, expected: 3 },
      { page: 3, count: 1, total: 3, expected: 3 },
    ])
  })

  it('fails the whole pull on an error mid-pagination: nothing partial escapes', async () => {
    const connector = connectorYielding([
      [employee({ remoteId: '1', status: 'active' })],
      () => {
        throw new ConnectorError('vendor_error', 'page 2 failed')
      },
    ])
    await expect(pullEmployees(connector, validConfig, fast)).rejects.toMatchObject({ code: 'vendor_error' })
  })

  it('fails on 5xx mid-pagination over HTTP', async () => {
    const connector = defineConnector({
      ...testConnector(),
      async *listEmployees(ctx) {
        for (const page of [1, 2]) {
          const { body } = await ctx.http.request<Array<{ id: number }>>({
            url: 'people',
            searchParams: { page },
          })
          yield body.map((p) => employee({ remoteId: String(p.id), status: 'active' }))
        }
      },
    })
    api()
      .get('/api/people?page=1')
      .reply(200, [{ id: 1 }])
    api().get('/api/people?page=2').times(3).reply(500)
    await expect(
      pullEmployees(connector, validConfig, { ...fast, fetchRetryLimit: 2 }),
    ).rejects.toMatchObject({
      code: 'vendor_error',
    })
  })

  it('an invalid employee fails the pull naming the remoteId and field; number ids become strings', async () => {
    const bad = { ...employee({ remoteId: '9', status: 'active' }), startDate: '07/01/2019' }
    await expect(pullEmployees(connectorYielding([[bad]]), validConfig, fast)).rejects.toMatchObject({
      code: 'invalid_employee',
      message: expect.stringMatching(/"9".*startDate/),
    })
    const numeric = { ...employee({ remoteId: '1', status: 'active' }), remoteId: 5 } as unknown as Employee
    const result = await pullEmployees(connectorYielding([[numeric]]), validConfig, fast)
    expect(result.employees[0]?.remoteId).toBe('5')
  })

  it('keeps skipped persons and rejects a bad config before any request', async () => {
    const connector = defineConnector({
      ...testConnector(),
      async *listEmployees() {
        yield {
          employees: [employee({ remoteId: '1', status: 'active' })],
          skipped: [{ remoteId: '2', email: null, reason: 'unmapped_status' as const, message: 'x' }],
        }
      },
    })
    const result = await pullEmployees(connector, validConfig, fast)
    expect(result.skipped).toHaveLength(1)
    await expect(pullEmployees(connector, { apiKey: 'x' }, fast)).rejects.toMatchObject({
      code: 'invalid_config',
    })
  })

  it('issue 23: a pull in which every person of a non-empty answer is skipped fails instead of returning nobody', async () => {
    const skippedPerson = (remoteId: string) => ({
      remoteId,
      email: `${remoteId}@example.com`,
      reason: 'unmapped_status' as const,
      message: `status "archived?" of ${remoteId} is not one the connector maps`,
    })
    const connector = defineConnector({
      ...testConnector(),
      async *listEmployees() {
        yield { employees: [], skipped: [skippedPerson('1')] }
        yield { employees: [], skipped: [skippedPerson('2')] }
      },
    })
    const failure = await pullEmployees(connector, validConfig, fast).catch((error: unknown) => error)
    expect(failure).toMatchObject({ code: 'malformed_response', details: { skipped: 2 } })
    expect((failure as Error).message).toMatch(/all 2 people .* were skipped/i)
    expect((failure as Error).message).toContain('status "archived?" of 1')
  })
})

describe('the import folder (#18.9)', () => {
  it('#18.9: reaches the connector as ctx.importDir when the host gives one, and is absent otherwise', async () => {
    const seen: Array<string | undefined> = []
    const connector = defineConnector({
      ...testConnector(),
      async checkConnection(ctx) {
        seen.push(ctx.importDir)
      },
      async *listEmployees(ctx) {
        seen.push(ctx.importDir)
        yield []
      },
    })
    await pullEmployees(connector, validConfig, { ...fast, importDir: '/srv/hrsync/imports' })
    await checkConnection(connector, validConfig, { ...fast, importDir: '/srv/hrsync/imports' })
    await pullEmployees(connector, validConfig, fast)
    expect(seen).toEqual(['/srv/hrsync/imports', '/srv/hrsync/imports', undefined])
  })
})

describe('checkConnection', () => {
  it('never throws and answers with distinct messages', async () => {
    const connector = testConnector()
    api().get('/api/people?limit=1').reply(200, [])
    expect(await checkConnection(connector, validConfig, fast)).toEqual({ ok: true })
    api().get('/api/people?limit=1').reply(401)
    api().get('/api/people?limit=1').reply(403)
    const answers = [
      await checkConnection(connector, validConfig, fast),
      await checkConnection(connector, validConfig, fast),
      await checkConnection(connector, { ...validConfig, subdomain: undefined }, fast),
      await checkConnection(
        connector,
        { ...validConfig, subdomain: 'nowhere' },
        { ...fast, fetchRetryLimit: 0 },
      ),
    ]
    expect(answers.map((a) => (a.ok ? 'ok' : a.code))).toEqual([
      'invalid_credentials',
      'missing_scope',
      'invalid_config',
      'unreachable',
    ])
    const messages = answers.map((a) => (a.ok ? '' : a.message))
    expect(new Set(messages).size).toBe(4)
    expect(messages.join(' ')).not.toContain(validConfig.apiKey)
  })
})

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
  it('resolves manager emails after the whole list, keeps vendor order, and reports progress', async () => {
    const progress: unknown[] = []
    const connector = connectorYielding([
      [
        employee({
          remoteId: '3',
          status: 'active',
          email: 'c@example.com',
          managerEmail: ' B@Example.com ',
        }),
        employee({ remoteId: '2', status: 'active', email: 'b@example.com', managerEmail: 'a@example.com' }),
      ],
      [
        employee({ remoteId: '1', status: 'active', email: 'a@example.com' }),
        employee({
          remoteId: '4',
          status: 'active',
          email: 'd@example.com',
          managerEmail: 'gone@example.com',
        }),
      ],
    ])
    const result = await pullEmployees(connector, validConfig, { ...fast, onPage: (p) => progress.push(p) })
    expect(result.employees.map((e) => [e.remoteId, e.managerRemoteId])).toEqual([
      ['3', '2'],
      ['2', '1'],
      ['1', null],
      ['4', null],
    ])
    expect(result.warnings).toEqual([
      {
        code: 'unknown_manager',
        message: 'd@example.com (4): manager gone@example.com is not among the people read',
        remoteIds: ['4'],
      },
    ])
    expect(result.pages).toBe(2)
    expect(progress).toEqual([
      { page: 1, count: 2, total: 2 },
      { page: 2, count: 2, total: 4 },
    ])
  })

  it('reports manager loops in order', async () => {
    const connector = connectorYielding([
      [
        employee({ remoteId: 'a', status: 'active', managerRemoteId: 'b' }),
        employee({ remoteId: 'b', status: 'active', managerRemoteId: 'a' }),
        employee({ remoteId: 'c', status: 'active', managerRemoteId: 'a' }),
      ],
    ])
    const { warnings } = await pullEmployees(connector, validConfig, fast)
    expect(warnings).toEqual([
      { code: 'manager_loop', message: 'manager loop: a -> b -> a', remoteIds: ['a', 'b'] },
    ])
  })

  it('names people in manager warnings by full name with the remoteId in brackets', async () => {
    const connector = connectorYielding([
      [
        employee({
          remoteId: 'E1151',
          firstName: 'Iris',
          lastName: 'Vance',
          status: 'active',
          managerRemoteId: 'E1152',
        }),
        employee({
          remoteId: 'E1152',
          firstName: 'Omar',
          lastName: 'Reyes',
          status: 'active',
          managerRemoteId: 'E1151',
        }),
        employee({ remoteId: 'E1153', firstName: 'Lea', status: 'active', managerRemoteId: 'E9999' }),
      ],
    ])
    const { warnings } = await pullEmployees(connector, validConfig, fast)
    expect(warnings.map((w) => w.message)).toEqual([
      'Lea (E1153): manager E9999 is not among the people read',
      'manager loop: Iris Vance (E1151) -> Omar Reyes (E1152) -> Iris Vance (E1151)',
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

// Issue 19 item 1: an app user whose email belongs to a person HR already lists as terminated.
describe.each(engines)('R2/R4: app users HR lists as leavers, through the admin API, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string
  const users = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users
  const byEmail = async (email: string) => (await users()).find((u) => u.email === email)

  beforeAll(async () => {
    t = await testRunnerOn(engine)
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    companyId = company.body.id
    for (const [email, role] of [
      ['olivia@acme.test', 'admin'],
      ['hugo@acme.test', 'admin'],
      ['gus@acme.test', 'member'],
      ['ann@acme.test', 'member'],
    ]) {
      const created = await t.call('POST', `/api/companies/${companyId}/users`, { email, role })
      expect(created.status).toBe(201)
    }
    t.hr.hire(
      { remoteId: 'ann' },
      { remoteId: 'gus', status: 'terminated', terminationDate: '2020-01-31' },
      { remoteId: 'hugo', status: 'terminated', terminationDate: '2020-01-31' },
    )
  })
  afterAll(async () => {
    await t?.close()
  })

  it('at connect time the leaver is linked and deactivated, an admin leaver held, and the run reports both', async () => {
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    expect(connected.status).toBe(201)
    integrationId = connected.body.integration.id
    const { status, body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(status).toBe(200)
    expect(body.run).toMatchObject({ status: 'succeeded', counts: { deactivated: 1, held: 1, linked: 3 } })
    expect(body.run.warnings.map((w: Json) => [w.code, w.remoteIds])).toEqual([
      ['leaver_linked', ['gus']],
      ['leaver_linked', ['hugo']],
      ['admin_removal_held', ['hugo']],
    ])
    expect(body.run.counts.warnings).toBe(body.run.warnings.length)
    expect(await byEmail('gus@acme.test')).toMatchObject({
      status: 'deactivated',
      label: 'added via Memory HR',
    })
    expect(await byEmail('hugo@acme.test')).toMatchObject({ status: 'active', label: 'added via Memory HR' })
    expect(await byEmail('ann@acme.test')).toMatchObject({ status: 'active' })
    expect(await byEmail('olivia@acme.test')).toMatchObject({ status: 'active', label: null })
  })

  it('a later run changes nothing more, and approving the held removal deactivates the admin', async () => {
    const again = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(again.body.run.changes).toEqual([])
    const runs = await t.call<Json>('GET', `/api/integrations/${integrationId}/runs`)
    const held = runs.body.runs.find((run: Json) => run.counts.held > 0)
    const approved = await t.call<Json>('POST', `/api/runs/${held.id}/held/approve`)
    expect(approved.status).toBe(200)
    expect(await byEmail('hugo@acme.test')).toMatchObject({ status: 'deactivated' })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

// Issue 19 item 7: loops and unknown managers reported once, and counts.warnings is the list's length.
describe.each(engines)('R15, R16: what a run reports, through the admin API, on %s', (engine) => {
  let t: TestRunner
  let integrationId: string
  const sync = async () => (await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)).body.run
  const reported = (run: Json) => run.warnings.map((w: Json) => [w.code, w.message])

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('with team sync off, nothing about managers is reported and nothing is counted', async () => {
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    const admin = await t.call<Json>('POST', `/api/companies/${company.body.id}/users`, {
      email: 'olivia@acme.test',
      role: 'admin',
    })
    expect(admin.status).toBe(201)
    const connected = await t.call<Json>('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    integrationId = connected.body.integration.id
    t.hr.hire(
      { remoteId: 'ann', managerRemoteId: 'bob' },
      { remoteId: 'bob', managerRemoteId: 'ann' },
      { remoteId: 'cat', managerRemoteId: 'ghost' },
    )
    const run = await sync()
    expect(run.warnings).toEqual([])
    expect(run.counts.warnings).toBe(0)

    const preview = await t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/preview`)
    expect(preview.status).toBe(200)
    const finished = await t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/finish`, {
      unassignedReviewerUserId: admin.body.id,
    })
    expect(finished.status).toBe(200)
  })

  it('with team sync on, each loop and unknown manager is listed once, and counted as listed', async () => {
    const run = await sync()
    expect(reported(run)).toEqual([
      ['unknown_manager', 'Cat Test: manager not in HR data (ghost)'],
      ['manager_loop', 'Loop in the manager chain: Ann Test -> Bob Test -> Ann Test'],
    ])
    expect(run.counts.warnings).toBe(run.warnings.length)
    const stored = await t.call<Json>('GET', `/api/runs/${run.id}`)
    expect(stored.body.counts.warnings).toBe(stored.body.warnings.length)
    const dry = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync?dryRun=true`)
    expect(dry.body.plan.counts.warnings).toBe(dry.body.plan.warnings.length)
    expect(dry.body.run.counts.warnings).toBe(dry.body.run.warnings.length)
  })
})

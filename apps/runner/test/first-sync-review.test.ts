import okta from '@hrsync/connector-okta'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimDueIntegrations } from '../src/store/index.js'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('issue 20 §6: first-sync review, on %s', (engine) => {
  let t: TestRunner
  const hr = new MemoryHr()
  let clock = new Date('2025-06-16T10:00:00Z')

  beforeAll(async () => {
    const common = { connectors: [hr.connector, okta], now: () => clock }
    t = await testRunnerOn(engine, common)
  })
  afterAll(async () => {
    await t?.close()
  })

  /** A call as the operator key, naming the app user who acts. */
  async function as(actingUser: string, method: 'GET' | 'POST', url: string, body?: Json) {
    const response = await t.runner.services.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${t.runner.adminToken}`, 'hrsync-acting-user': actingUser },
      ...(body ? { payload: body } : {}),
    })
    return { status: response.statusCode, body: response.json() as Json }
  }

  /** A company connected to Memory HR, as the app asks (the test helper's autoApply aside). */
  async function connect(fields: Json = {}): Promise<{ companyId: string; integration: Json }> {
    const company = await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })
    const connected = await as('app-admin-1', 'POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
      ...fields,
    })
    expect(connected.status).toBe(201)
    return { companyId: company.body.id, integration: connected.body.integration }
  }
  const users = async (companyId: string): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users
  const events = async (companyId: string): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/events?limit=1000`)).body.events
  const later = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000)
  }

  it('issue 20 §6: a new pull integration is planned, not applied, by the scheduler; sync now is refused until confirmed', async () => {
    hr.failing = null
    hr.people = []
    hr.hire({ remoteId: 'ceo' }, { remoteId: 'ann', managerRemoteId: 'ceo' })
    const { companyId, integration } = await connect()
    expect(integration).toMatchObject({ inReview: true })
    expect((await t.call<Json>('GET', `/api/integrations/${integration.id}/review`)).body).toEqual({
      integrationId: integration.id,
      inReview: true,
      run: null,
      planOutdated: false,
    })

    // the scheduler's sync of an integration in review stores the plan and schedules nothing more
    const { run } = await t.runner.services.sync.sync(integration.id, { trigger: 'schedule' })
    expect(run).toMatchObject({ trigger: 'review', dryRun: true, first: false, counts: { created: 2 } })
    expect(await users(companyId)).toEqual([])
    later(60 * 24)
    expect(await claimDueIntegrations(t.runner.services.db, clock, clock)).not.toContain(integration.id)

    const review = (await t.call<Json>('GET', `/api/integrations/${integration.id}/review`)).body
    expect(review).toMatchObject({ inReview: true, run: { id: run.id, counts: { created: 2 } } })
    expect(review.run.changes.map((change: Json) => [change.kind, change.remoteId]).sort()).toEqual([
      ['create_user', 'ann'],
      ['create_user', 'ceo'],
    ])
    const refused = await t.call<Json>('POST', `/api/integrations/${integration.id}/sync`)
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'integration_in_review' } } })
    expect(await users(companyId)).toEqual([])
    const types = (await events(companyId)).map((event) => event.type)
    expect(types.filter((type) => type.startsWith('integration.'))).toEqual([
      'integration.connected',
      'integration.review_ready',
    ])
  })

  it('issue 20 §6: planned again after a change, then confirmed: applied against the present, actor recorded, scheduled from then on', async () => {
    hr.failing = null
    hr.people = []
    hr.hire({ remoteId: 'ceo' })
    const { companyId, integration } = await connect()
    const first = await as('app-admin-1', 'POST', `/api/integrations/${integration.id}/review`)
    expect(first.body.run).toMatchObject({
      trigger: 'review',
      counts: { created: 1 },
      actor: { userId: 'app-admin-1' },
    })

    hr.hire({ remoteId: 'ann', managerRemoteId: 'ceo' })
    const again = await as('app-admin-1', 'POST', `/api/integrations/${integration.id}/review`)
    expect(again.body.run.counts).toMatchObject({ created: 2 })
    hr.hire({ remoteId: 'bob', managerRemoteId: 'ceo' })

    const confirmed = await as('app-admin-2', 'POST', `/api/integrations/${integration.id}/review/confirm`)
    expect(confirmed.status).toBe(200)
    // planned again on HR as it is now: bob, hired after the last plan, is in
    expect(confirmed.body.run).toMatchObject({
      trigger: 'manual',
      status: 'succeeded',
      dryRun: false,
      first: true,
      counts: { created: 3 },
      actor: { userId: 'app-admin-2' },
    })
    expect((await users(companyId)).map((user) => user.email).sort()).toEqual([
      'ann@acme.test',
      'bob@acme.test',
      'ceo@acme.test',
    ])
    const after = (await t.call<Json>('GET', `/api/integrations/${integration.id}`)).body
    expect(after).toMatchObject({ inReview: false, lastSyncStatus: 'succeeded' })
    expect(after.nextSyncAt).not.toBeNull()
    const confirmation = (await events(companyId)).find(
      (event) => event.type === 'integration.review_confirmed',
    )
    expect(confirmation).toMatchObject({
      payload: { runId: confirmed.body.run.id },
      actor: { userId: 'app-admin-2' },
    })

    const twice = await t.call<Json>('POST', `/api/integrations/${integration.id}/review/confirm`)
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'not_in_review' } } })
    const planAgain = await t.call<Json>('POST', `/api/integrations/${integration.id}/review`)
    expect(planAgain).toMatchObject({ status: 409, body: { error: { code: 'not_in_review' } } })
    expect((await t.call<Json>('POST', `/api/integrations/${integration.id}/sync`)).status).toBe(200)
  })

  it('issue 20 §6: a confirmation whose pull fails applies nothing and stays in review', async () => {
    hr.people = []
    hr.hire({ remoteId: 'ceo' })
    const { companyId, integration } = await connect()
    hr.failing = 'Memory HR is down'
    const confirmed = await t.call<Json>('POST', `/api/integrations/${integration.id}/review/confirm`)
    expect(confirmed.body.run).toMatchObject({ status: 'failed', failure: 'Memory HR is down' })
    expect(await users(companyId)).toEqual([])
    hr.failing = null
    expect((await t.call<Json>('GET', `/api/integrations/${integration.id}`)).body.inReview).toBe(true)
  })

  it('issue 20 §6: autoApply skips the review; a SCIM push is never in review', async () => {
    hr.failing = null
    hr.people = []
    hr.hire({ remoteId: 'ceo' })
    const { companyId, integration } = await connect({ autoApply: true })
    expect(integration.inReview).toBe(false)
    const synced = await t.call<Json>('POST', `/api/integrations/${integration.id}/sync`)
    expect(synced.body.run).toMatchObject({ status: 'succeeded', first: true, counts: { created: 1 } })
    expect(await users(companyId)).toHaveLength(1)

    const pushed = await t.call<Json>('POST', '/api/companies', { name: 'Nordvik', plan: 'beyond' })
    const scim = await t.call<Json>('POST', `/api/companies/${pushed.body.id}/integrations`, {
      connector: 'okta',
      config: {},
      autoApply: false,
    })
    expect(scim.body.integration.inReview).toBe(false)
  })

  it('issue 20 §6: autoApply must be a boolean; a missing integration has no review', async () => {
    const company = await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })
    const wrong = await t.call<Json>('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
      autoApply: 'yes',
    })
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } })
    for (const [method, url] of [
      ['GET', '/api/integrations/int_missing/review'],
      ['POST', '/api/integrations/int_missing/review'],
      ['POST', '/api/integrations/int_missing/review/confirm'],
    ] as const) {
      expect((await t.call<Json>(method, url)).status).toBe(404)
    }
  })
})

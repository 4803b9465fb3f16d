import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('issue 20 §7: held removals decided person by person, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })

  /** A call as the operator key, naming the app user who acts. */
  async function as(actingUser: string, method: 'GET' | 'POST', url: string, body?: unknown) {
    const response = await t.runner.services.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${t.runner.adminToken}`, 'hrsync-acting-user': actingUser },
      ...(body === undefined ? {} : { payload: body as Json }),
    })
    return { status: response.statusCode, body: response.json() as Json }
  }

  const users = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users?limit=500`)).body.users
  const idOf = async (email: string): Promise<string> =>
    (await users()).find((user) => user.email === email)!.id
  const sync = async (): Promise<Json> =>
    (await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)).body.run
  const run = async (runId: string): Promise<Json> => (await t.call<Json>('GET', `/api/runs/${runId}`)).body

  const people = Array.from({ length: 40 }, (_, at) => ({ remoteId: `p${String(at).padStart(2, '0')}` }))

  /** 40 people synced, then HR drops the first 20 at once: every removal is held (R5). */
  async function heldRun(): Promise<Json> {
    t.hr.people = []
    const company = await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })
    companyId = company.body.id
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    integrationId = connected.body.integration.id
    t.hr.hire(...people)
    await sync()
    t.hr.fire(...people.slice(0, 20).map(({ remoteId }) => remoteId))
    const held = await sync()
    expect(held.held).toHaveLength(20)
    return held
  }

  it('issue 20 §7: one person approved, one rejected, then the rest at once — each decision with its actor', async () => {
    const held = await heldRun()
    const [p00, p01] = [await idOf('p00@acme.test'), await idOf('p01@acme.test')]

    const one = await as('app-user-ana', 'POST', `/api/runs/${held.id}/held/approve`, { userIds: [p00] })
    expect(one.status).toBe(200)
    expect(one.body.applied).toMatchObject([{ kind: 'remove_user', userId: p00 }])
    expect(one.body.run.actor).toMatchObject({ userId: 'app-user-ana' })
    const kept = await as('app-user-ben', 'POST', `/api/runs/${held.id}/held/reject`, { userIds: [p01] })
    expect(kept).toMatchObject({ status: 200, body: { rejected: 1 } })

    const detail = await run(held.id)
    const decisionOf = (userId: string) => detail.held.find((removal: Json) => removal.userId === userId)
    expect(decisionOf(p00)).toMatchObject({ decision: 'approved', decidedBy: { userId: 'app-user-ana' } })
    expect(decisionOf(p01)).toMatchObject({ decision: 'rejected', decidedBy: { userId: 'app-user-ben' } })
    expect(detail.held.filter((removal: Json) => removal.decision === null)).toHaveLength(18)

    const rest = await as('app-user-cy', 'POST', `/api/runs/${held.id}/held/approve`)
    expect(rest.status).toBe(200)
    expect(rest.body.applied).toHaveLength(18)
    const emails = (await users()).map((user) => user.email)
    expect(emails).toContain('p01@acme.test')
    expect(emails).not.toContain('p00@acme.test')
    expect(emails).not.toContain('p02@acme.test')
    expect((await run(held.id)).held.every((removal: Json) => removal.decision !== null)).toBe(true)
  })

  it('issue 20 §7: a person approved alone is decided again against the present (changed since the hold: skipped)', async () => {
    const held = await heldRun()
    const p00 = await idOf('p00@acme.test')
    await t.call('POST', `/api/companies/${companyId}/invitations`, { userIds: [p00] })

    const approved = await as('app-user-ana', 'POST', `/api/runs/${held.id}/held/approve`, { userIds: [p00] })
    expect(approved.status).toBe(200)
    expect(approved.body.applied).toEqual([])
    expect(approved.body.skipped).toMatchObject([{ userId: p00, reason: 'user_changed' }])
    expect((await users()).find((user) => user.id === p00)).toMatchObject({ status: 'invited' })
    // the others still wait for a decision
    expect((await run(held.id)).held.filter((removal: Json) => removal.decision === null)).toHaveLength(19)
  })

  it('issue 20 §7: a person decided twice, one the run never held, or an empty list is refused and changes nothing', async () => {
    const held = await heldRun()
    const p00 = await idOf('p00@acme.test')
    const p30 = await idOf('p30@acme.test')
    expect((await as('ana', 'POST', `/api/runs/${held.id}/held/reject`, { userIds: [p00] })).status).toBe(200)

    const twice = await as('ana', 'POST', `/api/runs/${held.id}/held/approve`, { userIds: [p00] })
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'nothing_held' } } })
    const stranger = await as('ana', 'POST', `/api/runs/${held.id}/held/approve`, { userIds: [p30] })
    expect(stranger).toMatchObject({ status: 404, body: { error: { code: 'not_held' } } })
    const empty = await as('ana', 'POST', `/api/runs/${held.id}/held/approve`, { userIds: [] })
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } })
    expect((await run(held.id)).held.filter((removal: Json) => removal.decision === null)).toHaveLength(19)
    expect(await users()).toHaveLength(40)
  })
})

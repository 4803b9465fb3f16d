import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

// On the embedded database, and on PostgreSQL (a schema of its own per test) whenever it answers.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('approving held removals, through the API, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })

  /** A company of its own connected to an empty memory HR system: only its integration ever syncs. */
  async function start(): Promise<void> {
    t.hr.people = []
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    companyId = company.body.id
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    integrationId = connected.body.integration.id
  }

  const users = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users
  const byEmail = async (email: string) => (await users()).find((user) => user.email === email)
  const teams = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/teams`)).body.teams
  const sync = async (): Promise<Json> =>
    (await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)).body.run
  const approve = (runId: string) => t.call<Json>('POST', `/api/runs/${runId}/held/approve`)

  async function inviteAndAccept(...emails: string[]): Promise<void> {
    const ids = (await users()).filter((user) => emails.includes(user.email)).map((user) => user.id)
    const invited = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, { userIds: ids })
    for (const invitation of invited.body.invitations) {
      await t.runner.services.app.inject({
        method: 'POST',
        url: `/api/invitations/${invitation.token}/accept`,
      })
    }
  }

  /** An admin added in the app, linked to HR by email on the next sync (R12). */
  const addAdmin = (remoteId: string) =>
    t.call('POST', `/api/companies/${companyId}/users`, {
      email: `${remoteId}@acme.test`,
      firstName: remoteId[0]!.toUpperCase() + remoteId.slice(1),
      lastName: 'Test',
      role: 'admin',
      status: 'active',
    })

  const half = Array.from({ length: 40 }, (_, at) => ({ remoteId: `p${String(at).padStart(2, '0')}` }))
  const firstHalf = half.slice(0, 20).map(({ remoteId }) => remoteId)

  /** 40 people in HR, p19 active, the others on Add people; then HR drops the first 20: all held (R5). */
  async function holdHalfTheCompany(): Promise<Json> {
    t.hr.hire(...half)
    await sync()
    await inviteAndAccept('p19@acme.test')
    t.hr.fire(...firstHalf)
    const held = await sync()
    expect(held.held).toHaveLength(20)
    return held
  }

  it('R5 approval (issue 18.3): after HR comes back and a sync succeeds, approving the old run removes nobody and says why', async () => {
    await start()
    const held = await holdHalfTheCompany()
    t.hr.hire(...half.slice(0, 20))
    const back = await sync()
    expect(back).toMatchObject({ status: 'succeeded', held: [] })

    const approved = await approve(held.id)
    expect(approved.status).toBe(200)
    expect(approved.body.applied).toEqual([])
    expect(approved.body.skipped).toHaveLength(20)
    const p00 = (await byEmail('p00@acme.test'))!.id
    expect(approved.body.skipped.find((one: Json) => one.userId === p00)).toEqual({
      userId: p00,
      removalIds: [expect.any(String)],
      reason: 'back_in_hr',
      message: 'A later sync found P00 Test in Memory HR again; they keep their access',
    })
    expect(approved.body.skipped.every((one: Json) => one.reason === 'back_in_hr')).toBe(true)
    const now = await users()
    expect(now).toHaveLength(40)
    expect((await byEmail('p19@acme.test'))!.status).toBe('active')
    // every removal is decided: nothing waits any more
    expect((await approve(held.id)).status).toBe(409)
    const runs = (await t.call<Json>('GET', `/api/integrations/${integrationId}/runs`)).body.runs
    expect(runs[0]).toMatchObject({
      trigger: 'approval',
      counts: { deactivated: 0, removed: 0, skipped: 20 },
    })
  })

  it('R5 approval (issue 18.3): a user changed since the hold is skipped, the still-gone others are removed', async () => {
    await start()
    const held = await holdHalfTheCompany()
    await t.call('POST', `/api/companies/${companyId}/invitations`, {
      userIds: [(await byEmail('p00@acme.test'))!.id],
    })

    const approved = await approve(held.id)
    expect(approved.status).toBe(200)
    expect(approved.body.skipped).toEqual([
      {
        userId: (await byEmail('p00@acme.test'))!.id,
        removalIds: [expect.any(String)],
        reason: 'user_changed',
        message: 'P00 Test changed since the hold (status uninvited → invited); the next sync decides again',
      },
    ])
    expect(approved.body.applied).toHaveLength(19)
    expect(await byEmail('p00@acme.test')).toMatchObject({ status: 'invited' })
    expect(await byEmail('p01@acme.test')).toBeUndefined()
    expect((await byEmail('p19@acme.test'))!.status).toBe('deactivated')
  })

  it('R17 approval (issue 18.4): two admins held in two runs, approved one after the other: the last active admin is kept', async () => {
    await start()
    await addAdmin('ana')
    await addAdmin('ben')
    t.hr.hire({ remoteId: 'ana' }, { remoteId: 'ben' }, { remoteId: 'cy' }, { remoteId: 'dan' })
    await sync()
    t.hr.fire('ana')
    const first = await sync()
    expect(first.held).toMatchObject([{ reason: 'admin' }])
    t.hr.fire('ben')
    const second = await sync()
    expect(second.held).toMatchObject([{ reason: 'admin', userId: (await byEmail('ben@acme.test'))!.id }])

    const ana = await approve(first.id)
    expect(ana.status).toBe(200)
    expect(ana.body.applied).toMatchObject([{ kind: 'deactivate_user' }])
    expect((await byEmail('ana@acme.test'))!.status).toBe('deactivated')

    const ben = await approve(second.id)
    expect(ben.status).toBe(200)
    expect(ben.body.applied).toEqual([])
    expect(ben.body.skipped).toMatchObject([{ reason: 'last_admin_kept' }])
    expect(ben.body.warnings).toEqual([
      {
        code: 'last_admin_kept',
        message:
          'Ben Test left Memory HR but is the last active admin; they keep access until another admin takes over',
        remoteIds: ['ben'],
        email: 'ben@acme.test',
      },
    ])
    expect((await byEmail('ben@acme.test'))!.status).toBe('active')
  })

  it('issue 19.6: an approved admin removal takes the admin out of their team and Unassigned review in the same transaction', async () => {
    await start()
    await addAdmin('ceo')
    await addAdmin('ana')
    t.hr.hire(
      { remoteId: 'ceo' },
      { remoteId: 'ana', managerRemoteId: 'ceo' },
      { remoteId: 'ben', managerRemoteId: 'ceo' },
    )
    await sync()
    const ana = (await byEmail('ana@acme.test'))!
    expect((await t.call('POST', `/api/integrations/${integrationId}/team-sync/preview`)).status).toBe(200)
    const finished = await t.call('POST', `/api/integrations/${integrationId}/team-sync/finish`, {
      unassignedReviewerUserId: ana.id,
    })
    expect(finished.status).toBe(200)
    t.hr.fire('ana')
    const held = await sync()
    expect(held.held).toMatchObject([{ userId: ana.id, reason: 'admin' }])
    const ceoTeam = () => teams().then((all) => all.find((team) => team.name === "Ceo Test's team")!)
    expect((await ceoTeam()).memberUserIds).toContain(ana.id)

    const approved = await approve(held.id)
    expect(approved.status).toBe(200)
    expect(approved.body.applied.map((change: Json) => change.kind)).toEqual([
      'deactivate_user',
      'set_reviewer',
      'set_members',
    ])
    expect((await ceoTeam()).memberUserIds).not.toContain(ana.id)
    expect((await teams()).find((team) => team.kind === 'unassigned')).toMatchObject({ reviewerUserId: null })
    const events = (await t.call<Json>('GET', `/api/companies/${companyId}/events?limit=1000`)).body
      .events as Json[]
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['user.deactivated', 'team.reviewer_changed', 'team.members_changed']),
    )
    // the next sync finds nothing left to do
    expect((await sync()).changes).toEqual([])
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

// Issue 20 §3: events an app can act on, on the embedded database and on PostgreSQL whenever it
// answers; in CI it must.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']
const TEMPLATE = 'https://spend.example/invite?token={token}'

describe.each(engines)('issue 20 §3: events, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string

  const events = async (after = 0): Promise<Json> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/events?after=${after}`)).body

  beforeAll(async () => {
    const options = { inviteUrlTemplate: TEMPLATE }
    t = await testRunnerOn(engine, options)
    companyId = (await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })).body.id
    integrationId = (
      await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
        connector: 'memory',
        config: { tenant: 'acme', apiToken: API_TOKEN },
      })
    ).body.integration.id
  })
  afterAll(async () => {
    await t?.close()
  })

  it('§3: a user or team event carries its full state, exactly as the single GET answers', async () => {
    const start = (await events()).nextAfter
    t.hr.hire({ remoteId: 'ann' })
    await t.call('POST', `/api/integrations/${integrationId}/sync`)
    const manual = (
      await t.call<Json>('POST', `/api/companies/${companyId}/users`, {
        email: 'app@acme.test',
        status: 'active',
      })
    ).body
    const team = (
      await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Ops',
        memberUserIds: [manual.id],
      })
    ).body
    const seen = (await events(start)).events as Json[]
    const synced = seen.find((event) => event.type === 'user.created' && event.payload.userId !== manual.id)!
    expect(synced.payload.user).toEqual(
      (await t.call('GET', `/api/companies/${companyId}/users/${synced.payload.userId}`)).body,
    )
    const created = seen.find((event) => event.payload.userId === manual.id)!
    expect(created.payload).toMatchObject({ email: 'app@acme.test', user: manual })
    const teamEvent = seen.find((event) => event.type === 'team.created')!
    expect(teamEvent.payload.team).toEqual(team)
  })

  it('§3: a deleted resource’s event says so with a null state', async () => {
    const user = (
      await t.call<Json>('POST', `/api/companies/${companyId}/users`, { email: 'gone@acme.test' })
    ).body
    const start = (await events()).nextAfter
    expect((await t.call('DELETE', `/api/users/${user.id}`)).status).toBe(204)
    const [deleted] = (await events(start)).events as Json[]
    expect(deleted).toMatchObject({ type: 'user.deleted', payload: { userId: user.id, user: null } })
  })

  it('§3: deleting a user a team names tells the team’s state too, so a mirror drops them from it', async () => {
    const add = async (email: string) =>
      (await t.call<Json>('POST', `/api/companies/${companyId}/users`, { email, status: 'active' })).body
    const reviewer = await add('reviewer@acme.test')
    const member = await add('member@acme.test')
    const team = (
      await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Finance',
        memberUserIds: [member.id],
        reviewerUserId: reviewer.id,
      })
    ).body
    const start = (await events()).nextAfter
    expect((await t.call('DELETE', `/api/users/${reviewer.id}`)).status).toBe(204)
    expect((await t.call('DELETE', `/api/users/${member.id}`)).status).toBe(204)
    const seen = (await events(start)).events as Json[]
    const now = (await t.call<Json>('GET', `/api/companies/${companyId}/teams/${team.id}`)).body
    expect(now).toMatchObject({ reviewerUserId: null, memberUserIds: [] })
    const teamEvents = seen.filter((event) => event.payload.teamId === team.id)
    expect(teamEvents.map((event) => event.type)).toEqual(['team.reviewer_changed', 'team.members_changed'])
    expect(teamEvents.at(-1)!.payload.team).toEqual(now)
  })

  it('§3: the invited event carries the accept URL built from the template, so the app sends the email', async () => {
    t.hr.hire({ remoteId: 'bo' })
    await t.call('POST', `/api/integrations/${integrationId}/sync`)
    const users = (await t.call<Json>('GET', `/api/companies/${companyId}/users?status=uninvited`)).body.users
    const start = (await events()).nextAfter
    const invited = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, {
      userIds: [users[0].id],
    })
    const [event] = ((await events(start)).events as Json[]).filter((e) => e.type === 'user.invited')
    const token = invited.body.invitations[0].token
    expect(event!.payload.acceptUrl).toBe(TEMPLATE.replace('{token}', encodeURIComponent(token)))
    expect(event!.payload.user.status).toBe('invited')
  })

  it('§3: replay with ?after= reads every event once, in order, page by page', async () => {
    const all: Json[] = []
    let after = 0
    for (;;) {
      const page = await t.call<Json>('GET', `/api/companies/${companyId}/events?after=${after}&limit=3`)
      expect(page.status).toBe(200)
      if (page.body.events.length === 0) break
      all.push(...page.body.events)
      after = page.body.nextAfter
    }
    const ids = all.map((event) => event.id)
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b))
    expect(ids.length).toBe(
      (await t.call<Json>('GET', `/api/companies/${companyId}/events?limit=1000`)).body.events.length,
    )
    for (const bad of ['after=-1', 'after=abc', `after=${2 ** 64}`, 'limit=0']) {
      expect((await t.call('GET', `/api/companies/${companyId}/events?${bad}`)).status, bad).toBe(400)
    }
  })
})

describe('issue 20 §3: the invite URL template', () => {
  it('is refused unless an http(s) URL with {token}', async () => {
    for (const template of ['https://spend.example/invite', 'ftp://x/{token}', 'not a url {token}']) {
      await expect(testRunner({ inviteUrlTemplate: template })).rejects.toThrow(/\{token\}/)
    }
  })
})

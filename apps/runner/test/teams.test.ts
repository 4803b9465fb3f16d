import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

// What an admin does to teams around the sync, through the admin API (issue 19, items 2–5 and 8),
// on the embedded database and on PostgreSQL whenever it answers; in CI it must.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('teams through the admin API, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string

  const users = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users
  const userId = async (email: string): Promise<string> => {
    const found = (await users()).find((u) => u.email === email)
    if (!found) throw new Error(`no user ${email}`)
    return found.id
  }
  const teams = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/teams`)).body.teams
  const teamNamed = async (name: string): Promise<Json> => {
    const found = (await teams()).find((team) => team.name === name)
    if (!found) throw new Error(`no team ${name}`)
    return found
  }
  const sync = async () => {
    const { status, body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(status).toBe(200)
    return body.run
  }
  const activate = async (...emails: string[]) => {
    const ids = await Promise.all(emails.map(userId))
    const { body } = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, { userIds: ids })
    for (const invitation of body.invitations) {
      await t.runner.services.app.inject({
        method: 'POST',
        url: `/api/invitations/${invitation.token}/accept`,
      })
    }
  }
  const appOnly = async (email: string): Promise<string> => {
    const { status, body } = await t.call<Json>('POST', `/api/companies/${companyId}/users`, {
      email,
      status: 'active',
    })
    expect(status).toBe(201)
    return body.id
  }
  const preview = () => t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/preview`)
  const finish = (review: Json = {}) =>
    t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/finish`, review)

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })
  // every test starts with a company of its own, the HR list below, and its first sync
  beforeEach(async () => {
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
    // ceo <- ann <- (bob, cy)
    t.hr.hire(
      { remoteId: 'ceo' },
      { remoteId: 'ann', managerRemoteId: 'ceo' },
      { remoteId: 'bob', managerRemoteId: 'ann' },
      { remoteId: 'cy', managerRemoteId: 'ann' },
    )
    await sync()
    await activate('ceo@acme.test', 'ann@acme.test', 'bob@acme.test')
  })
  describe('item 2: finishing setup after the company changed', () => {
    it('Setup finish: a leaver removed by a sync since the preview is left out, never a 500', async () => {
      const zoe = await appOnly('zoe@acme.test')
      const shown = await preview()
      expect(shown.status).toBe(200)
      const annKey = shown.body.teams.find((team: Json) => team.name === "Ann Test's team").key
      const cy = await userId('cy@acme.test')
      t.hr.fire('cy')
      const run = await sync()
      expect(run.changes).toContainEqual(expect.objectContaining({ kind: 'remove_user', userId: cy }))
      const founder = await appOnly('founder@acme.test')
      const finished = await finish({ unassignedReviewerUserId: zoe, placements: { [zoe]: annKey } })
      expect(finished.status).toBe(200)
      const all = await teams()
      expect(all.flatMap((team) => [...team.memberUserIds, team.reviewerUserId])).not.toContain(cy)
      expect(all.find((team) => team.kind === 'unassigned')).toMatchObject({ reviewerUserId: zoe })
      expect(all.find((team) => team.key === annKey)?.memberUserIds).toContain(zoe)
      // added after the preview: laid out with the present directory, in Unassigned
      expect(all.find((team) => team.kind === 'unassigned')?.memberUserIds).toContain(founder)
    })

    it('Setup finish: an app-only user deleted since the preview answers 409 with the new preview', async () => {
      const zoe = await appOnly('zoe@acme.test')
      const max = await appOnly('max@acme.test')
      const shown = await preview()
      const annKey = shown.body.teams.find((team: Json) => team.name === "Ann Test's team").key
      expect((await t.call('DELETE', `/api/users/${zoe}`)).status).toBe(204)
      const refused = await finish({ unassignedReviewerUserId: max, placements: { [zoe]: annKey } })
      expect(refused.status).toBe(409)
      expect(refused.body.error.code).toBe('team_sync_preview_changed')
      expect(refused.body.error.message).toMatch(/placed in a team, no longer has access/)
      const members = refused.body.preview.unassigned.members.map((member: Json) => member.userId)
      expect(members).toContain(max)
      expect(members).not.toContain(zoe)
      expect(await teams()).toEqual([])
      // the new preview is the one the next finish is checked against
      const again = await finish({ unassignedReviewerUserId: max })
      expect(again.status).toBe(200)
      expect((await t.call<Json>('GET', `/api/integrations/${integrationId}`)).body.teamSync).toBe('on')
    })

    it('Setup finish: a chosen reviewer deleted since the preview answers 409, nothing changes', async () => {
      const old = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, { name: 'Old team' })
      const zoe = await appOnly('zoe@acme.test')
      await preview()
      await t.call('DELETE', `/api/users/${zoe}`)
      const refused = await finish({ unassignedReviewerUserId: zoe })
      expect(refused.status).toBe(409)
      expect(refused.body.error.message).toMatch(/chosen to review Unassigned, no longer has access/)
      expect((await teams()).map((team) => team.id)).toEqual([old.body.id])
    })
  })

  describe('items 3–5: edits while team sync is on', () => {
    const setUp = async () => {
      const zoe = await appOnly('zoe@acme.test')
      await preview()
      expect((await finish()).status).toBe(200)
      return zoe
    }

    it('R13 rename: a synced team is renamed and keeps the name on later syncs; members stay HR', async () => {
      const zoe = await setUp()
      const ann = await teamNamed("Ann Test's team")
      const renamed = await t.call<Json>('PATCH', `/api/teams/${ann.id}`, { name: 'Finance' })
      expect(renamed.status).toBe(200)
      expect(renamed.body).toMatchObject({ name: 'Finance', nameOverridden: true, kind: 'synced' })
      t.hr.update('ann', { lastName: 'Stone' })
      await sync()
      expect((await teams()).find((team) => team.id === ann.id)).toMatchObject({ name: 'Finance' })
      const moved = await t.call<Json>('PATCH', `/api/teams/${ann.id}`, { memberUserIds: [zoe] })
      expect(moved.status).toBe(409)
      expect(moved.body.error).toEqual({
        code: 'team_managed_by_hr_sync',
        message: 'Team sync is on: move people by changing their manager in Memory HR',
      })
      const reviewer = await t.call<Json>('PATCH', `/api/teams/${ann.id}`, { reviewerUserId: zoe })
      expect(reviewer.status).toBe(409)
      expect(reviewer.body.error.message).toMatch(/reviewer follows the manager chain in Memory HR/)
    })

    it('Team sync on: a team with a synced person is refused (409); app-only users can be placed', async () => {
      const zoe = await setUp()
      const bob = await userId('bob@acme.test')
      const refused = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Travel',
        memberUserIds: [zoe, bob],
      })
      expect(refused.status).toBe(409)
      expect(refused.body.error).toEqual({
        code: 'person_managed_by_hr_sync',
        message: 'Bob Test is in Memory HR: while team sync is on, their team follows their manager there',
      })
      expect((await teams()).some((team) => team.name === 'Travel')).toBe(false)
      const made = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Travel',
        memberUserIds: [zoe],
        reviewerUserId: bob,
      })
      expect(made.status).toBe(201)
      const edited = await t.call<Json>('PATCH', `/api/teams/${made.body.id}`, { memberUserIds: [zoe, bob] })
      expect(edited.status).toBe(409)
      expect(edited.body.error.code).toBe('person_managed_by_hr_sync')
    })

    it('Unassigned: its reviewer is changed after setup to a user with access; others answer 400', async () => {
      const zoe = await setUp()
      const unassigned = (await teams()).find((team) => team.kind === 'unassigned')!
      const changed = await t.call<Json>('PATCH', `/api/teams/${unassigned.id}`, { reviewerUserId: zoe })
      expect(changed.status).toBe(200)
      expect(changed.body).toMatchObject({ reviewerUserId: zoe, needsReviewer: false })
      const cy = await userId('cy@acme.test')
      const uninvited = await t.call<Json>('PATCH', `/api/teams/${unassigned.id}`, { reviewerUserId: cy })
      expect(uninvited.status).toBe(400)
      expect(uninvited.body.error).toEqual({
        code: 'invalid_reviewer',
        message: 'The reviewer of Unassigned must be an active user (Cy Test is not)',
      })
      const renamed = await t.call<Json>('PATCH', `/api/teams/${unassigned.id}`, { name: 'Others' })
      expect(renamed.status).toBe(409)
    })
  })

  describe('item 8: a reviewer who leaves an ordinary team, team sync off', () => {
    it('R14 ordinary team: the leaving reviewer is cleared with an event suggesting the skip-level manager', async () => {
      const ann = await userId('ann@acme.test')
      const ceo = await userId('ceo@acme.test')
      const ops = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Ops',
        reviewerUserId: ann,
      })
      expect(ops.body.needsReviewer).toBe(false)
      t.hr.update('ann', { status: 'terminated', terminationDate: '2020-01-31' })
      await sync()
      expect(await teamNamed('Ops')).toMatchObject({ reviewerUserId: null, needsReviewer: true })
      const events = await t.call<Json>(
        'GET',
        `/api/companies/${companyId}/events?type=team.reviewer_changed&limit=10`,
      )
      expect(events.body.events.map((event: Json) => event.payload)).toContainEqual(
        expect.objectContaining({
          teamId: ops.body.id,
          fromUserId: ann,
          toUserId: null,
          suggestedUserId: ceo,
        }),
      )
    })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

// The whole flow on the embedded database, and on PostgreSQL (in a schema of its own, dropped
// afterwards) whenever it answers; in CI it must.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('admin API, end to end, on %s', (engine) => {
  let t: TestRunner
  let companyId: string
  let integrationId: string
  const users = async (): Promise<Json[]> =>
    (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users
  const byEmail = async (email: string) => (await users()).find((u) => u.email === email)

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })

  it('refuses requests without the admin token', async () => {
    const response = await t.runner.services.app.inject({ method: 'GET', url: '/api/companies' })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } })
  })

  it('answers a validation error with invalid_request naming the field, and no stack trace', async () => {
    const { status, body } = await t.call('POST', '/api/companies', { plan: 'advanced', timeZone: 'UTC' })
    expect(status).toBe(400)
    expect(body).toEqual({ error: { code: 'invalid_request', message: 'body.name is required' } })
    const bad = await t.call('POST', '/api/companies', { name: 'X', plan: 'gold', timeZone: 'UTC' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('body.plan')
  })

  it('refuses the NUL character, which the database cannot store, naming where it is', async () => {
    const companies = (await t.call('GET', '/api/companies')).body
    const named = await t.call('POST', '/api/companies', {
      name: 'A\u0000B',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    expect(named).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'body.name holds the NUL character (\\u0000), which cannot be stored',
        },
      },
    })
    const path = await t.call('GET', '/api/companies/a%00b')
    expect(path.status).toBe(400)
    expect(JSON.stringify(path.body)).toContain('params.companyId holds the NUL character')
    expect((await t.call('GET', '/api/companies')).body).toEqual(companies)
  })

  it('connect: only Advanced or Beyond companies may connect an HR system', async () => {
    const starter = await t.call<Json>('POST', '/api/companies', {
      name: 'Tiny',
      plan: 'essential',
      timeZone: 'UTC',
    })
    const { status, body } = await t.call('POST', `/api/companies/${starter.body.id}/integrations`, {
      connector: 'memory',
      config: { tenant: 'tiny', apiToken: API_TOKEN },
    })
    expect(status).toBe(403)
    expect(body.error).toMatchObject({ code: 'plan_not_eligible' })
    expect((body.error as Json).message).toMatch(/Advanced or Beyond/)
  })

  it('connect: a bad config is invalid_config, a failing check answers 422 with its code', async () => {
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    companyId = company.body.id
    const bad = await t.call('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme' },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'invalid_config' })
    const wrong = await t.call('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: 'wrong' },
    })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error).toMatchObject({
      code: 'invalid_credentials',
      message: 'Memory HR rejected the API token',
    })
    const unknown = await t.call('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'nope',
      config: {},
    })
    expect(unknown.body.error).toMatchObject({ code: 'unknown_connector' })
  })

  it('connect: saves the integration, masks its secrets, allows one per company', async () => {
    const { status, body } = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    expect(status).toBe(201)
    integrationId = body.integration.id
    expect(body.integration).toMatchObject({
      connectorId: 'memory',
      status: 'connected',
      teamSync: 'off',
      needsAttention: false,
      config: { tenant: 'acme', apiToken: '********' },
    })
    const again = await t.call('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ code: 'integration_exists' })
  })

  it('a dry run returns the plan and applies nothing', async () => {
    t.hr.hire(
      { remoteId: 'ceo' },
      { remoteId: 'ann', managerRemoteId: 'ceo' },
      { remoteId: 'bob', managerRemoteId: 'ann' },
    )
    const { status, body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync?dryRun=true`)
    expect(status).toBe(200)
    expect(body.run).toMatchObject({ dryRun: true, status: 'succeeded' })
    expect(body.plan.changes.filter((c: Json) => c.kind === 'create_user')).toHaveLength(3)
    expect(await users()).toEqual([])
  })

  it('the first sync creates uninvited users labelled "added via" the HR system', async () => {
    const { body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(body.run).toMatchObject({ status: 'succeeded', dryRun: false })
    expect(body.run.counts).toMatchObject({ created: 3 })
    // the list pages in id order (issue 20 §2): sorted here by email to compare
    const list = (await users()).sort((a, b) => a.email.localeCompare(b.email))
    expect(list.map((u) => [u.email, u.status, u.label])).toEqual([
      ['ann@acme.test', 'uninvited', 'added via Memory HR'],
      ['bob@acme.test', 'uninvited', 'added via Memory HR'],
      ['ceo@acme.test', 'uninvited', 'added via Memory HR'],
    ])
    expect(list[0]).toMatchObject({ action: 'invite', flags: { returning: false, hrEmailDiffers: false } })
    const integration = await t.call<Json>('GET', `/api/integrations/${integrationId}`)
    expect(integration.body).toMatchObject({ lastSyncStatus: 'succeeded', consecutiveFailures: 0 })
    expect(integration.body.nextSyncAt).not.toBeNull()
    const again = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(again.body.run.changes).toEqual([])
  })

  it('invite and accept: an invited user becomes active; only uninvited or returning users can be invited', async () => {
    const ann = await byEmail('ann@acme.test')
    const ceo = await byEmail('ceo@acme.test')
    const invited = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, {
      userIds: [ann!.id, ceo!.id],
    })
    expect(invited.status).toBe(201)
    expect(invited.body.invitations).toHaveLength(2)
    for (const invitation of invited.body.invitations) {
      const accepted = await t.runner.services.app.inject({
        method: 'POST',
        url: `/api/invitations/${invitation.token}/accept`,
      })
      expect(accepted.statusCode).toBe(200)
      expect(accepted.json()).toMatchObject({ status: 'active' })
    }
    expect((await byEmail('ann@acme.test'))!.status).toBe('active')
    const twice = await t.call('POST', `/api/companies/${companyId}/invitations`, { userIds: [ann!.id] })
    expect(twice.status).toBe(409)
    expect(twice.body.error).toMatchObject({ code: 'not_invitable' })
    const reused = await t.runner.services.app.inject({
      method: 'POST',
      url: `/api/invitations/${invited.body.invitations[0].token}/accept`,
    })
    expect(reused.statusCode).toBe(404)
  })

  it('manual users: created and deleted by an admin; synced users cannot be deleted', async () => {
    const created = await t.call<Json>('POST', `/api/companies/${companyId}/users`, {
      email: 'Founder@Acme.test',
      firstName: 'Fay',
      role: 'admin',
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      email: 'founder@acme.test',
      status: 'active',
      origin: 'manual',
      label: null,
    })
    const duplicate = await t.call('POST', `/api/companies/${companyId}/users`, {
      email: 'founder@acme.test',
    })
    expect(duplicate.status).toBe(409)
    const temp = await t.call<Json>('POST', `/api/companies/${companyId}/users`, { email: 'temp@acme.test' })
    expect((await t.call('DELETE', `/api/users/${temp.body.id}`)).status).toBe(204)
    const ann = await byEmail('ann@acme.test')
    const refused = await t.call('DELETE', `/api/users/${ann!.id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ code: 'user_managed_by_hr_sync' })
  })

  it('a leaver loses access: an active user is deactivated, an uninvited one removed', async () => {
    t.hr.hire({ remoteId: 'cat', managerRemoteId: 'ann' }, { remoteId: 'dan', managerRemoteId: 'ann' })
    await t.call('POST', `/api/integrations/${integrationId}/sync`)
    const cat = await byEmail('cat@acme.test')
    const invitation = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, {
      userIds: [cat!.id],
    })
    await t.runner.services.app.inject({
      method: 'POST',
      url: `/api/invitations/${invitation.body.invitations[0].token}/accept`,
    })
    t.hr.update('cat', { status: 'terminated', terminationDate: '2020-01-31' })
    t.hr.fire('dan')
    const { body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(body.run.status).toBe('succeeded')
    expect((await byEmail('cat@acme.test'))!.status).toBe('deactivated')
    expect(await byEmail('dan@acme.test')).toBeUndefined()
  })

  it('a failed pull changes nothing, is recorded with its reason and counted', async () => {
    const before = await users()
    t.hr.failing = 'Memory HR is down for maintenance'
    const { body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(body.run).toMatchObject({ status: 'failed', failure: 'Memory HR is down for maintenance' })
    expect(await users()).toEqual(before)
    const integration = await t.call<Json>('GET', `/api/integrations/${integrationId}`)
    expect(integration.body).toMatchObject({
      consecutiveFailures: 1,
      needsAttention: false,
      lastSyncStatus: 'failed',
    })
    t.hr.failing = null
  })

  it('a mass removal is held for an admin, then applied on approval', async () => {
    const extra = Array.from({ length: 10 }, (_, i) => ({ remoteId: `e${i}`, managerRemoteId: 'ceo' }))
    t.hr.hire(...extra)
    await t.call('POST', `/api/integrations/${integrationId}/sync`)
    const ids = (await users()).filter((u) => /^e\d@/.test(u.email)).map((u) => u.id)
    const invited = await t.call<Json>('POST', `/api/companies/${companyId}/invitations`, { userIds: ids })
    for (const invitation of invited.body.invitations) {
      await t.runner.services.app.inject({
        method: 'POST',
        url: `/api/invitations/${invitation.token}/accept`,
      })
    }
    t.hr.fire(...extra.slice(0, 6).map((p) => p.remoteId))
    const { body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(body.run.held).toHaveLength(6)
    expect((await byEmail('e0@acme.test'))!.status).toBe('active')
    const detail = await t.call<Json>('GET', `/api/runs/${body.run.id}`)
    expect(detail.body.held.every((h: Json) => h.reason === 'mass_removal' && h.decision === null)).toBe(true)
    const approved = await t.call<Json>('POST', `/api/runs/${body.run.id}/held/approve`)
    expect(approved.status).toBe(200)
    expect(approved.body.applied).toHaveLength(6)
    expect((await byEmail('e0@acme.test'))!.status).toBe('deactivated')
    const twice = await t.call('POST', `/api/runs/${body.run.id}/held/approve`)
    expect(twice.status).toBe(409)
    const runs = await t.call<Json>('GET', `/api/integrations/${integrationId}/runs`)
    expect(runs.body.runs[0]).toMatchObject({ trigger: 'approval', status: 'succeeded' })
  })

  it('team sync: preview, finish, synced teams refuse member edits, stop makes them ordinary', async () => {
    const ordinary = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
      name: 'Old finance team',
    })
    expect(ordinary.status).toBe(201)
    const preview = await t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/preview`)
    expect(preview.status).toBe(200)
    expect(preview.body.deletes).toEqual([{ teamId: ordinary.body.id, name: 'Old finance team' }])
    expect(preview.body.teams.map((team: Json) => team.name)).toContain("Ann Test's team")
    expect((await t.call<Json>('GET', `/api/integrations/${integrationId}`)).body.teamSync).toBe('setup')
    const founder = await byEmail('founder@acme.test')
    const finished = await t.call<Json>('POST', `/api/integrations/${integrationId}/team-sync/finish`, {
      unassignedReviewerUserId: founder!.id,
    })
    expect(finished.status).toBe(200)
    const teams = (await t.call<Json>('GET', `/api/companies/${companyId}/teams`)).body.teams as Json[]
    expect(teams.find((team) => team.id === ordinary.body.id)).toBeUndefined()
    const annTeam = teams.find((team) => team.name === "Ann Test's team")!
    expect(annTeam).toMatchObject({ kind: 'synced', reviewerUserId: (await byEmail('ann@acme.test'))!.id })
    expect(teams.find((team) => team.kind === 'unassigned')).toMatchObject({ reviewerUserId: founder!.id })
    const refused = await t.call('PATCH', `/api/teams/${annTeam.id}`, { memberUserIds: [founder!.id] })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toEqual({
      code: 'team_managed_by_hr_sync',
      message: 'Team sync is on: move people by changing their manager in Memory HR',
    })
    expect((await t.call('DELETE', `/api/teams/${annTeam.id}`)).status).toBe(409)
    const stopped = await t.call('POST', `/api/integrations/${integrationId}/team-sync/stop`)
    expect(stopped.status).toBe(200)
    const renamed = await t.call<Json>('PATCH', `/api/teams/${annTeam.id}`, { name: 'Renamed' })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ kind: 'ordinary', name: 'Renamed' })
  })

  it('disconnect: the preview lists the R7 outcomes, and disconnecting does exactly that', async () => {
    const preview = await t.call<Json>('GET', `/api/integrations/${integrationId}/disconnect-preview`)
    expect(preview.status).toBe(200)
    const ann = await byEmail('ann@acme.test')
    const bob = await byEmail('bob@acme.test')
    expect(preview.body.keep).toContainEqual({ userId: ann!.id, outcome: 'stays_active_unlinked' })
    expect(preview.body.remove).toContainEqual({ userId: bob!.id, outcome: 'removed' })
    const { status, body } = await t.call<Json>('DELETE', `/api/integrations/${integrationId}`)
    expect(status).toBe(200)
    expect(body.outcome.keep).toEqual(preview.body.keep)
    expect(await byEmail('ann@acme.test')).toMatchObject({ status: 'active', link: null, label: null })
    expect(await byEmail('bob@acme.test')).toBeUndefined()
    expect(await byEmail('founder@acme.test')).toMatchObject({ status: 'active' })
    const integration = await t.call<Json>('GET', `/api/integrations/${integrationId}`)
    expect(integration.body).toMatchObject({ status: 'disconnected', nextSyncAt: null })
    const sync = await t.call('POST', `/api/integrations/${integrationId}/sync`)
    expect(sync.status).toBe(409)
  })

  it('lists every applied change as an event', async () => {
    const { body } = await t.call<Json>('GET', `/api/companies/${companyId}/events?limit=1000`)
    const types = new Set((body.events as Json[]).map((event) => event.type))
    for (const type of [
      'company.created',
      'integration.connected',
      'user.created',
      'user.invited',
      'user.accepted',
      'user.deactivated',
      'user.removed',
      'sync.failed',
      'held_removals.approved',
      'team.deleted',
      'team.created',
      'team_sync.started',
      'team.converted',
      'team_sync.stopped',
      'user.unlinked',
      'integration.disconnected',
    ]) {
      expect(types, type).toContain(type)
    }
    const ids = (body.events as Json[]).map((event) => event.id)
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    const page = await t.call<Json>('GET', `/api/companies/${companyId}/events?after=${ids[2]}&limit=2`)
    expect(page.body.events.map((event: Json) => event.id)).toEqual(ids.slice(3, 5))
  })

  it('lists connectors with their config schema, secrets marked', async () => {
    const { body } = await t.call<Json>('GET', '/api/connectors')
    expect(body.connectors).toHaveLength(1)
    expect(body.connectors[0]).toMatchObject({
      id: 'memory',
      name: 'Memory HR',
      mode: 'pull',
      secretKeys: ['apiToken'],
    })
    expect(body.connectors[0].configSchema.properties.apiToken).toMatchObject({
      writeOnly: true,
      'x-hrsync-secret': true,
    })
  })

  it('serves health and the OpenAPI document', async () => {
    const health = await t.runner.services.app.inject({ method: 'GET', url: '/health' })
    expect(health.json()).toEqual({ status: 'up' })
    const details = await t.call('GET', '/api/health')
    expect(details.body).toMatchObject({ status: 'ok', plugins: { loaded: [{ id: 'memory' }], failed: [] } })
    const docs = await t.runner.services.app.inject({ method: 'GET', url: '/docs/json' })
    expect(docs.statusCode).toBe(200)
    const paths = Object.keys(docs.json().paths)
    expect(paths).toContain('/api/integrations/{id}/team-sync/finish')
    expect((await t.runner.services.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400)
  })

  it('never returns a secret', () => {
    expect(t.bodies.length).toBeGreaterThan(30)
    for (const body of t.bodies) expect(body).not.toContain(API_TOKEN)
  })
})

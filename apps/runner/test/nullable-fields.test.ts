import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTable } from '../src/api/auth.js'
import { type TestRunner, testRunner } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const HOOK_URL = 'https://hooks.example.com/x'

/** "METHOD url field" for every body field of every route that takes null. */
function nullableBodyFields(t: TestRunner): string[] {
  return routeTable(t.runner.services.app).flatMap((route) => {
    const body = route.schema?.body as { properties?: Record<string, { anyOf?: Json[] }> } | undefined
    return Object.entries(body?.properties ?? {})
      .filter(([, field]) => field.anyOf?.some((option) => option.type === 'null'))
      .map(([name]) => `${route.method} ${route.url} ${name}`)
  })
}

describe('issue 18 item 11: a JSON null sent for a nullable field stays null', () => {
  let t: TestRunner
  let companyId: string
  let integrationId: string

  beforeAll(async () => {
    t = await testRunner()
    companyId = (await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })).body.id
    t.hr.hire({ remoteId: 'ceo' }, { remoteId: 'ann', managerRemoteId: 'ceo' })
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: 'memory-token' },
    })
    integrationId = connected.body.integration.id
    expect((await t.call('POST', `/api/integrations/${integrationId}/sync`)).status).toBe(200)
  })
  afterAll(() => t?.close())

  /** Sends null to one nullable field and checks what was stored; keyed like nullableBodyFields. */
  const cases: Record<string, () => Promise<void>> = {
    'POST /api/companies/:companyId/users firstName': async () => {
      const created = await t.call<Json>('POST', `/api/companies/${companyId}/users`, {
        email: 'first@acme.test',
        firstName: null,
      })
      expect(created.status).toBe(201)
      expect(created.body.firstName).toBeNull()
      const users = (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users as Json[]
      expect(users.find((user) => user.email === 'first@acme.test')?.firstName).toBeNull()
    },
    'POST /api/companies/:companyId/users lastName': async () => {
      const created = await t.call<Json>('POST', `/api/companies/${companyId}/users`, {
        email: 'last@acme.test',
        lastName: null,
      })
      expect([created.status, created.body.lastName]).toEqual([201, null])
    },
    'POST /api/companies/:companyId/teams reviewerUserId': async () => {
      const created = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'No reviewer',
        reviewerUserId: null,
      })
      expect([created.status, created.body.reviewerUserId]).toEqual([201, null])
    },
    'PATCH /api/teams/:teamId reviewerUserId': async () => {
      const users = (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users as Json[]
      const team = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
        name: 'Reviewed',
        reviewerUserId: users[0]!.id,
      })
      const patched = await t.call<Json>('PATCH', `/api/teams/${team.body.id}`, { reviewerUserId: null })
      expect([patched.status, patched.body.reviewerUserId]).toEqual([200, null])
    },
    'POST /api/integrations/:id/team-sync/finish unassignedReviewerUserId': async () => {
      expect((await t.call('POST', `/api/integrations/${integrationId}/team-sync/preview`)).status).toBe(200)
      const finished = await t.call('POST', `/api/integrations/${integrationId}/team-sync/finish`, {
        unassignedReviewerUserId: null,
      })
      expect(finished.status).toBe(200)
      const teams = (await t.call<Json>('GET', `/api/companies/${companyId}/teams`)).body.teams as Json[]
      expect(teams.find((team) => team.kind === 'unassigned')?.reviewerUserId).toBeNull()
    },
    'PATCH /api/users/:userId keepAccessUntil': async () => {
      const users = (await t.call<Json>('GET', `/api/companies/${companyId}/users`)).body.users as Json[]
      const synced = users.find((user) => user.link?.integrationId === integrationId)!
      await t.call('POST', `/api/companies/${companyId}/invitations`, { userIds: [synced.id] })
      const graced = await t.call<Json>('PATCH', `/api/users/${synced.id}`, { keepAccessUntil: '2999-12-31' })
      expect([graced.status, graced.body.keepAccessUntil]).toEqual([200, '2999-12-31'])
      const ended = await t.call<Json>('PATCH', `/api/users/${synced.id}`, { keepAccessUntil: null })
      expect([ended.status, ended.body.keepAccessUntil]).toEqual([200, null])
    },
    'POST /api/keys companyId': async () => {
      const created = await t.call<Json>('POST', '/api/keys', { name: 'operator', companyId: null })
      expect([created.status, created.body.apiKey.kind, created.body.apiKey.companyId]).toEqual([
        201,
        'operator',
        null,
      ])
    },
    // the endpoints are deleted at once, so no delivery ever heads for the example host
    'POST /api/companies/:companyId/webhooks eventTypes': async () => {
      const webhooks = `/api/companies/${companyId}/webhooks`
      const created = await t.call<Json>('POST', webhooks, { url: HOOK_URL, eventTypes: null })
      expect([created.status, created.body.endpoint.eventTypes]).toEqual([201, null])
      const read = await t.call<Json>('GET', `${webhooks}/${created.body.endpoint.id}`)
      expect(read.body.eventTypes).toBeNull()
      expect((await t.call('DELETE', `${webhooks}/${created.body.endpoint.id}`)).status).toBe(200)
    },
    'PATCH /api/companies/:companyId/webhooks/:endpointId eventTypes': async () => {
      const webhooks = `/api/companies/${companyId}/webhooks`
      const created = await t.call<Json>('POST', webhooks, { url: HOOK_URL, eventTypes: ['user.created'] })
      const endpoint = `${webhooks}/${created.body.endpoint.id}`
      const patched = await t.call<Json>('PATCH', endpoint, { eventTypes: null })
      expect([patched.status, patched.body.eventTypes]).toEqual([200, null])
      expect((await t.call('DELETE', endpoint)).status).toBe(200)
    },
  }

  it('every nullable body field of every route has a case here', () => {
    expect(nullableBodyFields(t).sort()).toEqual(Object.keys(cases).sort())
  })

  it.each(Object.keys(cases))('%s: null is accepted and stored as null', async (field) => {
    await cases[field]!()
  })

  it('a reviewer or member that is not a user of the company is a 400, never a foreign key 500', async () => {
    for (const body of [
      { name: 'T', reviewerUserId: '' },
      { name: 'T', reviewerUserId: 'usr_missing' },
      { name: 'T', memberUserIds: [''] },
    ]) {
      const { status, body: answer } = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, body)
      expect(status, JSON.stringify(body)).toBe(400)
      expect(answer.error.code).toMatch(/^[a-z_]+$/)
    }
  })

  it('the path and query are still read as numbers and booleans', async () => {
    const runs = await t.call<Json>('GET', `/api/integrations/${integrationId}/runs?limit=1`)
    expect([runs.status, runs.body.runs.length]).toEqual([200, 1])
    const dry = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync?dryRun=true`)
    expect(dry.body.run.dryRun).toBe(true)
  })
})

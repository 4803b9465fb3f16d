import { createHash } from 'node:crypto'
import okta from '@hrsync/connector-okta'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routeTable } from '../src/api/auth.js'
import { claimDueIntegrations } from '../src/store/index.js'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('issue 20: keys, actors, company lifecycle and overrides, on %s', (engine) => {
  let t: TestRunner
  let clock = new Date('2025-06-16T10:00:00Z')
  const hr = new MemoryHr()

  beforeAll(async () => {
    const common = { connectors: [hr.connector, okta], now: () => clock }
    t = await testRunnerOn(engine, common)
  })
  afterAll(async () => {
    await t?.close()
  })

  const app = () => t.runner.services.app
  /** a call with a key of choice and, optionally, the acting app user */
  async function as(key: string, method: string, url: string, body?: unknown, actingUser?: string) {
    const response = await app().inject({
      method: method as 'GET',
      url,
      headers: {
        authorization: `Bearer ${key}`,
        ...(actingUser ? { 'hrsync-acting-user': actingUser } : {}),
      },
      ...(body === undefined ? {} : { payload: body as Json }),
    })
    return { status: response.statusCode, body: (response.body ? response.json() : {}) as Json }
  }
  const operator = (method: string, url: string, body?: unknown, actingUser?: string) =>
    as(t.runner.adminToken, method, url, body, actingUser)

  async function company(name: string, plan = 'advanced'): Promise<string> {
    const created = await operator('POST', '/api/companies', { name, plan, timeZone: 'Europe/Berlin' })
    expect(created.status).toBe(201)
    return created.body.id
  }
  async function connect(companyId: string): Promise<string> {
    const connected = await operator('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      autoApply: true,
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    expect(connected.status).toBe(201)
    return connected.body.integration.id
  }
  async function companyKey(companyId: string): Promise<string> {
    const created = await operator('POST', '/api/keys', { name: 'spend app', companyId })
    expect(created.status).toBe(201)
    return created.body.key
  }
  const users = async (companyId: string): Promise<Json[]> =>
    (await operator('GET', `/api/companies/${companyId}/users?limit=500`)).body.users
  const userOf = async (companyId: string, email: string) =>
    (await users(companyId)).find((user) => user.email === email)!
  /** a sync a minute after whatever happened before: runs are told apart by when they started */
  async function sync(integrationId: string): Promise<Json> {
    clock = new Date(clock.getTime() + 60_000)
    return (await operator('POST', `/api/integrations/${integrationId}/sync`)).body.run
  }

  it('§1 keys: an operator key creates a company key, shown once and stored only as its SHA-256', async () => {
    const acme = await company('Acme Keys')
    const created = await operator('POST', '/api/keys', { name: 'spend app, production', companyId: acme })
    expect(created.status).toBe(201)
    expect(created.body.key).toMatch(/^hrsync_co_[\w-]{43}$/)
    expect(created.body.apiKey).toMatchObject({ kind: 'company', companyId: acme, revokedAt: null })
    expect(created.body.key.startsWith(created.body.apiKey.prefix)).toBe(true)

    const listed = await operator('GET', `/api/keys?companyId=${acme}`)
    expect(listed.body.keys).toEqual([created.body.apiKey])
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key)
    const rows = await t.runner.services.db.query<Json>('SELECT * FROM api_keys WHERE id = $1', [
      created.body.apiKey.id,
    ])
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(created.body.key).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(created.body.key)

    const me = await as(created.body.key, 'GET', '/api/me')
    expect(me.body).toMatchObject({ key: { kind: 'company' }, companyId: acme })
    const op = await operator('GET', '/api/me')
    expect(op.body).toMatchObject({ key: { id: 'admin-token', kind: 'operator' }, companyId: null })

    const anotherOperator = await operator('POST', '/api/keys', { name: 'ops' })
    expect(anotherOperator.body.apiKey).toMatchObject({ kind: 'operator', companyId: null })
    expect((await as(anotherOperator.body.key, 'GET', '/api/companies')).status).toBe(200)
  })

  it('§1 keys: a company key sees its company only; every route naming another company answers 404 or 403', async () => {
    const mine = await company('Mine')
    const theirs = await company('Theirs')
    hr.people = []
    hr.hire({ remoteId: 'boss' }, { remoteId: 'ann', managerRemoteId: 'boss' })
    const integration = await connect(theirs)
    const run = await sync(integration)
    const team = await operator('POST', `/api/companies/${theirs}/teams`, { name: 'Ops' })
    const ids: Record<string, string> = {
      companyId: theirs,
      id: integration,
      runId: run.id,
      userId: (await users(theirs))[0]!.id,
      teamId: team.body.id,
      keyId: 'key_x',
      token: 'no-such-invitation',
    }
    const key = await companyKey(mine)

    const listed = await as(key, 'GET', '/api/companies')
    expect(listed.body.companies.map((one: Json) => one.id)).toEqual([mine])
    const missing = await as(key, 'GET', '/api/companies/cmp_missing')
    const other = await as(key, 'GET', `/api/companies/${theirs}`)
    expect(other).toEqual({
      status: 404,
      body: { error: { code: 'company_not_found', message: `No company with id ${theirs}` } },
    })
    expect(missing.body.error.code).toBe('company_not_found')

    for (const route of routeTable(app())) {
      if (route.access !== 'admin' || !/:\w+/.test(route.url)) continue
      const url = route.url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'x')
      const answer = await as(key, route.method, url, route.method === 'GET' ? undefined : {})
      expect([400, 403, 404], `${route.method} ${url}`).toContain(answer.status)
      expect(JSON.stringify(answer.body), `${route.method} ${url}`).not.toContain('ann@')
    }
    expect(
      (await as(key, 'POST', '/api/companies', { name: 'X', plan: 'advanced', timeZone: 'UTC' })).body.error
        .code,
    ).toBe('operator_key_required')
    expect((await as(key, 'GET', '/api/keys')).status).toBe(403)
    expect((await as(key, 'PATCH', `/api/companies/${mine}`, { plan: 'starter' })).status).toBe(403)
    // its own company works
    expect((await as(key, 'GET', `/api/companies/${mine}/users`)).status).toBe(200)
    // the connectors are the same for every caller: a company key connects its HR system from them
    const connectors = await as(key, 'GET', '/api/connectors')
    expect(connectors.status).toBe(200)
    expect(connectors.body.connectors.map((one: Json) => one.id)).toContain('memory')
  })

  it('§1 keys: a revoked key answers 401 at once; a key cannot revoke itself', async () => {
    const acme = await company('Revoked')
    const created = await operator('POST', '/api/keys', { name: 'old', companyId: acme })
    expect((await as(created.body.key, 'GET', '/api/me')).status).toBe(200)
    const revoked = await operator('DELETE', `/api/keys/${created.body.apiKey.id}`)
    expect(revoked.body.revokedAt).toEqual(expect.any(String))
    expect((await as(created.body.key, 'GET', '/api/me')).status).toBe(401)
    const op = await operator('POST', '/api/keys', { name: 'self' })
    const self = await as(op.body.key, 'DELETE', `/api/keys/${op.body.apiKey.id}`)
    expect(self).toMatchObject({ status: 409, body: { error: { code: 'own_key' } } })
    expect((await operator('DELETE', '/api/keys/key_missing')).status).toBe(404)
  })

  it('§1 actors: writes record the key and the acting app user; a bad header is refused', async () => {
    const acme = await company('Actors')
    const key = await companyKey(acme)
    const keyId = (await as(key, 'GET', '/api/me')).body.key.id
    const created = await as(
      key,
      'POST',
      `/api/companies/${acme}/users`,
      { email: 'zoe@acme.test' },
      'app-user-7',
    )
    expect(created.status).toBe(201)
    const events = (await operator('GET', `/api/companies/${acme}/events?type=user.created`)).body.events
    expect(events.at(-1).actor).toEqual({ keyId, userId: 'app-user-7' })
    const bad = await as(key, 'GET', '/api/me', undefined, 'two words')
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } })
  })

  it("§1 actors, R17: an admin's held removal is decided by another admin; the decision and the approval run record who", async () => {
    const acme = await company('Held')
    hr.people = []
    hr.hire({ remoteId: 'ana' }, { remoteId: 'ben' })
    for (const email of ['ana@acme.test', 'ben@acme.test']) {
      await operator('POST', `/api/companies/${acme}/users`, { email, role: 'admin', status: 'active' })
    }
    const integration = await connect(acme)
    await sync(integration)
    hr.fire('ana')
    const held = await sync(integration)
    expect(held.held).toHaveLength(1)
    const ana = (await userOf(acme, 'ana@acme.test')).id
    const ben = (await userOf(acme, 'ben@acme.test')).id

    const own = await operator('POST', `/api/runs/${held.id}/held/approve`, undefined, ana)
    expect(own).toMatchObject({ status: 403, body: { error: { code: 'own_removal' } } })
    expect((await userOf(acme, 'ana@acme.test')).status).toBe('active')

    const approved = await operator('POST', `/api/runs/${held.id}/held/approve`, undefined, ben)
    expect(approved.status).toBe(200)
    expect(approved.body.run.actor).toEqual({ keyId: 'admin-token', userId: ben })
    const detail = (await operator('GET', `/api/runs/${held.id}`)).body
    expect(detail.held[0]).toMatchObject({
      decision: 'approved',
      decidedBy: { keyId: 'admin-token', userId: ben },
    })
    const runs = (await operator('GET', `/api/integrations/${integration}/runs`)).body.runs
    // the run history shows who approved
    expect(runs.find((one: Json) => one.trigger === 'approval')).toMatchObject({ actor: { userId: ben } })
    expect(runs.find((one: Json) => one.trigger === 'manual')).toMatchObject({ actor: { userId: null } })
    const deactivated = (await operator('GET', `/api/companies/${acme}/events?type=user.deactivated`)).body
      .events
    expect(deactivated.at(-1).actor).toEqual({ keyId: 'admin-token', userId: ben })
  })

  it('§4 PATCH: a downgrade pauses syncs, the scheduler and SCIM writes; an upgrade resumes them', async () => {
    const acme = await company('Downgraded')
    hr.people = []
    hr.hire({ remoteId: 'ana' })
    const integration = await connect(acme)
    expect((await operator('PATCH', `/api/companies/${acme}`, { timeZone: 'Mars/Olympus' })).status).toBe(400)
    const down = await operator('PATCH', `/api/companies/${acme}`, {
      plan: 'essential',
      name: 'Downgraded Ltd',
    })
    expect(down.body).toMatchObject({ plan: 'essential', name: 'Downgraded Ltd', paused: 'plan' })
    expect((await operator('GET', `/api/companies/${acme}`)).body.paused).toBe('plan')
    const refused = await operator('POST', `/api/integrations/${integration}/sync`)
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'company_paused' } } })
    const db = t.runner.services.db
    const claimed = await claimDueIntegrations(
      db,
      new Date(clock.getTime() + 1),
      new Date(clock.getTime() + 60_000),
    )
    expect(claimed).not.toContain(integration)
    const paused = (await operator('GET', `/api/companies/${acme}/events?type=company.paused`)).body.events
    expect(paused).toHaveLength(1)

    const up = await operator('PATCH', `/api/companies/${acme}`, { plan: 'beyond' })
    expect(up.body.paused).toBeNull()
    expect(
      await claimDueIntegrations(db, new Date(clock.getTime() + 1), new Date(clock.getTime() + 60_000)),
    ).toContain(integration)
    expect((await operator('POST', `/api/integrations/${integration}/sync`)).status).toBe(200)
  })

  it('§4 DELETE: refused without the confirmation; with it, integrations are disconnected and the data erased', async () => {
    const acme = await company('Erased')
    hr.people = []
    hr.hire({ remoteId: 'ana' })
    const integration = await connect(acme)
    await sync(integration)
    const key = await companyKey(acme)
    expect((await operator('DELETE', `/api/companies/${acme}`, {})).status).toBe(400)
    const wrong = await operator('DELETE', `/api/companies/${acme}`, { confirm: 'Acme' })
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'confirmation_mismatch' } } })
    expect(await users(acme)).toHaveLength(1)

    const deleted = await operator('DELETE', `/api/companies/${acme}`, { confirm: 'Erased' })
    expect(deleted).toEqual({ status: 200, body: { deleted: true, disconnected: 1 } })
    expect((await operator('GET', `/api/companies/${acme}`)).status).toBe(404)
    expect((await as(key, 'GET', '/api/me')).status).toBe(401)
    const db = t.runner.services.db
    for (const table of ['users', 'teams', 'sync_runs', 'integrations', 'api_keys']) {
      const rows = await db.query(`SELECT 1 FROM ${table} WHERE company_id = $1`, [acme])
      expect(rows, table).toEqual([])
    }
    const left = await db.query<Json>('SELECT type FROM events WHERE company_id = $1', [acme])
    expect(left).toEqual([{ type: 'company.deleted' }])
  })

  it('§5 overrides: deactivated ahead of HR stays deactivated; HR gone is a no-op, HR active again gives no access back', async () => {
    const acme = await company('Override')
    hr.people = []
    hr.hire({ remoteId: 'ana' }, { remoteId: 'ben' }, { remoteId: 'cy' }, { remoteId: 'dee' })
    const integration = await connect(acme)
    await sync(integration)
    const ana = await userOf(acme, 'ana@acme.test')
    const invited = await operator('POST', `/api/companies/${acme}/invitations`, { userIds: [ana.id] })
    await app().inject({
      method: 'POST',
      url: `/api/invitations/${invited.body.invitations[0].token}/accept`,
    })

    const cut = await operator('PATCH', `/api/users/${ana.id}`, { status: 'deactivated' }, 'app-admin-1')
    expect(cut.status).toBe(200)
    expect(cut.body).toMatchObject({ status: 'deactivated', adminDeactivated: true, action: 'reactivate' })
    expect(cut.body.flags.returning).toBe(false)

    await sync(integration)
    expect(await userOf(acme, 'ana@acme.test')).toMatchObject({
      status: 'deactivated',
      adminDeactivated: true,
    })
    hr.update('ana', { status: 'terminated', terminationDate: '2025-06-01' })
    const gone = await sync(integration)
    expect(
      gone.changes.filter((change: Json) => change.userId === ana.id && change.kind !== 'update_person'),
    ).toEqual([])
    expect(gone.held).toEqual([])
    hr.update('ana', { status: 'active', terminationDate: null })
    await sync(integration)
    expect((await userOf(acme, 'ana@acme.test')).status).toBe('deactivated')

    const again = await operator('POST', `/api/companies/${acme}/invitations`, { userIds: [ana.id] })
    expect(again.status).toBe(201)
    expect(await userOf(acme, 'ana@acme.test')).toMatchObject({ status: 'invited', adminDeactivated: false })
    const events = (await operator('GET', `/api/companies/${acme}/events?type=user.deactivated`)).body.events
    expect(events[0]).toMatchObject({
      payload: { userId: ana.id, byAdmin: true },
      actor: { userId: 'app-admin-1' },
    })
  })

  it('§5 overrides: role changes keep the last active admin (R17)', async () => {
    const acme = await company('Roles')
    const ana = await operator('POST', `/api/companies/${acme}/users`, { email: 'ana@r.test', role: 'admin' })
    const ben = await operator('POST', `/api/companies/${acme}/users`, { email: 'ben@r.test' })
    const demote = await operator('PATCH', `/api/users/${ana.body.id}`, { role: 'member' })
    expect(demote).toMatchObject({ status: 409, body: { error: { code: 'last_admin' } } })
    const cut = await operator('PATCH', `/api/users/${ana.body.id}`, { status: 'deactivated' })
    expect(cut.body.error.code).toBe('last_admin')
    expect((await operator('PATCH', `/api/users/${ben.body.id}`, { role: 'admin' })).body.role).toBe('admin')
    expect((await operator('PATCH', `/api/users/${ana.body.id}`, { role: 'member' })).body.role).toBe(
      'member',
    )
    expect((await operator('PATCH', `/api/users/${ana.body.id}`, {})).status).toBe(400)
    expect((await operator('PATCH', `/api/users/usr_missing`, { role: 'admin' })).status).toBe(404)
  })

  it('§5 overrides: a leaver keeps access until the date, then the sync removes them', async () => {
    const acme = await company('Grace')
    hr.people = []
    const staff = ['ana', 'ben', 'cy', 'dee', 'eve'].map((remoteId) => ({ remoteId }))
    hr.hire(...staff)
    const integration = await connect(acme)
    await sync(integration)
    const ana = await userOf(acme, 'ana@acme.test')
    const invited = await operator('POST', `/api/companies/${acme}/invitations`, { userIds: [ana.id] })
    await app().inject({
      method: 'POST',
      url: `/api/invitations/${invited.body.invitations[0].token}/accept`,
    })

    expect((await operator('PATCH', `/api/users/${ana.id}`, { keepAccessUntil: '2025-06-01' })).status).toBe(
      400,
    )
    expect((await operator('PATCH', `/api/users/${ana.id}`, { keepAccessUntil: '2025-02-30' })).status).toBe(
      400,
    )
    const graced = await operator('PATCH', `/api/users/${ana.id}`, { keepAccessUntil: '2025-06-30' })
    expect(graced.body.keepAccessUntil).toBe('2025-06-30')

    hr.update('ana', { status: 'terminated', terminationDate: '2025-06-15' })
    const during = await sync(integration)
    expect(during.warnings).toContainEqual(expect.objectContaining({ code: 'access_kept_until' }))
    expect((await userOf(acme, 'ana@acme.test')).status).toBe('active')

    clock = new Date('2025-07-01T08:00:00Z')
    const after = await sync(integration)
    expect(after.changes).toContainEqual(expect.objectContaining({ kind: 'deactivate_user', userId: ana.id }))
    expect((await userOf(acme, 'ana@acme.test')).status).toBe('deactivated')
    clock = new Date('2025-06-16T10:00:00Z')
  })

  it('§5 overrides, R5: approving a removal held before a grace period was granted keeps the user through its date', async () => {
    const acme = await company('Grace after hold')
    hr.people = []
    hr.hire({ remoteId: 'ana' }, { remoteId: 'ben' })
    for (const email of ['ana@acme.test', 'ben@acme.test']) {
      await operator('POST', `/api/companies/${acme}/users`, { email, role: 'admin', status: 'active' })
    }
    const integration = await connect(acme)
    await sync(integration)
    hr.fire('ana')
    const held = await sync(integration)
    expect(held.held).toHaveLength(1)
    const ana = (await userOf(acme, 'ana@acme.test')).id
    const ben = (await userOf(acme, 'ben@acme.test')).id
    const graced = await operator('PATCH', `/api/users/${ana}`, { keepAccessUntil: '2025-06-30' }, ben)
    expect(graced.status).toBe(200)

    const approved = await operator('POST', `/api/runs/${held.id}/held/approve`, undefined, ben)
    expect(approved.status).toBe(200)
    expect(approved.body.applied).toEqual([])
    expect(approved.body.skipped).toEqual([
      expect.objectContaining({ userId: ana, reason: 'access_kept_until' }),
    ])
    expect((await userOf(acme, 'ana@acme.test')).status).toBe('active')
  })

  it('§4 SCIM: a paused company’s identity provider gets 403 with the reason on writes', async () => {
    const pushed = await company('Pushed')
    const scim = await operator('POST', `/api/companies/${pushed}/integrations`, {
      connector: 'okta',
      config: {},
    })
    const token = scim.body.scim.token
    await operator('PATCH', `/api/companies/${pushed}`, { plan: 'starter' })
    const write = await app().inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ana@p.test',
        active: true,
      },
    })
    expect(write.statusCode).toBe(403)
    expect(write.json().detail).toContain('is paused')
    const read = await app().inject({
      method: 'GET',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(read.statusCode).toBe(200)
    await operator('PATCH', `/api/companies/${pushed}`, { plan: 'advanced' })
    const resumed = await app().inject({
      method: 'POST',
      url: '/scim/v2/Users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      payload: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'ana@p.test',
        active: true,
      },
    })
    expect(resumed.statusCode).toBe(201)
  })
})

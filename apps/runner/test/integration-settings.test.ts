import { ConnectorError, defineConnector, type Employee, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimDueIntegrations, integrationConfig, resealConfigs } from '../src/store/index.js'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

const TOKEN = 'tenant-hr-token-8c1f4e'
const NEW_TOKEN = 'tenant-hr-token-d93a07'

/** An HR system holding one staff list per tenant: which tenant the settings name decides who is pulled. */
class TenantHr {
  tenants: Record<string, Employee[]> = {}
  /** the API token of every check and pull, to see which one the stored settings hold */
  tokensSeen: string[] = []

  readonly connector = defineConnector({
    id: 'tenant-hr',
    name: 'Tenant HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({
      tenant: Type.String({ minLength: 1 }),
      apiToken: Secret(Type.String({ minLength: 1 })),
      apiRoot: Type.Optional(Type.String({ pattern: '^https://' })),
    }),
    allowedHosts: ['*.tenant-hr.example'],
    baseUrl: (config) => config.apiRoot ?? 'https://api.tenant-hr.example',
    capabilities: {
      listEmployees: { includesTerminated: 'always', managerRef: 'none', statuses: [], incremental: false },
    },
    checkConnection: async (ctx) => {
      this.tokensSeen.push(ctx.config.apiToken)
      if (ctx.config.apiToken === 'wrong') {
        throw new ConnectorError('invalid_credentials', 'Tenant HR rejected the API token')
      }
      // the kit's client refuses a host outside allowedHosts before any request leaves
      if (ctx.config.apiRoot) await ctx.http.request({ url: '/ping' })
    },
    listEmployees: (ctx) => this.list(ctx.config.tenant, ctx.config.apiToken),
  })

  private async *list(tenant: string, token: string): AsyncIterable<Employee[]> {
    this.tokensSeen.push(token)
    yield this.tenants[tenant] ?? []
  }

  staff(tenant: string, ...remoteIds: string[]): void {
    this.tenants[tenant] = remoteIds.map((remoteId) =>
      employee({ remoteId, status: 'active', email: `${remoteId}@${tenant}.test`, firstName: remoteId }),
    )
  }
}

describe.each(engines)('changing an integration’s connection settings, on %s', (engine) => {
  let t: TestRunner
  const hr = new TenantHr()
  let clock = new Date('2025-06-16T10:00:00Z')
  const later = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000)
  }

  beforeAll(async () => {
    t = await testRunnerOn(engine, { connectors: [hr.connector], now: () => clock })
    hr.staff('acme', 'ceo', 'ann')
    hr.staff('globex', 'zed')
  })
  afterAll(async () => {
    await t?.close()
  })

  /** A call with `key` (the operator's by default), naming the app user who acts. */
  async function call(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
    { key = t.runner.adminToken, actingUser = 'app-admin-1' } = {},
  ): Promise<{ status: number; body: Json }> {
    const response = await t.runner.services.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, 'hrsync-acting-user': actingUser },
      ...(body === undefined ? {} : { payload: body as Json }),
    })
    t.bodies.push(response.body)
    return { status: response.statusCode, body: response.json() as Json }
  }

  /** A new company connected to Tenant HR's acme tenant, its first sync in review. */
  async function connect(): Promise<{ companyId: string; id: string }> {
    const company = await call('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })
    const connected = await call('POST', `/api/companies/${company.body.id}/integrations`, {
      connector: 'tenant-hr',
      config: { tenant: 'acme', apiToken: TOKEN },
    })
    expect(connected.body.integration).toMatchObject({ inReview: true })
    return { companyId: company.body.id, id: connected.body.integration.id }
  }

  const stored = (id: string) => integrationConfig(t.runner.services.db, t.runner.services.box, id)
  const configEvents = async (companyId: string): Promise<Json[]> =>
    (await call('GET', `/api/companies/${companyId}/events?limit=1000`)).body.events.filter(
      (event: Json) => event.type === 'integration.config_changed',
    )
  const planned = (review: Json) => review.run.changes.map((change: Json) => change.email).sort()

  it('during review: the new tenant is saved, the plan is outdated until planned again, and then is the new tenant’s', async () => {
    const { companyId, id } = await connect()
    const first = await call('POST', `/api/integrations/${id}/review`)
    expect(planned(first.body)).toEqual(['ann@acme.test', 'ceo@acme.test'])

    later(1)
    const changed = await call(
      'PATCH',
      `/api/integrations/${id}`,
      { config: { tenant: 'globex' } },
      {
        actingUser: 'app-admin-2',
      },
    )
    expect(changed.status).toBe(200)
    expect(changed.body.integration).toMatchObject({
      id,
      inReview: true,
      config: { tenant: 'globex', apiToken: '********' },
      configChangedAt: clock.toISOString(),
      // due again: the scheduler plans the first sync with the new settings, as after connecting
      nextSyncAt: clock.toISOString(),
    })
    const outdated = (await call('GET', `/api/integrations/${id}/review`)).body
    expect(outdated).toMatchObject({ inReview: true, planOutdated: true, run: { id: first.body.run.id } })
    expect(await configEvents(companyId)).toEqual([
      expect.objectContaining({
        integrationId: id,
        payload: { integrationId: id, connector: 'tenant-hr', changed: ['tenant'], inReview: true },
        actor: expect.objectContaining({ userId: 'app-admin-2' }),
      }),
    ])

    // the scheduler plans it again as after connecting; here an admin previews it at once
    expect(await claimDueIntegrations(t.runner.services.db, clock, clock)).toContain(id)
    later(1)
    const again = await call('POST', `/api/integrations/${id}/review`)
    expect(again.body.run).toMatchObject({ trigger: 'review', counts: { created: 1 } })
    const review = (await call('GET', `/api/integrations/${id}/review`)).body
    expect(review).toMatchObject({ planOutdated: false, run: { id: again.body.run.id } })
    expect(planned(review)).toEqual(['zed@globex.test'])
    later(60)
    expect(await claimDueIntegrations(t.runner.services.db, clock, clock)).not.toContain(id)
    // the token left out of the change is the one the pull used
    expect(hr.tokensSeen.at(-1)).toBe(TOKEN)
  })

  it('a secret left out or sent back masked keeps its value, one given replaces it; neither is ever answered', async () => {
    const { companyId, id } = await connect()

    const masked = await call('PATCH', `/api/integrations/${id}`, {
      config: { tenant: 'acme', apiToken: '********' },
    })
    expect(masked.status).toBe(200)
    expect(await stored(id)).toEqual({ tenant: 'acme', apiToken: TOKEN })
    // nothing differs: nothing is saved, no event, the review plan stands
    expect(masked.body.integration.configChangedAt).toBeNull()
    expect(await configEvents(companyId)).toEqual([])

    const kept = await call('PATCH', `/api/integrations/${id}`, { config: { tenant: 'globex' } })
    expect(kept.status).toBe(200)
    expect(await stored(id)).toEqual({ tenant: 'globex', apiToken: TOKEN })

    const replaced = await call('PATCH', `/api/integrations/${id}`, {
      config: { tenant: 'globex', apiToken: NEW_TOKEN },
    })
    expect(replaced.status).toBe(200)
    expect(replaced.body.integration.config).toEqual({ tenant: 'globex', apiToken: '********' })
    expect(await stored(id)).toEqual({ tenant: 'globex', apiToken: NEW_TOKEN })
    // the connection check ran with the new token before it was saved
    expect(hr.tokensSeen.at(-1)).toBe(NEW_TOKEN)

    const events = await configEvents(companyId)
    expect(events.map((event) => event.payload.changed)).toEqual([['tenant'], ['apiToken']])
    const answered = [...t.bodies, JSON.stringify(events)].join('\n')
    expect(answered).not.toContain(TOKEN)
    expect(answered).not.toContain(NEW_TOKEN)
  })

  it('a refused change changes nothing: 400 naming the field, 422 from the connection check', async () => {
    const { companyId, id } = await connect()
    const before = (await call('GET', `/api/integrations/${id}`)).body

    const refusals: Array<[unknown, number, string, string]> = [
      [{ config: { apiToken: 'another' } }, 400, 'invalid_config', 'config.tenant is required'],
      [
        { config: { tenant: 'acme', apiRoot: 'http://acme.tenant-hr.example' } },
        400,
        'invalid_config',
        'config.apiRoot',
      ],
      [{}, 400, 'invalid_request', 'body.config is required'],
      [
        { config: { tenant: 'acme' }, autoApply: true },
        400,
        'invalid_request',
        'body.autoApply is not a known field',
      ],
      [{ config: 'acme' }, 400, 'invalid_request', 'body.config'],
      [
        { config: { tenant: 'globex', apiToken: 'wrong' } },
        422,
        'invalid_credentials',
        'rejected the API token',
      ],
      [
        { config: { tenant: 'acme', apiRoot: 'https://tenant-hr.attacker.example' } },
        422,
        'host_not_allowed',
        'Refusing to call tenant-hr.attacker.example',
      ],
    ]
    for (const [body, status, code, message] of refusals) {
      const refused = await call('PATCH', `/api/integrations/${id}`, body)
      expect(refused, JSON.stringify(body)).toMatchObject({ status, body: { error: { code } } })
      expect(refused.body.error.message).toContain(message)
    }

    expect(await stored(id)).toEqual({ tenant: 'acme', apiToken: TOKEN })
    expect((await call('GET', `/api/integrations/${id}`)).body).toEqual(before)
    expect(await configEvents(companyId)).toEqual([])
  })

  it('a company key changes its own integration and gets 404 for another company’s; an unknown one is 404', async () => {
    const mine = await connect()
    const theirs = await connect()
    const key = (await call('POST', '/api/keys', { name: 'spend app', companyId: mine.companyId })).body.key

    const foreign = await call(
      'PATCH',
      `/api/integrations/${theirs.id}`,
      { config: { tenant: 'globex' } },
      { key },
    )
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'integration_not_found' } } })
    expect(await stored(theirs.id)).toEqual({ tenant: 'acme', apiToken: TOKEN })
    const unknown = await call('PATCH', '/api/integrations/int_missing', { config: { tenant: 'globex' } })
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'integration_not_found' } } })

    const own = await call('PATCH', `/api/integrations/${mine.id}`, { config: { tenant: 'globex' } }, { key })
    expect(own.status).toBe(200)
    const events = await configEvents(mine.companyId)
    expect(events[0]?.actor).toMatchObject({ keyId: expect.stringMatching(/^key_/), userId: 'app-admin-1' })
  })

  it('while a sync or another change of the integration runs, a change answers 409 and waits for nothing', async () => {
    const { id } = await connect()
    let finish!: () => void
    const held = new Promise<void>((done) => {
      finish = done
    })
    const running = t.runner.services.locks.exclusive(id, () => held)

    const busy = await call('PATCH', `/api/integrations/${id}`, { config: { tenant: 'globex' } })
    expect(busy).toMatchObject({ status: 409, body: { error: { code: 'sync_in_progress' } } })
    expect(await stored(id)).toEqual({ tenant: 'acme', apiToken: TOKEN })

    finish()
    await running
    expect((await call('PATCH', `/api/integrations/${id}`, { config: { tenant: 'globex' } })).status).toBe(
      200,
    )
  })

  it('settings this runner cannot unseal are replaced whole, every secret given again, and lose their attention mark', async () => {
    const { id } = await connect()
    const { db, box } = t.runner.services
    await db.query('UPDATE integrations SET config_encrypted = $2 WHERE id = $1', [
      id,
      'v1.0badkey0.aaaa.bbbb.cccc',
    ])
    await resealConfigs(db, box)
    expect((await call('GET', `/api/integrations/${id}`)).body).toMatchObject({ needsAttention: true })

    const withoutSecret = await call('PATCH', `/api/integrations/${id}`, { config: { tenant: 'acme' } })
    expect(withoutSecret).toMatchObject({ status: 400, body: { error: { code: 'invalid_config' } } })
    expect(withoutSecret.body.error.message).toContain('config.apiToken is required')

    const whole = await call('PATCH', `/api/integrations/${id}`, {
      config: { tenant: 'acme', apiToken: NEW_TOKEN },
    })
    expect(whole.status).toBe(200)
    expect(whole.body.integration).toMatchObject({ needsAttention: false, attentionReason: null })
    expect(await stored(id)).toEqual({ tenant: 'acme', apiToken: NEW_TOKEN })
  })
})

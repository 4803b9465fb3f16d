import { employee } from '@hrsync/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  appendEvents,
  applyChanges,
  claimDueIntegrations,
  createCompany,
  createIntegration,
  createSecretBox,
  generateKey,
  getIntegration,
  insertRun,
  insertUser,
  integrationConfig,
  listEvents,
  listRuns,
  listTeams,
  listUsers,
  loadDirectory,
  migrate,
  NEEDS_ATTENTION_AFTER,
  nextPendingDelivery,
  recordSyncFailure,
  recordSyncSuccess,
  resealConfigs,
} from '../src/store/index.js'
import {
  countStatements,
  ENGINES,
  openTestDatabase,
  postgresReachable,
  type TestDatabase,
} from './support/databases.js'

const person = (remoteId: string) => {
  const e = employee({ remoteId, status: 'active', email: `${remoteId}@acme.test` })
  return {
    status: e.status,
    hrEmail: e.email,
    firstName: e.firstName,
    lastName: e.lastName,
    department: e.department,
    jobTitle: e.jobTitle,
    managerRemoteId: e.managerRemoteId,
    startDate: e.startDate,
    terminationDate: e.terminationDate,
  }
}

describe.each(ENGINES)('store on %s', (engine) => {
  let test: TestDatabase | undefined
  const boxKey = generateKey()
  const box = createSecretBox(boxKey)

  beforeAll(async () => {
    if (engine === 'postgres' && !(await postgresReachable())) return
    test = await openTestDatabase(engine)
  })
  afterAll(async () => {
    await test?.close()
  })

  const db = () => {
    if (!test) return null
    return test.db
  }

  /** A company of `plan` with a pull integration of the memory connector, not scheduled. */
  const memoryIntegration = async (name: string, plan: 'advanced' | 'beyond' = 'advanced') => {
    const company = await createCompany(db()!, { name, plan, timeZone: 'UTC' })
    const integration = await createIntegration(db()!, box, {
      companyId: company.id,
      connectorId: 'memory',
      mode: 'pull',
      config: {},
      nextSyncAt: null,
    })
    return { company, integration }
  }

  it('migrations run once and are recorded', async (ctx) => {
    if (!db()) return ctx.skip()
    expect(await migrate(db()!)).toEqual([])
    const rows = await db()!.query<{ name: string }>('SELECT name FROM schema_migrations')
    expect(rows.map((r) => r.name)).toContain('0001_initial.sql')
  })

  it('keeps a company, an integration with an encrypted config, and one connected integration per company', async (ctx) => {
    if (!db()) return ctx.skip()
    const company = await createCompany(db()!, { name: 'Acme', plan: 'advanced', timeZone: 'Europe/Berlin' })
    const integration = await createIntegration(db()!, box, {
      companyId: company.id,
      connectorId: 'memory',
      mode: 'pull',
      config: { tenant: 'acme', apiToken: 's3cret' },
      nextSyncAt: new Date(),
    })
    const [raw] = await db()!.query<{ config_encrypted: string }>(
      'SELECT config_encrypted FROM integrations WHERE id = $1',
      [integration.id],
    )
    expect(raw!.config_encrypted).not.toContain('s3cret')
    expect(await integrationConfig(db()!, box, integration.id)).toEqual({
      tenant: 'acme',
      apiToken: 's3cret',
    })
    await expect(
      createIntegration(db()!, box, {
        companyId: company.id,
        connectorId: 'memory',
        mode: 'pull',
        config: {},
        nextSyncAt: null,
      }),
    ).rejects.toThrow()
  })

  it('counts failures and marks an integration as needing attention after 8 in a row; success resets', async (ctx) => {
    if (!db()) return ctx.skip()
    const { integration } = await memoryIntegration('Failing', 'beyond')
    let current = integration
    for (let i = 0; i < NEEDS_ATTENTION_AFTER; i++) {
      current = await recordSyncFailure(db()!, integration.id, 'HR system unreachable', new Date(), null)
      expect(current.needsAttention).toBe(i === NEEDS_ATTENTION_AFTER - 1)
    }
    expect(current.attentionReason).toBe('HR system unreachable')
    await recordSyncSuccess(db()!, integration.id, new Date(), null)
    const reset = await getIntegration(db()!, integration.id)
    expect(reset).toMatchObject({ consecutiveFailures: 0, needsAttention: false, attentionReason: null })
  })

  it('applies a plan in one transaction: users, teams and one event per change', async (ctx) => {
    if (!db()) return ctx.skip()
    const { company, integration } = await memoryIntegration('Teams')
    const context = { companyId: company.id, integrationId: integration.id, cause: { runId: 'run_x' } }
    const { applied, events } = await db()!.transaction(async (tx) => {
      const result = await applyChanges(
        tx,
        [
          {
            kind: 'create_user',
            newUserKey: `${integration.id}:1`,
            remoteId: '1',
            email: 'ann@acme.test',
            firstName: 'Ann',
            lastName: 'Lee',
            person: person('1'),
          },
          {
            kind: 'create_user',
            newUserKey: `${integration.id}:2`,
            remoteId: '2',
            email: 'bob@acme.test',
            firstName: 'Bob',
            lastName: 'Ray',
            person: person('2'),
          },
          {
            kind: 'create_team',
            key: '1',
            name: "Ann Lee's team",
            reviewer: { newUserKey: `${integration.id}:1` },
            members: [{ newUserKey: `${integration.id}:2` }],
          },
        ],
        context,
      )
      await appendEvents(tx, result.events, false)
      return result
    })
    expect(applied.map((c) => c.kind)).toEqual(['create_user', 'create_user', 'create_team'])
    expect(events.map((e) => e.type)).toEqual(['user.created', 'user.created', 'team.created'])
    const users = await listUsers(db()!, company.id)
    expect(users.map((u) => [u.email, u.status, u.link?.remoteId])).toEqual([
      ['ann@acme.test', 'uninvited', '1'],
      ['bob@acme.test', 'uninvited', '2'],
    ])
    const [team] = await listTeams(db()!, company.id)
    expect(team).toMatchObject({ kind: 'synced', key: '1', reviewerUserId: users[0]!.id })
    expect(team!.memberUserIds).toEqual([users[1]!.id])
    const directory = await loadDirectory(db()!, company.id)
    expect(directory.users).toHaveLength(2)
    expect((await listEvents(db()!, company.id)).map((e) => e.payload.runId)).toEqual([
      'run_x',
      'run_x',
      'run_x',
    ])
  })

  it('writes a run of record updates and of renames in one statement each; a user listed twice keeps the last', async (ctx) => {
    if (!db()) return ctx.skip()
    const { company, integration } = await memoryIntegration('Updates')
    const context = { companyId: company.id, integrationId: integration.id, cause: { runId: 'run_u' } }
    const ids = ['1', '2', '3'].map((remoteId) => ({
      kind: 'create_user' as const,
      newUserKey: `${integration.id}:${remoteId}`,
      remoteId,
      email: `p${remoteId}@acme.test`,
      firstName: `P${remoteId}`,
      lastName: 'Old',
      person: person(remoteId),
    }))
    const { applied } = await db()!.transaction((tx) => applyChanges(tx, ids, context))
    const [one, two, three] = applied.map((change) => change.userId!)
    let statements = 0
    const { events } = await db()!.transaction(async (tx) => {
      const counting = countStatements(tx)
      const result = await applyChanges(
        counting.q,
        [
          { kind: 'update_person', userId: one!, person: { ...person('1'), jobTitle: 'CFO' } },
          { kind: 'update_person', userId: two!, person: { ...person('2'), jobTitle: 'CTO' } },
          { kind: 'update_person', userId: one!, person: { ...person('1'), jobTitle: 'CEO' } },
          { kind: 'update_name', userId: two!, firstName: 'Bo', lastName: 'New' },
          { kind: 'update_name', userId: three!, firstName: null, lastName: 'New' },
        ],
        context,
      )
      statements = counting.statements
      return result
    })
    expect(statements).toBe(2)
    expect(events.map((event) => event.type)).toEqual([
      'user.hr_record_updated',
      'user.hr_record_updated',
      'user.hr_record_updated',
      'user.renamed',
      'user.renamed',
    ])
    const users = await listUsers(db()!, company.id)
    const byId = new Map(users.map((user) => [user.id, user]))
    expect(byId.get(one!)?.person?.jobTitle).toBe('CEO')
    expect(byId.get(two!)?.person?.jobTitle).toBe('CTO')
    expect([byId.get(two!)?.firstName, byId.get(two!)?.lastName]).toEqual(['Bo', 'New'])
    expect([byId.get(three!)?.firstName, byId.get(three!)?.lastName]).toEqual([null, 'New'])
    expect([byId.get(one!)?.firstName, byId.get(one!)?.lastName]).toEqual(['P1', 'Old'])
  })

  it('rolls a failed apply back entirely', async (ctx) => {
    if (!db()) return ctx.skip()
    const company = await createCompany(db()!, { name: 'Rollback', plan: 'advanced', timeZone: 'UTC' })
    await expect(
      db()!.transaction(async (tx) => {
        await insertUser(tx, {
          companyId: company.id,
          email: 'x@acme.test',
          firstName: null,
          lastName: null,
          status: 'active',
          origin: 'manual',
        })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await listUsers(db()!, company.id)).toEqual([])
  })

  it('records runs and keeps a webhook outbox in event order', async (ctx) => {
    if (!db()) return ctx.skip()
    const { company, integration } = await memoryIntegration('Runs')
    const now = new Date().toISOString()
    await insertRun(db()!, {
      integrationId: integration.id,
      companyId: company.id,
      trigger: 'manual',
      status: 'failed',
      dryRun: false,
      startedAt: now,
      finishedAt: now,
      counts: {},
      changes: [],
      warnings: [],
      failure: 'HR system unreachable',
    })
    expect((await listRuns(db()!, integration.id))[0]).toMatchObject({
      status: 'failed',
      failure: 'HR system unreachable',
    })
    const [first] = await appendEvents(
      db()!,
      [
        { companyId: company.id, integrationId: null, type: 'a', payload: {} },
        { companyId: company.id, integrationId: null, type: 'b', payload: {} },
      ],
      true,
    )
    const pending = await nextPendingDelivery(db()!)
    expect(pending?.event.id).toBeLessThanOrEqual(first!.id)
  })

  it('claims each due integration once, however many schedulers ask', async (ctx) => {
    if (!db()) return ctx.skip()
    const company = await createCompany(db()!, { name: 'Due', plan: 'advanced', timeZone: 'UTC' })
    const integration = await createIntegration(db()!, box, {
      companyId: company.id,
      connectorId: 'memory',
      mode: 'pull',
      config: {},
      nextSyncAt: new Date(Date.now() - 1000),
    })
    const lease = new Date(Date.now() + 60_000)
    const claims = await Promise.all([1, 2, 3].map(() => claimDueIntegrations(db()!, new Date(), lease)))
    expect(claims.flat().filter((id) => id === integration.id)).toHaveLength(1)
  })

  it('re-encrypts configs sealed with a previous key', async (ctx) => {
    if (!db()) return ctx.skip()
    const oldKey = generateKey()
    const company = await createCompany(db()!, { name: 'Rotate', plan: 'advanced', timeZone: 'UTC' })
    const integration = await createIntegration(db()!, createSecretBox(oldKey), {
      companyId: company.id,
      connectorId: 'memory',
      mode: 'pull',
      config: { apiToken: 'rotate-me' },
      nextSyncAt: null,
    })
    const newKey = generateKey()
    const rotating = createSecretBox(newKey, [oldKey, boxKey])
    expect((await resealConfigs(db()!, rotating)).resealed).toBeGreaterThanOrEqual(1)
    expect(await integrationConfig(db()!, createSecretBox(newKey), integration.id)).toEqual({
      apiToken: 'rotate-me',
    })
    await expect(integrationConfig(db()!, createSecretBox(oldKey), integration.id)).rejects.toThrow(
      /unknown key/,
    )
  })
})

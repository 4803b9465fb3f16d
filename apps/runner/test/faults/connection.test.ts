import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from '../support/databases.js'
import { type TestRunner, testRunner } from '../support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>
const PEOPLE = 3000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const postgres = await postgresReachable()

describe.skipIf(!postgres)('the PostgreSQL connection drops during a sync', () => {
  let schema: string | null = null
  let t: TestRunner
  let admin: pg.Client
  const appName = `hrsync_fault_${Math.random().toString(36).slice(2, 10)}`

  beforeAll(async () => {
    schema = freshSchema()
    const url = new URL(POSTGRES_URL)
    url.searchParams.set('application_name', appName)
    t = await testRunner({
      inMemory: false,
      databaseUrl: url.toString(),
      databaseSchema: schema,
      secretKey: Buffer.alloc(32, 7).toString('base64'),
      adminToken: 'fault-admin-token-0123456789abcdef0123',
    })
    admin = new pg.Client({ connectionString: POSTGRES_URL })
    await admin.connect()
  })
  /** The company's users, following nextCursor: the list answers 100 a page by default. */
  const everyUser = async (companyId: string): Promise<Json[]> => {
    const users: Json[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `?limit=500&cursor=${encodeURIComponent(cursor)}` : '?limit=500'
      const page = await t.call<Json>('GET', `/api/companies/${companyId}/users${query}`)
      users.push(...page.body.users)
      cursor = page.body.nextCursor
    } while (cursor)
    return users
  }

  afterAll(async () => {
    if (!schema) return
    await t.close()
    await admin.end()
    await dropSchema(schema)
  })

  it('the transaction is rolled back and run again: nothing lost, nothing twice', async () => {
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    const companyId = company.body.id
    t.hr.hire(...Array.from({ length: PEOPLE }, (_, i) => ({ remoteId: `p${i}` })))
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: 'token' },
    })
    const integrationId = connected.body.integration.id

    const syncing = t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    // the runner's connection in the middle of writing the new users is terminated from outside
    let terminated = false
    for (let i = 0; i < 400 && !terminated; i++) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE application_name = $1 AND backend_xid IS NOT NULL AND query ILIKE 'INSERT INTO users%'`,
        [appName],
      )
      for (const { pid } of rows) {
        await admin.query('SELECT pg_terminate_backend($1)', [pid])
        terminated = true
      }
      if (!terminated) await sleep(10)
    }
    expect(terminated).toBe(true)
    // the transaction was rolled back by the server and run again on a fresh connection
    const { status, body } = await syncing
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at /)
    expect(status).toBe(200)
    expect(body.run).toMatchObject({ status: 'succeeded', failure: null })

    // nothing lost, nothing twice: every person once, one created event each, one run
    const users = await everyUser(companyId)
    expect(users).toHaveLength(PEOPLE)
    expect(new Set(users.map((user: Json) => user.email)).size).toBe(PEOPLE)
    const [created] = await t.runner.services.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type = 'user.created' AND company_id = $1`,
      [companyId],
    )
    expect(created?.n).toBe(PEOPLE)
    const runs = (await t.call<Json>('GET', `/api/integrations/${integrationId}/runs`)).body.runs
    expect(runs).toHaveLength(1)

    // and the next sync finds nothing to do
    const again = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(again.body.run).toMatchObject({ status: 'succeeded', changes: [] })
  })
})

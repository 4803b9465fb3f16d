import { defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { API_TOKEN } from './support/runner.js'

/** An HR system of three pages of two people that says it holds six, and waits for the test after each page. */
function slowHr() {
  let release: () => void = () => {}
  const pageRead = vi.fn()
  const connector = defineConnector({
    id: 'slow',
    name: 'Slow HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({ apiToken: Secret(Type.String({ minLength: 1 })) }),
    allowedHosts: ['example.test'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'remoteId',
        statuses: [],
        incremental: false,
      },
    },
    checkConnection: async () => {},
    async *listEmployees() {
      for (let page = 0; page < 3; page++) {
        const people = [0, 1].map((i) => {
          const id = `p${page * 2 + i}`
          return employee({
            remoteId: id,
            status: 'active',
            email: `${id}@acme.test`,
            firstName: id,
            lastName: 'T',
          })
        })
        const next = new Promise<void>((resolve) => {
          release = resolve
        })
        yield { employees: people, total: 6 }
        pageRead(page + 1)
        await next
      }
    },
  })
  return { connector, pageRead, next: () => release() }
}

const pgReachable = await postgresReachable()
const runners: Runner[] = []
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()))
})

async function start(hr: ReturnType<typeof slowHr>, store: Record<string, unknown>): Promise<Runner> {
  const runner = await startRunner({
    listen: false,
    scheduler: false,
    discoverPlugins: false,
    connectors: [hr.connector],
    logger: false,
    env: {},
    ...store,
  })
  runners.push(runner)
  return runner
}

async function call(runner: Runner, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await runner.services.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${runner.adminToken}` },
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  })
  return response.json()
}

async function connect(runner: Runner): Promise<string> {
  const company = await call(runner, 'POST', '/api/companies', {
    name: 'Acme',
    plan: 'advanced',
    timeZone: 'UTC',
  })
  const connected = await call(runner, 'POST', `/api/companies/${company.id}/integrations`, {
    connector: 'slow',
    config: { apiToken: API_TOKEN },
    autoApply: true,
  })
  return connected.integration.id
}

describe('issue 24: progress of a running sync', () => {
  it('the integration shows pages and people so far, of how many the vendor said, and nothing once done', async () => {
    const hr = slowHr()
    const runner = await start(hr, { inMemory: true })
    const id = await connect(runner)
    expect((await call(runner, 'GET', `/api/integrations/${id}`)).progress).toBeNull()

    const sync = call(runner, 'POST', `/api/integrations/${id}/sync`)
    await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(1))
    const during = await call(runner, 'GET', `/api/integrations/${id}`)
    expect(during.syncing).toBe(true)
    expect(during.progress).toEqual({ pages: 1, people: 2, totalPeople: 6, startedAt: expect.any(String) })

    hr.next()
    await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(2))
    expect((await call(runner, 'GET', `/api/integrations/${id}`)).progress).toMatchObject({
      pages: 2,
      people: 4,
    })

    hr.next()
    await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(3))
    hr.next()
    expect((await sync).run.status).toBe('succeeded')
    const after = await call(runner, 'GET', `/api/integrations/${id}`)
    expect(after).toMatchObject({ syncing: false, progress: null })
  })

  it.skipIf(!pgReachable)(
    'another replica sharing PostgreSQL shows the progress the running one wrote',
    async () => {
      const hr = slowHr()
      const schema = freshSchema()
      const store = {
        databaseUrl: POSTGRES_URL,
        databaseSchema: schema,
        secretKey: Buffer.alloc(32, 7).toString('base64'),
        adminToken: 'progress-admin-token-0123456789abcdef0123',
      }
      try {
        const running = await start(hr, store)
        const other = await start(hr, store)
        const id = await connect(running)
        const sync = call(running, 'POST', `/api/integrations/${id}/sync`)
        await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(1))
        // written at most once a second, the last change always: the other replica sees page 1 soon
        await vi.waitFor(
          async () =>
            expect((await call(other, 'GET', `/api/integrations/${id}`)).progress).toMatchObject({
              pages: 1,
              people: 2,
              totalPeople: 6,
            }),
          { timeout: 5000 },
        )
        expect((await call(other, 'GET', `/api/integrations/${id}`)).syncing).toBe(true)
        hr.next()
        await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(2))
        hr.next()
        await vi.waitFor(() => expect(hr.pageRead).toHaveBeenCalledWith(3))
        hr.next()
        await sync
        expect(await call(other, 'GET', `/api/integrations/${id}`)).toMatchObject({
          syncing: false,
          progress: null,
        })
      } finally {
        await Promise.all(runners.splice(0).map((runner) => runner.close()))
        await dropSchema(schema)
      }
    },
  )
})

import type { Runner, RunnerOptions } from '../../src/runner.js'
import { startRunner } from '../../src/runner.js'
import { generateKey } from '../../src/store/index.js'
import { dropSchema, type Engine, freshSchema, POSTGRES_URL } from './databases.js'
import { MemoryHr } from './memory-connector.js'

export const API_TOKEN = 'memory-api-token-5ec2e7'

export interface TestRunner {
  runner: Runner
  hr: MemoryHr
  /** every response body seen, to prove no secret ever leaves */
  bodies: string[]
  call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>
  close(): Promise<void>
}

/** A runner on an in-memory database with the memory connector, called through fastify.inject. */
export async function testRunner(options: RunnerOptions = {}): Promise<TestRunner> {
  const hr = new MemoryHr()
  const runner = await startRunner({
    inMemory: true,
    listen: false,
    scheduler: false,
    discoverPlugins: false,
    connectors: [hr.connector],
    logger: false,
    env: {},
    ...options,
  })
  const bodies: string[] = []
  return {
    runner,
    hr,
    bodies,
    async call(method, url, body) {
      const response = await runner.services.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${runner.adminToken}` },
        ...(body === undefined ? {} : { payload: applyingAtOnce(method, url, body) }),
      })
      bodies.push(response.body)
      return { status: response.statusCode, body: response.body ? response.json() : ({} as never) }
    },
    close: () => runner.close(),
  }
}

/**
 * A test runner on `engine`: the embedded database in memory, or PostgreSQL in a schema of its own
 * with its own keys, dropped when the runner is closed.
 */
export async function testRunnerOn(engine: Engine, options: RunnerOptions = {}): Promise<TestRunner> {
  if (engine === 'pglite') return testRunner(options)
  const schema = freshSchema()
  const t = await testRunner({
    ...options,
    databaseUrl: POSTGRES_URL,
    databaseSchema: schema,
    secretKey: generateKey(),
    adminToken: `hrsync_admin_${generateKey()}`,
  })
  return {
    ...t,
    async close() {
      await t.close()
      await dropSchema(schema)
    },
  }
}

const CONNECT = /^\/api\/companies\/[^/?]+\/integrations$/

/**
 * Issue 20 §6: a pull integration starts in review. Tests connect to sync at once, so a connection
 * that says nothing applies its first sync (`autoApply`); the review has tests of its own.
 */
function applyingAtOnce(method: string, url: string, body: unknown): Record<string, unknown> {
  const fields = body as Record<string, unknown>
  const connecting = method === 'POST' && CONNECT.test(url) && typeof body === 'object' && body !== null
  return connecting && !Array.isArray(body) && !('autoApply' in fields)
    ? { ...fields, autoApply: true }
    : fields
}

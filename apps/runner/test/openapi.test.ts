import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestRunner, testRunner } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk an arbitrary JSON document
type Json = Record<string, any>

// Every route of the admin API table in the design, as OpenAPI spells its path.
const ADMIN_ROUTES = [
  'GET /health',
  'GET /api/health',
  'GET /api/connectors',
  'POST /api/companies',
  'GET /api/companies',
  'GET /api/companies/{companyId}',
  'POST /api/companies/{companyId}/integrations',
  'GET /api/integrations/{id}',
  'POST /api/integrations/{id}/sync',
  'GET /api/integrations/{id}/runs',
  'GET /api/runs/{runId}',
  'POST /api/runs/{runId}/held/approve',
  'POST /api/runs/{runId}/held/reject',
  'GET /api/integrations/{id}/disconnect-preview',
  'DELETE /api/integrations/{id}',
  'POST /api/integrations/{id}/team-sync/preview',
  'POST /api/integrations/{id}/team-sync/finish',
  'POST /api/integrations/{id}/team-sync/stop',
  'GET /api/companies/{companyId}/users',
  'GET /api/companies/{companyId}/users/{userId}',
  'GET /api/companies/{companyId}/teams/{teamId}',
  'POST /api/companies/{companyId}/users',
  'DELETE /api/users/{userId}',
  'POST /api/companies/{companyId}/invitations',
  'POST /api/invitations/{token}/accept',
  'GET /api/companies/{companyId}/teams',
  'POST /api/companies/{companyId}/teams',
  'PATCH /api/teams/{teamId}',
  'DELETE /api/teams/{teamId}',
  'GET /api/companies/{companyId}/events',
]

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at: string, out: Array<[string, string]> = []): Array<[string, string]> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) refs(item, `${at}/${i}`, out)
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') out.push([at, child])
      else refs(child, `${at}/${key}`, out)
    }
  }
  return out
}

function resolvePointer(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], document)
}

describe('the OpenAPI document at /docs/json', () => {
  let t: TestRunner
  let document: Json

  beforeAll(async () => {
    t = await testRunner()
    const response = await t.runner.services.app.inject({ method: 'GET', url: '/docs/json' })
    expect(response.statusCode).toBe(200)
    document = response.json()
  })
  afterAll(async () => {
    await t?.close()
  })

  it('is an OpenAPI 3 document: version, info, operations with responses, every reference resolving', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/)
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })
    expect(Object.keys(document.paths).length).toBeGreaterThan(20)
    for (const [path, item] of Object.entries(document.paths as Json)) {
      expect(path.startsWith('/'), path).toBe(true)
      for (const [method, operation] of Object.entries(item as Json)) {
        if (!METHODS.includes(method)) continue
        const where = `${method.toUpperCase()} ${path}`
        expect(Object.keys(operation.responses ?? {}).length, where).toBeGreaterThan(0)
        for (const status of Object.keys(operation.responses))
          expect(status, where).toMatch(/^[1-5]\d\d$|^default$/)
        for (const match of path.matchAll(/\{(\w+)\}/g)) {
          const declared = (operation.parameters ?? []).find(
            (p: Json) => p.in === 'path' && p.name === match[1] && p.required === true,
          )
          expect(declared, `${where} declares the path parameter ${match[1]}`).toBeDefined()
        }
      }
    }
    for (const [at, ref] of refs(document, '#')) {
      expect(resolvePointer(document, ref), `${ref} at ${at}`).toBeDefined()
    }
  })

  it('describes the answer of every admin route with a 2xx response schema', () => {
    const missing: string[] = []
    for (const route of ADMIN_ROUTES) {
      const [method, path] = route.split(' ') as [string, string]
      const operation = document.paths[path]?.[method.toLowerCase()]
      if (!operation) {
        missing.push(`${route}: not documented`)
        continue
      }
      const success = Object.entries(operation.responses as Json).filter(([status]) => /^2\d\d$/.test(status))
      if (success.length === 0) {
        missing.push(`${route}: no 2xx response`)
        continue
      }
      for (const [status, response] of success) {
        if (status === '204') continue
        const schema = (response as Json).content?.['application/json']?.schema
        if (!schema || (schema.type === undefined && !schema.$ref && !schema.anyOf && !schema.allOf)) {
          missing.push(`${route}: the ${status} answer has no schema`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('spells out the fields an admin reads', () => {
    const users =
      document.paths['/api/companies/{companyId}/users'].get.responses['200'].content['application/json']
        .schema
    const user = users.properties.users.items
    expect(Object.keys(user.properties)).toEqual(
      expect.arrayContaining(['id', 'email', 'status', 'label', 'flags', 'action', 'link', 'origin']),
    )
    const health = document.paths['/api/health'].get.responses['200'].content['application/json'].schema
    expect(Object.keys(health.properties.plugins.properties)).toEqual(['loaded', 'failed'])
    expect(Object.keys(health.properties.plugins.properties.failed.items.properties)).toEqual([
      'package',
      'version',
      'code',
      'reason',
    ])
  })

  // Issue 20 §2: every route, whoever adds it, has a summary, an operationId and its 4xx answers.
  it('issue 20 §2: passes Redocly’s recommended lint without an error or a warning', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hrsync-openapi-'))
    try {
      const file = join(folder, 'openapi.json')
      writeFileSync(file, JSON.stringify(document))
      const redocly = fileURLToPath(new URL('../node_modules/.bin/redocly', import.meta.url))
      const lint = await promisify(execFile)(
        redocly,
        ['lint', '--extends=recommended', '--format=json', '--max-problems=1000', file],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
      const { problems } = JSON.parse(lint.stdout) as { problems: Json[] }
      const found = problems.map(
        (problem) => `${problem.severity} ${problem.ruleId}: ${problem.location?.[0]?.pointer}`,
      )
      // the liveness probe is public and answers 200 or 503, never a 4xx
      const exempt = 'warn operation-4xx-response: #/paths/~1health/get/responses'
      expect(found.filter((problem) => problem !== exempt)).toEqual([])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }, 60_000)

  it('issue 20 §2: the client package’s copy of the document is this one (pnpm --filter @hrsync/client generate)', () => {
    const copy = fileURLToPath(new URL('../../../packages/client/openapi.json', import.meta.url))
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toEqual(document)
  })
})

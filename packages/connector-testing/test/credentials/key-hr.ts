import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { paginatePage } from '@hrsync/connector-kit'
import { type AuthSpec, defineConnector, employee, Secret } from '@hrsync/core'
import { Type } from '@sinclair/typebox'
import type { Fixture, FixtureInteraction } from '../../src/index.js'

/**
 * Key HR: a vendor that wants `Authorization: Bearer <API key>` on every request, and three connectors
 * for it. `right` sends the key; `none` forgets the credentials; `wrong` sends the other secret of its
 * settings. Every answer is the same for the three, so only the request part of the fixtures tells them
 * apart.
 */
export type Variant = 'right' | 'none' | 'wrong'

export const STATUS = { working: 'active', starting: 'pending', gone: 'terminated' } as const
type Person = { id: number; email: string; state: keyof typeof STATUS; start: string | null }

const authFor: Record<Variant, (config: { apiKey: string; archiveKey: string }) => AuthSpec> = {
  right: (c) => ({ type: 'bearer', token: c.apiKey }),
  none: () => ({ type: 'none' }),
  wrong: (c) => ({ type: 'bearer', token: c.archiveKey }),
}

export function keyHr(variant: Variant) {
  return defineConnector({
    id: 'key-hr',
    name: 'Key HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({
      apiKey: Secret(Type.String({ minLength: 1 })),
      archiveKey: Secret(Type.String({ minLength: 1 })),
    }),
    allowedHosts: ['api.key-hr.example.com'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'none',
        statuses: Object.keys(STATUS),
        incremental: false,
        terminationDates: 'none',
      },
    },
    baseUrl: () => 'https://api.key-hr.example.com/v1',
    auth: authFor[variant],
    async checkConnection(ctx) {
      // the first page, as the pull reads it, so the auth-failure fixture serves both
      await ctx.http.request({ url: 'people', searchParams: { page: 1, per_page: 2 } })
    },
    async *listEmployees(ctx) {
      const pages = paginatePage<Person, { people: Person[]; more?: boolean }>(ctx, {
        url: 'people',
        pageSize: 2,
        items: (b) => b.people,
        hasMore: (b) => b.more,
      })
      for await (const people of pages) {
        yield people.map((p) =>
          employee({ remoteId: String(p.id), email: p.email, status: STATUS[p.state], startDate: p.start }),
        )
      }
    },
  })
}

export const now = new Date('2026-03-01T12:00:00Z')
const scope = 'https://api.key-hr.example.com:443'
export const RECORDED_CREDENTIALS = { headers: { authorization: 'Bearer {{secret:apiKey}}' } }

const person = (id: number, state: Person['state'], start: string | null): Person => ({
  id,
  email: `p${id}@example.com`,
  state,
  start,
})
const asEmployee = (p: Person) =>
  employee({ remoteId: String(p.id), email: p.email, status: STATUS[p.state], startDate: p.start })

export function page(n: number, people: Person[], more: boolean, status = 200): FixtureInteraction {
  return {
    scope,
    method: 'GET',
    path: `/v1/people?page=${n}&per_page=2`,
    request: RECORDED_CREDENTIALS,
    status,
    response: status === 200 ? { people, more } : { error: status === 401 ? 'bad key' : 'unavailable' },
    ...(status === 429 ? { rawHeaders: ['Retry-After', '3'] } : {}),
  }
}

const one = [person(1, 'working', '2020-01-01'), person(2, 'gone', '2019-05-01')]
const two = [person(3, 'starting', '2026-06-01')]
const everyone = { employees: [...one, ...two].map(asEmployee) }

export function fixture(
  description: string,
  interactions: FixtureInteraction[],
  expected: Fixture['expected'],
): Fixture {
  return {
    meta: {
      source: 'documented',
      recordedAt: '2026-03-01T00:00:00Z',
      vendorApiVersion: 'v1',
      connectorVersion: '0.0.0',
      scrubbed: true,
      scrubberVersion: '2',
      description,
    },
    config: { apiKey: '{{secret:apiKey}}', archiveKey: '{{secret:archiveKey}}' },
    interactions,
    expected,
  }
}

export const happyMultipage = fixture('two pages', [page(1, one, true), page(2, two, false)], everyone)

/** The seven required scenarios, written to a fresh folder. */
export function writeFixtures(): string {
  const fixtures: Record<string, Fixture> = {
    'happy-multipage': happyMultipage,
    'auth-failure': fixture('a refused key', [page(1, [], false, 401)], {
      error: { code: 'invalid_credentials' },
    }),
    'rate-limited': fixture(
      'a 429 on the second page',
      [page(1, one, true), page(2, [], false, 429), page(2, two, false)],
      everyone,
    ),
    'server-error-mid-pagination': fixture(
      'the second page fails three times',
      [page(1, one, true), page(2, [], false, 503), page(2, [], false, 503), page(2, [], false, 503)],
      { error: { code: 'vendor_error' } },
    ),
    statuses: fixture('every status', [page(1, one, true), page(2, two, false)], everyone),
    managers: fixture('no manager reference', [page(1, one, false)], { employees: one.map(asEmployee) }),
    'empty-tenant': fixture('nobody', [page(1, [], false)], { employees: [] }),
  }
  const dir = mkdtempSync(join(tmpdir(), 'hrsync-key-hr-'))
  for (const [scenario, content] of Object.entries(fixtures)) {
    writeFileSync(join(dir, `${scenario}.json`), JSON.stringify(content, null, 2))
  }
  return dir
}

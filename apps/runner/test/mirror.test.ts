import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ENGINES, type Engine, postgresReachable } from './support/databases.js'
import { API_TOKEN, type TestRunner, testRunnerOn } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

// Issue 20 §2: an app mirrors users and teams from paginated lists and single GETs, on the embedded
// database and on PostgreSQL whenever it answers; in CI it must.
const engines: Engine[] = (await postgresReachable()) ? ENGINES : ['pglite']

describe.each(engines)('issue 20 §2: a mirrorable API, on %s', (engine) => {
  let t: TestRunner
  let companyId: string

  /** Follows nextCursor from the first page to the last, as a mirror does. */
  const everyPage = async (path: string, key: 'users' | 'teams', query = ''): Promise<Json[][]> => {
    const pages: Json[][] = []
    let cursor: string | null = null
    do {
      const params = new URLSearchParams(query)
      if (cursor) params.set('cursor', cursor)
      const { status, body } = await t.call<Json>('GET', `${path}?${params}`)
      expect(status).toBe(200)
      pages.push(body[key])
      cursor = body.nextCursor
    } while (cursor)
    return pages
  }

  beforeAll(async () => {
    t = await testRunnerOn(engine)
  })
  afterAll(async () => {
    await t?.close()
  })
  beforeEach(async () => {
    t.hr.people = []
    const company = await t.call<Json>('POST', '/api/companies', { name: 'Acme', plan: 'advanced' })
    companyId = company.body.id
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    t.hr.hire(...Array.from({ length: 7 }, (_, i) => ({ remoteId: `p${i}` })))
    expect((await t.call('POST', `/api/integrations/${connected.body.integration.id}/sync`)).status).toBe(200)
    for (const email of ['app1@acme.test', 'app2@acme.test']) {
      await t.call('POST', `/api/companies/${companyId}/users`, { email, status: 'active' })
    }
  })

  it('§2 users: pages in a stable order, every user once, nextCursor null on the last page', async () => {
    const pages = await everyPage(`/api/companies/${companyId}/users`, 'users', 'limit=4')
    expect(pages.map((page) => page.length)).toEqual([4, 4, 1])
    const ids = pages.flat().map((user) => user.id)
    expect(new Set(ids).size).toBe(9)
    expect(ids).toEqual([...ids].sort())
    const unpaged = await t.call<Json>('GET', `/api/companies/${companyId}/users`)
    expect(unpaged.body.users.map((user: Json) => user.id)).toEqual(ids)
    expect(unpaged.body.nextCursor).toBeNull()
  })

  it('§2 users: filters by status, source, linked and updatedSince', async () => {
    const list = async (query: string) =>
      (await everyPage(`/api/companies/${companyId}/users`, 'users', query)).flat()
    expect((await list('source=manual')).map((user) => user.email).sort()).toEqual([
      'app1@acme.test',
      'app2@acme.test',
    ])
    expect((await list('source=hr')).length).toBe(7)
    expect((await list('linked=true')).every((user) => user.link !== null)).toBe(true)
    expect((await list('linked=false')).length).toBe(2)
    expect((await list('status=uninvited&limit=2')).length).toBe(7)
    const everyone = await list('')
    const latest = everyone
      .map((user) => user.updatedAt)
      .sort()
      .at(-1)
    const since = await list(`updatedSince=${encodeURIComponent(latest)}`)
    expect(since.length).toBeGreaterThan(0)
    expect(since.every((user) => user.updatedAt >= latest)).toBe(true)
    expect(await list(`updatedSince=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).toEqual([])
  })

  it('§2 users and teams: a single GET answers what the list shows; another company’s answers 404', async () => {
    const [first] = (await t.call<Json>('GET', `/api/companies/${companyId}/users?limit=1`)).body.users
    const one = await t.call<Json>('GET', `/api/companies/${companyId}/users/${first.id}`)
    expect(one).toEqual({ status: 200, body: first })
    const team = await t.call<Json>('POST', `/api/companies/${companyId}/teams`, {
      name: 'Finance',
      memberUserIds: [first.id],
    })
    const listed = (await t.call<Json>('GET', `/api/companies/${companyId}/teams`)).body.teams
    expect(listed).toEqual([team.body])
    expect(await t.call('GET', `/api/companies/${companyId}/teams/${team.body.id}`)).toEqual({
      status: 200,
      body: team.body,
    })
    const other = (await t.call<Json>('POST', '/api/companies', { name: 'Other', plan: 'advanced' })).body.id
    for (const path of [`users/${first.id}`, `teams/${team.body.id}`, 'users/usr_missing']) {
      const answer = await t.call<Json>('GET', `/api/companies/${other}/${path}`)
      expect(answer.status).toBe(404)
      expect(answer.body.error.code).toMatch(/_not_found$/)
    }
  })

  it('§2 teams: a change to a team moves its updatedAt; pages and the kind filter', async () => {
    const created: Json[] = []
    for (const name of ['A', 'B', 'C']) {
      created.push((await t.call<Json>('POST', `/api/companies/${companyId}/teams`, { name })).body)
    }
    const pages = await everyPage(`/api/companies/${companyId}/teams`, 'teams', 'limit=2&kind=ordinary')
    expect(pages.map((page) => page.length)).toEqual([2, 1])
    const [first] = created as [Json]
    const renamed = await t.call<Json>('PATCH', `/api/teams/${first.id}`, { name: 'A2' })
    expect(renamed.body.updatedAt >= first.updatedAt).toBe(true)
    const since = (
      await t.call<Json>(
        'GET',
        `/api/companies/${companyId}/teams?updatedSince=${encodeURIComponent(renamed.body.updatedAt)}`,
      )
    ).body.teams
    expect(since.map((team: Json) => team.name)).toContain('A2')
  })

  it('§2 bad paging input answers 400 and never a 5xx', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'cursor=not-a-cursor',
      `cursor=${Buffer.from('{"after":42}').toString('base64url')}`,
      'updatedSince=yesterday',
      'linked=maybe',
      'source=ldap',
    ]) {
      for (const list of ['users', 'teams']) {
        const answer = await t.call<Json>('GET', `/api/companies/${companyId}/${list}?${query}`)
        if (list === 'teams' && /linked|source/.test(query)) continue
        expect(answer.status, `${list}?${query}`).toBe(400)
        expect(answer.body.error.code).toMatch(/^invalid_/)
      }
    }
  })
})

import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { allUsers, createHrsyncClient, HrsyncApiError, unwrap } from '../src/index.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** A fetch that answers from a function and keeps every request it was given. */
function fakeFetch(answer: (request: Request) => Response) {
  const requests: Request[] = []
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init)
    requests.push(request)
    return answer(request)
  }
  return { fetch: fetch as typeof globalThis.fetch, requests }
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

describe('@hrsync/client', () => {
  it('issue 20 §2: the checked-in types are what openapi-typescript makes of openapi.json', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'hrsync-client-'))
    try {
      const out = join(folder, 'schema.ts')
      await promisify(execFile)(here('../node_modules/.bin/openapi-typescript'), [
        here('../openapi.json'),
        '--output',
        out,
      ])
      expect(readFileSync(here('../src/schema.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'))
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }, 60_000)

  it('sends the key and the acting user with every request', async () => {
    const { fetch, requests } = fakeFetch(() => json({ companies: [] }))
    const client = createHrsyncClient({
      baseUrl: 'http://hrsync.test',
      token: 'k1',
      actingUserId: 'u-7',
      fetch,
    })
    expect(await unwrap(client.GET('/api/companies'))).toEqual({ companies: [] })
    expect(requests[0]!.url).toBe('http://hrsync.test/api/companies')
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer k1')
    expect(requests[0]!.headers.get('hrsync-acting-user')).toBe('u-7')
  })

  it('turns an error answer into an HrsyncApiError with its code and sentence', async () => {
    const { fetch } = fakeFetch(() =>
      json({ error: { code: 'company_not_found', message: 'No company' } }, 404),
    )
    const client = createHrsyncClient({ baseUrl: 'http://hrsync.test', token: () => 'k', fetch })
    const failed = unwrap(client.GET('/api/companies/{companyId}', { params: { path: { companyId: 'c' } } }))
    await expect(failed).rejects.toEqual(new HrsyncApiError(404, 'company_not_found', 'No company'))
    const unreachable = createHrsyncClient({
      baseUrl: 'http://hrsync.test',
      token: 'k',
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    await expect(unwrap(unreachable.GET('/api/companies'))).rejects.toMatchObject({
      status: 0,
      code: 'unreachable',
    })
  })

  it('issue 20 §2: allUsers follows nextCursor to the last page', async () => {
    const { fetch, requests } = fakeFetch((request) => {
      const cursor = new URL(request.url).searchParams.get('cursor')
      return cursor === null
        ? json({ users: [{ id: 'usr_1' }], nextCursor: 'c2' })
        : json({ users: [{ id: 'usr_2' }], nextCursor: null })
    })
    const client = createHrsyncClient({ baseUrl: 'http://hrsync.test', token: 'k', fetch })
    const users = await allUsers(client, 'cmp_1', { status: 'active' })
    expect(users.map((user) => user.id)).toEqual(['usr_1', 'usr_2'])
    expect(requests.map((request) => new URL(request.url).search)).toEqual([
      '?limit=500&status=active',
      '?limit=500&status=active&cursor=c2',
    ])
  })
})

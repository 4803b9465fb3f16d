import Fastify from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryScimStore, scimRoutes } from '../src/index.js'
import { BASE, CORE, ENTERPRISE, ENTRA_CREATE, OKTA_CREATE, PATCH_OP } from './requests.js'
import { ENTRA_TOKEN, OKTA_TOKEN, q, scimService } from './service.js'

let service: Awaited<ReturnType<typeof scimService>>
beforeEach(async () => {
  service = await scimService()
})
afterEach(async () => {
  await service.app.close()
})

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations })
const oktaUser = (n: number) => ({
  schemas: [CORE],
  userName: `person${n}@nordvik.test`,
  name: { givenName: `Person${n}`, familyName: 'Test' },
  emails: [{ primary: true, value: `person${n}@nordvik.test`, type: 'work' }],
  active: true,
  password: 'placeholder',
})

describe('Okta: "Okta SCIM 2.0 SPEC Test" sequence', () => {
  it('list, read, lookups, 404s, create with application/json, 409, case-insensitive lookup, groups, 401', async () => {
    const { call } = service
    const seeded = await call('POST', '/Users', { body: OKTA_CREATE })
    expect(seeded.status).toBe(201)

    const list = await call('GET', '/Users?count=1&startIndex=1')
    expect(list.status).toBe(200)
    expect(list.headers['content-type']).toMatch(/^application\/scim\+json/)
    expect(list.json).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 })
    const first = list.json.Resources[0]
    expect(first).toMatchObject({ id: seeded.json.id, userName: OKTA_CREATE.userName, active: true })
    expect(first.name).toMatchObject({ givenName: 'Maja', familyName: 'Lindqvist' })
    expect(first.emails[0].value).toBe('maja.lindqvist@nordvik.test')

    expect((await call('GET', `/Users/${first.id}`)).json.id).toBe(first.id)
    expect(
      (await call('GET', `/Users?filter=${q('userName eq "abcdefgh@atko.com"')}`)).json.totalResults,
    ).toBe(0)

    const missing = await call('GET', '/Users/010101001010101011001010101011')
    expect(missing.status).toBe(404)
    expect(missing.json).toMatchObject({ schemas: [ERROR], status: '404', detail: expect.any(String) })

    const byEmail = await call('GET', `/Users?filter=${q('emails.value eq "random@atko.com"')}`)
    expect(byEmail.json).toMatchObject({ totalResults: 0, Resources: [] })

    const body = { ...oktaUser(1), displayName: 'Person One' }
    const created = await call('POST', '/Users', { body, contentType: 'application/json' })
    expect(created.status).toBe(201)
    expect(created.headers.location).toBe(`${BASE}/Users/${created.json.id}`)
    expect(created.json).toMatchObject({
      schemas: [CORE],
      active: true,
      userName: body.userName,
      name: body.name,
      emails: body.emails,
      displayName: 'Person One',
      meta: { resourceType: 'User', location: `${BASE}/Users/${created.json.id}` },
    })
    expect(created.json).not.toHaveProperty('password')
    expect((await call('GET', `/Users/${created.json.id}`)).json).toEqual(created.json)

    const again = await call('POST', '/Users', { body, contentType: 'application/json' })
    expect(again.status).toBe(409)
    expect(again.json).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' })

    const upper = await call('GET', `/Users?filter=${q(`userName eq "${body.userName.toUpperCase()}"`)}`)
    expect(upper.status).toBe(200)
    expect(upper.json.Resources.map((r: { id: string }) => r.id)).toEqual([created.json.id])

    expect(await call('GET', '/Groups')).toMatchObject({
      status: 200,
      json: { totalResults: 0, Resources: [] },
    })

    const unauthorised = await call('GET', '/Users', { authorization: 'non-token' })
    expect(unauthorised.status).toBe(401)
    expect(unauthorised.headers['www-authenticate']).toBe('Bearer')
    expect(unauthorised.json).toMatchObject({ schemas: [ERROR], status: '401', detail: expect.any(String) })
  })
})

describe('Okta: App Integration Wizard lifecycle', () => {
  it('test call on an empty company, lookup, create, PUT profile update, PUT deactivate, lookup finds the inactive user, PATCH reactivate', async () => {
    const { call } = service
    expect((await call('GET', '/Users?startIndex=1&count=2')).json).toMatchObject({
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    })
    const lookup = `/Users?filter=${q(`userName eq "${OKTA_CREATE.userName}"`)}&startIndex=1&count=100`
    expect((await call('GET', lookup)).json.totalResults).toBe(0)
    const created = await call('POST', '/Users', { body: OKTA_CREATE })
    expect(created.status).toBe(201)
    const id = created.json.id

    const current = (await call('GET', `/Users/${id}`)).json
    const { manager: _gone, ...enterprise } = current[ENTERPRISE]
    const updated = await call('PUT', `/Users/${id}`, {
      body: { ...current, title: 'Head of Finance', [ENTERPRISE]: enterprise, password: 'x' },
    })
    expect(updated.status).toBe(200)
    expect(updated.json.title).toBe('Head of Finance')
    expect(updated.json[ENTERPRISE]).toEqual({ employeeNumber: 'NV-2231', department: 'Finance' })
    expect(updated.json.meta.version).toBe('W/"2"')

    const deactivated = await call('PUT', `/Users/${id}`, { body: { ...updated.json, active: false } })
    expect(deactivated.json.active).toBe(false)
    expect((await call('GET', `/Users/${id}`)).json.active).toBe(false)
    const found = await call('GET', lookup)
    expect(found.json.Resources).toMatchObject([{ id, active: false }])

    const reactivated = await call('PATCH', `/Users/${id}`, {
      body: patchBody({ op: 'replace', value: { active: true } }),
    })
    expect(reactivated.status).toBe(200)
    expect(reactivated.json).toMatchObject({ id, active: true, title: 'Head of Finance' })
    expect(service.changes.map(([, kind]) => kind)).toEqual(['created', 'updated', 'updated', 'updated'])
  })

  it('a PUT without userName is 400; a PUT renaming onto another userName is 409', async () => {
    const { call } = service
    const a = await call('POST', '/Users', { body: oktaUser(1) })
    await call('POST', '/Users', { body: oktaUser(2) })
    const { userName: _u, ...withoutUserName } = oktaUser(1)
    expect(await call('PUT', `/Users/${a.json.id}`, { body: withoutUserName })).toMatchObject({
      status: 400,
      json: { scimType: 'invalidValue' },
    })
    const clash = await call('PUT', `/Users/${a.json.id}`, {
      body: { ...oktaUser(1), userName: 'PERSON2@nordvik.test' },
    })
    expect(clash).toMatchObject({ status: 409, json: { scimType: 'uniqueness' } })
  })

  it('import paging: stable order by creation, 1-based startIndex, clamps and count=0', async () => {
    const { call } = service
    const ids: string[] = []
    for (let n = 1; n <= 11; n++) ids.push((await call('POST', '/Users', { body: oktaUser(n) })).json.id)
    const page = async (query: string) => (await call('GET', `/Users?${query}`)).json
    const pages = [
      await page('startIndex=1&count=5'),
      await page('startIndex=6&count=5'),
      await page('startIndex=11&count=5'),
    ]
    expect(pages.map((p) => [p.totalResults, p.startIndex, p.itemsPerPage])).toEqual([
      [11, 1, 5],
      [11, 6, 5],
      [11, 11, 1],
    ])
    expect(pages.flatMap((p) => p.Resources.map((r: { id: string }) => r.id))).toEqual(ids)

    expect(await page('startIndex=1&count=0')).toMatchObject({
      totalResults: 11,
      itemsPerPage: 0,
      Resources: [],
    })
    expect(await page('startIndex=0&count=2')).toMatchObject({ startIndex: 1, itemsPerPage: 2 })
    expect(await page('startIndex=-4&count=-3')).toMatchObject({
      startIndex: 1,
      itemsPerPage: 0,
      totalResults: 11,
    })
    expect(await page('count=100000')).toMatchObject({ itemsPerPage: 11 })
    expect(await page('startIndex=20')).toMatchObject({ totalResults: 11, itemsPerPage: 0 })
    expect(await call('GET', '/Users?count=ten')).toMatchObject({
      status: 400,
      json: { scimType: 'invalidValue' },
    })
  })
})

describe('Entra ID: provisioning cycle', () => {
  const byUserName = (userName: string) => `/Users?filter=${q(`userName eq "${userName}"`)}`

  it('Test Connection: a random GUID lookup is 200 with an empty list (the tenant URL flag is ignored)', async () => {
    const response = await service.call(
      'GET',
      `/Users?aadOptscim062020&filter=${q('userName eq "0b6a2d1e-3f4c-4c5d-9e8f-7a6b5c4d3e2f"')}`,
      { token: ENTRA_TOKEN },
    )
    expect(response).toMatchObject({ status: 200, json: { totalResults: 0, Resources: [] } })
  })

  it('create after lookup, manager set/change/clear, attribute PATCH in both flavours, disable, restore, delete, recreate', async () => {
    const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
      service.call(method, url, { token: ENTRA_TOKEN, ...(body === undefined ? {} : { body }) })

    expect((await call('GET', byUserName('lee.chen@contoso.test'))).json.totalResults).toBe(0)
    const lee = await call('POST', '/Users', {
      ...ENTRA_CREATE,
      userName: 'lee.chen@contoso.test',
      externalId: 'lee',
    })
    expect((await call('GET', byUserName(ENTRA_CREATE.userName))).json.totalResults).toBe(0)
    const priya = await call('POST', '/Users', ENTRA_CREATE)
    expect([lee.status, priya.status]).toEqual([201, 201])
    const id = priya.json.id
    const manager = (u: { json: Record<string, { manager?: unknown }> }) => u.json[ENTERPRISE]?.manager

    const set = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Add', path: `${ENTERPRISE}:manager`, value: lee.json.id }),
    )
    expect(set.status).toBe(200)
    expect(manager(set)).toBe(lee.json.id)

    const changed = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'someone-else' } }),
    )
    expect(manager(changed)).toEqual({ value: 'someone-else' })
    const cleared = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }),
    )
    expect(manager(cleared)).toBeUndefined()
    await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({
        op: 'Add',
        path: 'manager',
        value: [{ value: lee.json.id, $ref: `${BASE}/Users/${lee.json.id}` }],
      }),
    )
    const removed = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Remove', path: `manager[value eq "${lee.json.id}"]` }),
    )
    expect(manager(removed)).toBeUndefined()

    const legacy = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'p.ng@contoso.test' },
        { op: 'Replace', path: 'name.familyName', value: 'Ng' },
        { op: 'Add', path: 'title', value: 'Controller' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Treasury' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0100' },
      ),
    )
    expect(legacy.json).toMatchObject({
      title: 'Controller',
      emails: [{ value: 'p.ng@contoso.test', type: 'work' }],
    })
    expect(legacy.json).not.toHaveProperty('phoneNumbers')
    const flagged = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({
        op: 'replace',
        value: {
          displayName: 'Priya Ng-Berg',
          'name.givenName': 'Pri',
          [`${ENTERPRISE}:employeeNumber`]: 'C-4411',
        },
      }),
    )
    expect(flagged.json).toMatchObject({ displayName: 'Priya Ng-Berg', name: { givenName: 'Pri' } })
    expect(flagged.json[ENTERPRISE]).toMatchObject({ employeeNumber: 'C-4411', department: 'Treasury' })
    const byWorkEmail = await call(
      'GET',
      `/Users?filter=${q('emails[type eq "work"].value eq "P.NG@contoso.test"')}`,
    )
    expect(byWorkEmail.json.Resources.map((r: { id: string }) => r.id)).toEqual([id])

    const disabled = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }),
    )
    expect(disabled.json.active).toBe(false)
    expect((await call('GET', byUserName('PRIYA.NG@contoso.test'))).json.Resources).toMatchObject([
      { id, active: false },
    ])
    const restored = await call(
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'True' }),
    )
    expect(restored.json.active).toBe(true)

    const deleted = await service.call('DELETE', `/Users/${id}`, { token: ENTRA_TOKEN })
    expect(deleted.status).toBe(204)
    expect(deleted.json).toBeUndefined()
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const after = await call(
        method,
        `/Users/${id}`,
        method === 'PATCH' ? patchBody({ op: 'Replace', path: 'active', value: 'True' }) : undefined,
      )
      expect(after.status).toBe(404)
    }
    expect((await call('GET', byUserName(ENTRA_CREATE.userName))).json.totalResults).toBe(0)
    const recreated = await call('POST', '/Users', ENTRA_CREATE)
    expect(recreated.status).toBe(201)
    expect(recreated.json.id).not.toBe(id)
  })

  it('an unknown attribute path is 400 invalidPath; a core attribute we do not store is accepted', async () => {
    const { call } = service
    const { json } = await call('POST', '/Users', { body: ENTRA_CREATE, token: ENTRA_TOKEN })
    const unknown = await call('PATCH', `/Users/${json.id}`, {
      token: ENTRA_TOKEN,
      body: patchBody({ op: 'Replace', path: 'favouriteColour', value: 'teal' }),
    })
    expect(unknown).toMatchObject({ status: 400, json: { scimType: 'invalidPath', status: '400' } })
    const ignored = await call('PATCH', `/Users/${json.id}`, {
      token: ENTRA_TOKEN,
      body: patchBody({ op: 'Replace', path: 'preferredLanguage', value: 'en-GB' }),
    })
    expect(ignored.status).toBe(200)
  })
})

describe('errors and isolation', () => {
  it.each([
    ['userName eq', 'does not parse'],
    ['title eq "CFO"', 'Filtering on "title" is not supported'],
    ['userName gt "a"', 'Operator "gt"'],
  ])('filter %s → 400 invalidFilter', async (filter, detail) => {
    const response = await service.call('GET', `/Users?filter=${q(filter)}`)
    expect(response).toMatchObject({
      status: 400,
      json: { schemas: [ERROR], status: '400', scimType: 'invalidFilter' },
    })
    expect(response.json.detail).toContain(detail)
  })

  it.each([
    ['no Authorization header', { token: null }],
    ['an unknown token', { token: 'guess' }],
    ['Basic auth', { authorization: 'Basic b2t0YTpzZWNyZXQ=' }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('%s → 401 with a SCIM error', async (_case, options) => {
    for (const url of ['/Users', '/ServiceProviderConfig', '/Users/u001']) {
      const response = await service.call('GET', url, options)
      expect(response.status).toBe(401)
      expect(response.json).toMatchObject({ schemas: [ERROR], status: '401' })
    }
  })

  it('the bearer scheme is case-insensitive', async () => {
    expect((await service.call('GET', '/Users', { authorization: `bearer ${OKTA_TOKEN}` })).status).toBe(200)
  })

  it("another integration's id is 404 for every method, and its users are not listed", async () => {
    const { call } = service
    const nordvik = await call('POST', '/Users', { body: OKTA_CREATE })
    const id = nordvik.json.id
    const asContoso = { token: ENTRA_TOKEN }
    expect((await call('GET', `/Users/${id}`, asContoso)).status).toBe(404)
    expect((await call('PUT', `/Users/${id}`, { ...asContoso, body: OKTA_CREATE })).status).toBe(404)
    const patch = patchBody({ op: 'replace', value: { active: false } })
    expect((await call('PATCH', `/Users/${id}`, { ...asContoso, body: patch })).status).toBe(404)
    expect((await call('DELETE', `/Users/${id}`, asContoso)).status).toBe(404)
    expect((await call('GET', '/Users', asContoso)).json.totalResults).toBe(0)
    expect((await call('GET', `/Users/${id}`)).json.active).toBe(true)
    // userName is unique per integration only
    expect((await call('POST', '/Users', { ...asContoso, body: OKTA_CREATE })).status).toBe(201)
  })

  it('a duplicate userName in another case is 409; racing creates give one user and one 409', async () => {
    const { call } = service
    await call('POST', '/Users', { body: oktaUser(1) })
    const shouted = { ...oktaUser(1), userName: 'PERSON1@NORDVIK.TEST' }
    expect((await call('POST', '/Users', { body: shouted })).status).toBe(409)
    const racing = await Promise.all([
      call('POST', '/Users', { body: oktaUser(2) }),
      call('POST', '/Users', { body: oktaUser(2) }),
    ])
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409])
    expect((await call('GET', '/Users')).json.totalResults).toBe(2)
  })

  it('malformed or missing JSON is 400 invalidSyntax, an empty DELETE body is none, other media types 415, an unknown route a SCIM 404', async () => {
    const broken = await service.call('POST', '/Users', { body: '{"userName":' })
    expect(broken).toMatchObject({ status: 400, json: { schemas: [ERROR], scimType: 'invalidSyntax' } })
    const empty = await service.call('POST', '/Users', { body: '' })
    expect(empty).toMatchObject({ status: 400, json: { scimType: 'invalidSyntax' } })
    const created = await service.call('POST', '/Users', { body: oktaUser(1) })
    const deleted = await service.call('DELETE', `/Users/${created.json.id}`, {
      body: '',
      contentType: 'application/json',
    })
    expect(deleted.status).toBe(204)
    const text = await service.call('POST', '/Users', { body: '<user/>', contentType: 'application/xml' })
    expect(text).toMatchObject({ status: 415, json: { schemas: [ERROR], status: '415' } })
    const nowhere = await service.call('GET', '/Devices')
    expect(nowhere).toMatchObject({ status: 404, json: { schemas: [ERROR], status: '404' } })
  })
})

describe('discovery endpoints', () => {
  it('serve ServiceProviderConfig, Schemas and ResourceTypes as SCIM JSON', async () => {
    const { call } = service
    const config = await call('GET', '/ServiceProviderConfig')
    expect(config.headers['content-type']).toMatch(/^application\/scim\+json/)
    expect(config.json).toMatchObject({
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
    })

    const schemas = await call('GET', '/Schemas')
    expect(schemas.json.Resources.map((s: { id: string }) => s.id)).toEqual([CORE, ENTERPRISE])
    expect((await call('GET', `/Schemas/${ENTERPRISE}`)).json.name).toBe('EnterpriseUser')
    expect((await call('GET', '/Schemas/urn:nope')).status).toBe(404)

    const types = await call('GET', '/ResourceTypes')
    expect(types.json.Resources[0].endpoint).toBe('/Users')
    expect((await call('GET', '/ResourceTypes/User')).json.schema).toBe(CORE)
    expect((await call('GET', '/Groups/any')).status).toBe(404)
  })
})

describe('mounting', () => {
  it('leaves the rest of the app alone: its routes, their JSON parsing and their errors', async () => {
    const app = Fastify()
    app.post('/api/echo', async (request) => ({ got: request.body }))
    await app.register(scimRoutes, {
      prefix: '/scim/v2',
      store: new MemoryScimStore(),
      baseUrl: BASE,
      authenticate: async () => null,
    })
    const echo = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } })
    expect(echo.json()).toEqual({ got: { a: 1 } })
    const emptyJson = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: '',
    })
    expect(emptyJson.statusCode).toBe(400)
    expect(emptyJson.json()).not.toHaveProperty('schemas')
    expect((await app.inject({ method: 'GET', url: '/api/nothing' })).json()).not.toHaveProperty('schemas')
    expect((await app.inject({ method: 'GET', url: '/scim/v2/Users' })).statusCode).toBe(401)
    await app.close()
  })

  it("accepts Okta's + encoded filters and ignores unknown top-level attributes", async () => {
    const { call } = service
    const created = await call('POST', '/Users', { body: { ...oktaUser(1), shoeSize: 42, customFlag: true } })
    expect(created.status).toBe(201)
    expect(created.json).not.toHaveProperty('shoeSize')
    const found = await call(
      'GET',
      '/Users?filter=userName+eq+%22PERSON1%40nordvik.test%22&startIndex=1&count=100',
    )
    expect(found.json.totalResults).toBe(1)
  })
})

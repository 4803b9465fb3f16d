import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CORE,
  ENTERPRISE,
  ERROR,
  type Json,
  LIST,
  oktaUser,
  type PushCompany,
  patch,
  type ScimRunner,
  STARTUP_MS,
  scimRunner,
} from './support.js'

// Okta's calls in the order its provisioning and its SPEC test make them
describe('SCIM conformance: Okta', () => {
  let t: ScimRunner
  let okta: PushCompany

  beforeAll(async () => {
    t = await scimRunner()
    okta = await t.connect('okta', 'Nordvik')
  }, STARTUP_MS)
  afterAll(async () => {
    await t.close()
  })

  it('the connect answer carries the base URL on 127.0.0.1 and a token shown once', async () => {
    expect(okta.baseUrl).toBe(`${t.url}/scim/v2`)
    expect(okta.token).toMatch(/^hrsync_scim_/)
    const view = await t.admin('GET', `/api/integrations/${okta.integrationId}`)
    expect(JSON.stringify(view.body)).not.toContain(okta.token)
  })

  it('Test API credentials: a small list call answers a ListResponse with integers', async () => {
    const answer = await okta.scim('GET', '/Users?startIndex=1&count=2')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('application/scim+json')
    expect(answer.body).toEqual({
      schemas: [LIST],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    })
  })

  let majaId: string
  it('assign: userName lookup finds nothing, then POST creates (application/json) with 201 and Location', async () => {
    const lookup = await okta.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "person1@nordvik.test"')}&startIndex=1&count=100`,
    )
    expect(lookup.status).toBe(200)
    expect(lookup.body.totalResults).toBe(0)
    const created = await okta.scim('POST', '/Users', oktaUser(1), { contentType: 'application/json' })
    expect(created.status).toBe(201)
    majaId = created.body.id
    expect(created.headers.get('location')).toBe(`${okta.baseUrl}/Users/${majaId}`)
    expect(created.body).toMatchObject({
      userName: 'person1@nordvik.test',
      active: true,
      name: { givenName: 'Given1', familyName: 'Family1' },
      emails: [{ value: 'person1@nordvik.test', type: 'work', primary: true }],
      meta: { resourceType: 'User', location: `${okta.baseUrl}/Users/${majaId}` },
      [ENTERPRISE]: { employeeNumber: 'NV-1001', department: 'Finance' },
    })
    expect(created.body.schemas).toContain(CORE)
    expect(created.body.password).toBeUndefined()
    expect(created.body.groups).toBeUndefined()
    const read = await okta.scim('GET', `/Users/${majaId}`)
    expect(read.status).toBe(200)
    expect(read.body.id).toBe(majaId)
    expect(read.body.userName).toBe('person1@nordvik.test')
  })

  it('the same POST again is 409 uniqueness, in any case of the userName', async () => {
    const again = await okta.scim('POST', '/Users', oktaUser(1))
    expect(again.status).toBe(409)
    expect(again.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' })
    expect(again.body.detail).toEqual(expect.any(String))
    const upper = await okta.scim('POST', '/Users', { ...oktaUser(1), userName: 'PERSON1@NORDVIK.TEST' })
    expect(upper.status).toBe(409)
  })

  it('lookup by userName in upper case finds the user', async () => {
    const lookup = await okta.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "PERSON1@Nordvik.TEST"')}`,
    )
    expect(lookup.status).toBe(200)
    expect(lookup.body.totalResults).toBe(1)
    expect(lookup.body.Resources[0].id).toBe(majaId)
  })

  it('import: pages of startIndex/count cover every user once, in a stable order', async () => {
    for (let n = 2; n <= 12; n++) expect((await okta.scim('POST', '/Users', oktaUser(n))).status).toBe(201)
    const seen: string[] = []
    for (let startIndex = 1; ; startIndex += 5) {
      const page = await okta.scim('GET', `/Users?startIndex=${startIndex}&count=5`)
      expect(page.status).toBe(200)
      expect(page.body).toMatchObject({ totalResults: 12, startIndex })
      expect(page.body.itemsPerPage).toBe(page.body.Resources.length)
      seen.push(...page.body.Resources.map((r: Json) => r.id))
      if (startIndex + 5 > page.body.totalResults) break
    }
    expect(seen).toHaveLength(12)
    expect(new Set(seen).size).toBe(12)
    expect(seen[0]).toBe(majaId)
    const totalOnly = await okta.scim('GET', '/Users?count=0')
    expect(totalOnly.body).toMatchObject({ totalResults: 12, itemsPerPage: 0, Resources: [] })
  })

  it('profile change: GET then PUT with the whole object; manager set, changed and cleared by PUT', async () => {
    const current = (await okta.scim('GET', `/Users/${majaId}`)).body
    const put = await okta.scim('PUT', `/Users/${majaId}`, {
      ...current,
      name: { givenName: 'Maja', familyName: 'Lindqvist' },
      title: 'Controller',
      [ENTERPRISE]: {
        employeeNumber: 'NV-1001',
        department: 'Treasury',
        manager: { value: 'NV-1002', displayName: 'Given2 Family2' },
      },
    })
    expect(put.status).toBe(200)
    expect(put.body).toMatchObject({
      id: majaId,
      name: { givenName: 'Maja', familyName: 'Lindqvist' },
      title: 'Controller',
      active: true,
      [ENTERPRISE]: { department: 'Treasury', manager: { value: 'NV-1002' } },
    })
    const changed = await okta.scim('PUT', `/Users/${majaId}`, {
      ...put.body,
      [ENTERPRISE]: { ...put.body[ENTERPRISE], manager: { value: 'NV-1003' } },
    })
    expect(changed.body[ENTERPRISE].manager.value).toBe('NV-1003')
    const cleared = await okta.scim('PUT', `/Users/${majaId}`, {
      ...changed.body,
      [ENTERPRISE]: { employeeNumber: 'NV-1001', department: 'Treasury' },
    })
    expect(cleared.status).toBe(200)
    expect(cleared.body[ENTERPRISE].manager).toBeUndefined()
  })

  it('deactivate and reactivate: AIW by PUT, OIN by path-less PATCH; inactive users are still found', async () => {
    const current = (await okta.scim('GET', `/Users/${majaId}`)).body
    const off = await okta.scim('PUT', `/Users/${majaId}`, { ...current, active: false })
    expect(off.status).toBe(200)
    expect(off.body.active).toBe(false)
    const lookup = await okta.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "person1@nordvik.test"')}&startIndex=1&count=100`,
    )
    expect(lookup.body.Resources[0]).toMatchObject({ id: majaId, active: false })
    const on = await okta.scim('PATCH', `/Users/${majaId}`, patch({ op: 'replace', value: { active: true } }))
    expect(on.status).toBe(200)
    expect(on.body.active).toBe(true)
    const offAgain = await okta.scim(
      'PATCH',
      `/Users/${majaId}`,
      patch({ op: 'replace', value: { active: false } }),
    )
    expect(offAgain.body.active).toBe(false)
    const back = await okta.scim('PUT', `/Users/${majaId}`, { ...offAgain.body, active: true })
    expect(back.body.active).toBe(true)
  })

  it('SPEC test probes: unknown ids are 404 with detail, a bad filter 400, Groups an empty list', async () => {
    for (const id of ['010101001010101011001010101011', '00919288221112222']) {
      const missing = await okta.scim('GET', `/Users/${id}`)
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' })
      expect(missing.body.detail).toEqual(expect.any(String))
    }
    const email = await okta.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('emails.value eq "nobody@atko.com"')}`,
    )
    expect(email.body.totalResults).toBe(0)
    const bad = await okta.scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ status: '400', scimType: 'invalidFilter' })
    const unknownAttribute = await okta.scim('GET', `/Users?filter=${encodeURIComponent('shoeSize eq "44"')}`)
    expect(unknownAttribute.status).toBe(400)
    const groups = await okta.scim('GET', '/Groups')
    expect(groups.status).toBe(200)
    expect(groups.body.totalResults).toBe(0)
  })

  it('a missing, non-Bearer or wrong token is 401 with a SCIM Error, discovery included', async () => {
    for (const options of [{ token: null }, { authorization: 'non-token' }, { token: 'hrsync_scim_wrong' }]) {
      for (const path of ['/Users', '/ServiceProviderConfig']) {
        const answer = await okta.scim('GET', path, undefined, options)
        expect(answer.status).toBe(401)
        expect(answer.headers.get('www-authenticate')).toBe('Bearer')
        expect(answer.body).toMatchObject({ schemas: [ERROR], status: '401' })
        expect(answer.body.detail).toEqual(expect.any(String))
      }
    }
    const config = await okta.scim('GET', '/ServiceProviderConfig')
    expect(config.status).toBe(200)
    expect(config.body.patch.supported).toBe(true)
  })
})

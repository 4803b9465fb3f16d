import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ENTERPRISE,
  ERROR,
  entraUser,
  type Json,
  oktaUser,
  type PushCompany,
  patch,
  type ScimRunner,
  STARTUP_MS,
  scimRunner,
} from './support.js'

const MANAGER = `${ENTERPRISE}:manager`

// Entra ID's provisioning calls with its quirks
describe('SCIM conformance: Entra ID', () => {
  let t: ScimRunner
  let entra: PushCompany
  let other: PushCompany

  beforeAll(async () => {
    t = await scimRunner()
    entra = await t.connect('entra-id', 'Contoso')
    other = await t.connect('okta', 'Nordvik')
  }, STARTUP_MS)
  afterAll(async () => {
    await t.close()
  })

  it('Test Connection: a random GUID lookup is 200 with an empty list; ?aadOptscim062020 is ignored', async () => {
    const filter = encodeURIComponent('userName eq "6a1f2c1e-9d7b-4bb0-8f0e-3c4d5e6f7a8b"')
    const answer = await entra.scim('GET', `/Users?aadOptscim062020&filter=${filter}`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('application/scim+json')
    expect(answer.body).toMatchObject({ totalResults: 0, Resources: [] })
  })

  let priyaId: string
  let bossId: string
  it('create after a lookup: nulls, roles and meta in the body are accepted; "True" is a boolean', async () => {
    const lookup = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "user1@contoso.test"')}`,
    )
    expect(lookup.body.totalResults).toBe(0)
    const created = await entra.scim('POST', '/Users', { ...entraUser(1), active: 'True' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ userName: 'user1@contoso.test', active: true })
    expect(created.body.roles).toBeUndefined()
    priyaId = created.body.id
    bossId = (await entra.scim('POST', '/Users', entraUser(2))).body.id
  })

  it('lookup by externalId and by the work email, as Entra matches', async () => {
    const byExternal = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent(`externalId eq "${entraUser(1).externalId}"`)}`,
    )
    expect(byExternal.body.Resources.map((r: Json) => r.id)).toEqual([priyaId])
    const byEmail = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "USER1@contoso.test"')}`,
    )
    expect(byEmail.body.Resources.map((r: Json) => r.id)).toEqual([priyaId])
  })

  it('profile update by PATCH: capitalised ops, filtered email path, path-less dotted keys', async () => {
    const answer = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'p.ng@contoso.test' },
        { op: 'Replace', path: 'name.familyName', value: 'Nguyen' },
        { op: 'Add', path: 'title', value: 'Controller' },
        {
          op: 'replace',
          value: {
            displayName: 'Priya Nguyen',
            'name.givenName': 'Priya',
            [`${ENTERPRISE}:department`]: 'Finance',
          },
        },
      ),
    )
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      id: priyaId,
      displayName: 'Priya Nguyen',
      title: 'Controller',
      name: { givenName: 'Priya', familyName: 'Nguyen' },
      emails: [expect.objectContaining({ type: 'work', value: 'p.ng@contoso.test' })],
      [ENTERPRISE]: { department: 'Finance' },
    })
    const cleared = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: 'title', value: '' }),
    )
    expect(cleared.body.title).toBeUndefined()
  })

  it('manager set as a plain id, changed as {value}, removed by filter and cleared by empty string', async () => {
    const set = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Add', path: MANAGER, value: bossId }),
    )
    expect(set.status).toBe(200)
    // echoed in the shape it was sent, so Entra does not PATCH it again every cycle
    expect(set.body[ENTERPRISE].manager).toBe(bossId)
    const third = (await entra.scim('POST', '/Users', entraUser(3))).body.id
    const changed = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: MANAGER, value: { value: third } }),
    )
    expect(changed.body[ENTERPRISE].manager.value).toBe(third)
    const removed = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Remove', path: `manager[value eq "${third}"]` }),
    )
    expect(removed.body[ENTERPRISE].manager).toBeUndefined()
    await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({
        op: 'Add',
        path: 'manager',
        value: [{ value: bossId, $ref: `${entra.baseUrl}/Users/${bossId}` }],
      }),
    )
    const emptied = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: MANAGER, value: '' }),
    )
    expect(emptied.body[ENTERPRISE].manager).toBeUndefined()
  })

  it('an unknown attribute path is 400 invalidPath and changes nothing', async () => {
    const before = (await entra.scim('GET', `/Users/${priyaId}`)).body
    const answer = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: 'shoeSize', value: '44' }),
    )
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidPath' })
    expect((await entra.scim('GET', `/Users/${priyaId}`)).body.meta.lastModified).toBe(
      before.meta.lastModified,
    )
  })

  it('deactivate with "False" and reactivate with "True"', async () => {
    const off = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: 'active', value: 'False' }),
    )
    expect(off.body.active).toBe(false)
    const on = await entra.scim(
      'PATCH',
      `/Users/${priyaId}`,
      patch({ op: 'Replace', path: 'active', value: 'True' }),
    )
    expect(on.body.active).toBe(true)
  })

  it('delete is a tombstone: 204, then 404 for every call on the id, and the userName can be created again', async () => {
    const gone = await entra.scim('DELETE', `/Users/${bossId}`)
    expect(gone.status).toBe(204)
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', entraUser(2)],
      ['PATCH', patch({ op: 'Replace', path: 'active', value: false })],
      ['DELETE', undefined],
    ] as const) {
      expect((await entra.scim(method, `/Users/${bossId}`, body)).status).toBe(404)
    }
    const lookup = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "user2@contoso.test"')}`,
    )
    expect(lookup.body.totalResults).toBe(0)
    const again = await entra.scim('POST', '/Users', entraUser(2))
    expect(again.status).toBe(201)
    expect(again.body.id).not.toBe(bossId)
  })

  it('racing duplicate POSTs give exactly one user and one 409 per extra request', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => entra.scim('POST', '/Users', entraUser(9))))
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409])
    const lookup = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "user9@contoso.test"')}`,
    )
    expect(lookup.body.totalResults).toBe(1)
  })

  it("a token of one company never sees another company's users: 404, and its lists are its own", async () => {
    const theirs = (await other.scim('POST', '/Users', oktaUser(1))).body.id as string
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', oktaUser(1)],
      ['PATCH', patch({ op: 'replace', value: { active: false } })],
      ['DELETE', undefined],
    ] as const) {
      const answer = await entra.scim(method, `/Users/${theirs}`, body)
      expect(answer.status).toBe(404)
      expect(answer.body.schemas).toEqual([ERROR])
    }
    const mine = await entra.scim('GET', '/Users')
    expect(mine.body.Resources.map((r: Json) => r.id)).not.toContain(theirs)
    const lookup = await entra.scim(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "person1@nordvik.test"')}`,
    )
    expect(lookup.body.totalResults).toBe(0)
    expect((await other.scim('GET', `/Users/${theirs}`)).body.active).toBe(true)
    // the same userName may live in both companies
    expect((await entra.scim('POST', '/Users', oktaUser(1))).status).toBe(201)
  })

  it('rotation: the new token works at once, the previous one until the next rotation or its revocation', async () => {
    const first = entra.token
    const rotated = await t.admin('POST', `/api/integrations/${entra.integrationId}/scim-token/rotate`)
    expect(rotated.status).toBe(200)
    expect(rotated.body.scim.baseUrl).toBe(entra.baseUrl)
    const second = rotated.body.scim.token as string
    expect(second).not.toBe(first)
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: first })).status).toBe(200)
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: second })).status).toBe(200)
    const third = (await t.admin('POST', `/api/integrations/${entra.integrationId}/scim-token/rotate`)).body
      .scim.token
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: first })).status).toBe(401)
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: second })).status).toBe(200)
    const revoked = await t.admin('DELETE', `/api/integrations/${entra.integrationId}/scim-token/previous`)
    expect(revoked.body).toEqual({ revoked: true })
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: second })).status).toBe(401)
    expect((await entra.scim('GET', '/Users?count=1', undefined, { token: third })).status).toBe(200)
    const again = await t.admin('DELETE', `/api/integrations/${entra.integrationId}/scim-token/previous`)
    expect(again.body).toEqual({ revoked: false })
    const unknown = await t.admin('POST', '/api/integrations/int_missing/scim-token/rotate')
    expect(unknown.status).toBe(404)
    const stored = await t.runner.services.db.query<Json>(
      'SELECT scim_token_hash, scim_previous_token_hash FROM integrations',
    )
    expect(JSON.stringify(stored)).not.toContain(third)
  })

  it('a disconnected integration answers 401 to its token', async () => {
    const gone = await t.connect('entra-id', 'Fabrikam')
    expect((await gone.scim('GET', '/Users')).status).toBe(200)
    expect((await t.admin('DELETE', `/api/integrations/${gone.integrationId}`)).status).toBe(200)
    expect((await gone.scim('GET', '/Users')).status).toBe(401)
  })
})

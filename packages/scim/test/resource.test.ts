import { describe, expect, it } from 'vitest'
import {
  listResponse,
  parseUser,
  renderUser,
  resourceTypes,
  type ScimUserRecord,
  schemas,
  scimUser,
  serviceProviderConfig,
} from '../src/index.js'
import { BASE, CORE, ENTERPRISE, ENTRA_CREATE, OKTA_CREATE } from './requests.js'

const stored = (user = parseUser(OKTA_CREATE)): ScimUserRecord => ({
  id: 'c5e0',
  created: '2025-03-02T09:14:00.000Z',
  lastModified: '2025-03-04T17:40:12.000Z',
  version: 3,
  user,
})

describe('parsing POST and PUT bodies', () => {
  it("Okta's create: password, groups and locale dropped; the manager kept as sent", () => {
    expect(parseUser(OKTA_CREATE)).toEqual(
      scimUser({
        userName: 'maja.lindqvist@nordvik.test',
        externalId: '00u8k2pq9zXyT4s5d7',
        name: { givenName: 'Maja', familyName: 'Lindqvist', formatted: null },
        displayName: 'Maja Lindqvist',
        emails: [{ primary: true, value: 'maja.lindqvist@nordvik.test', type: 'work' }],
        employeeNumber: 'NV-2231',
        department: 'Finance',
        managerRef: { value: 'NV-1007', displayName: 'Olof Berg', shape: 'object' },
      }),
    )
  })

  it("Entra's create: nulls, roles and meta tolerated", () => {
    expect(parseUser(ENTRA_CREATE)).toMatchObject({
      userName: 'priya.ng@contoso.test',
      title: null,
      name: { formatted: 'Priya Ng', familyName: 'Ng', givenName: 'Priya' },
      department: 'Treasury',
      employeeNumber: 'C-4410',
      managerRef: null,
    })
  })

  it('"active":"True" (Microsoft\'s Postman test) becomes true; attribute names are case-insensitive', () => {
    expect(parseUser({ USERNAME: 'a@b.test', Active: 'False', DisplayName: 'A' })).toMatchObject({
      userName: 'a@b.test',
      active: false,
      displayName: 'A',
    })
    expect(parseUser({ userName: 'a', active: 'True' }).active).toBe(true)
  })

  it('a PUT without active keeps the current status; a POST without it is active', () => {
    expect(parseUser({ userName: 'a' }).active).toBe(true)
    expect(parseUser({ userName: 'a' }, scimUser({ userName: 'a', active: false })).active).toBe(false)
  })

  it('emails without a value are dropped', () => {
    expect(parseUser({ userName: 'a', emails: [{ type: 'work', value: null }] }).emails).toEqual([])
  })

  it.each([
    [{ name: { givenName: 'x' } }, 'userName'],
    [{ userName: '' }, 'userName'],
    [{ userName: 'a', active: 'yes' }, 'active'],
    [{ userName: 'a', name: 'Ana' }, 'name'],
    [{ userName: 'a', emails: 'a@b.test' }, 'emails'],
  ])('%j → 400 invalidValue naming %s', (body, attr) => {
    expect(() => parseUser(body)).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidValue' }),
    )
    expect(() => parseUser(body)).toThrowError(attr)
  })
})

describe('rendering', () => {
  it('the User resource: core, enterprise extension and meta, manager echoed in its shape', () => {
    expect(renderUser(stored(), BASE)).toEqual({
      schemas: [CORE, ENTERPRISE],
      id: 'c5e0',
      externalId: '00u8k2pq9zXyT4s5d7',
      userName: 'maja.lindqvist@nordvik.test',
      name: { givenName: 'Maja', familyName: 'Lindqvist' },
      displayName: 'Maja Lindqvist',
      emails: [{ primary: true, value: 'maja.lindqvist@nordvik.test', type: 'work' }],
      active: true,
      [ENTERPRISE]: {
        employeeNumber: 'NV-2231',
        department: 'Finance',
        manager: { value: 'NV-1007', displayName: 'Olof Berg' },
      },
      meta: {
        resourceType: 'User',
        created: '2025-03-02T09:14:00.000Z',
        lastModified: '2025-03-04T17:40:12.000Z',
        location: `${BASE}/Users/c5e0`,
        version: 'W/"3"',
      },
    })
  })

  it.each([
    ['string', '8b0c'],
    ['object', { value: '8b0c' }],
    ['array', [{ value: '8b0c', $ref: `${BASE}/Users/8b0c` }]],
  ] as const)('a %s manager is echoed as a %s', (shape, expected) => {
    const user = scimUser({
      userName: 'a',
      managerRef: { value: '8b0c', shape, ...(shape === 'array' ? { $ref: `${BASE}/Users/8b0c` } : {}) },
    })
    expect(renderUser(stored(user), BASE)[ENTERPRISE]).toEqual({ manager: expected })
  })

  it('a user without enterprise data lists only the core schema; custom extensions are echoed', () => {
    const user = scimUser({ userName: 'a', extensions: { 'urn:acme:User': { badge: 'B-1' } } })
    expect(renderUser(stored(user), BASE)).toMatchObject({
      schemas: [CORE, 'urn:acme:User'],
      'urn:acme:User': { badge: 'B-1' },
    })
    expect(renderUser(stored(user), BASE)).not.toHaveProperty(ENTERPRISE)
  })

  it('ListResponse uses integers', () => {
    expect(listResponse([{ id: 'a' }], 7, 3)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 7,
      startIndex: 3,
      itemsPerPage: 1,
      Resources: [{ id: 'a' }],
    })
  })
})

describe('discovery documents', () => {
  it('ServiceProviderConfig: patch and filter yes, bulk, sort, etag and password no, bearer token', () => {
    expect(serviceProviderConfig(BASE)).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken', primary: true }],
    })
  })

  it('Schemas list User and EnterpriseUser without password; ResourceTypes has /Users', () => {
    const [user, enterprise] = schemas(BASE)
    expect(user?.id).toBe(CORE)
    expect(enterprise?.id).toBe(ENTERPRISE)
    expect(JSON.stringify(schemas(BASE))).not.toContain('password')
    expect(JSON.stringify(schemas(BASE))).not.toContain('null')
    expect(resourceTypes(BASE)[0]).toMatchObject({
      endpoint: '/Users',
      schema: CORE,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    })
  })
})

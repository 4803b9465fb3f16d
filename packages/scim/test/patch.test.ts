import { describe, expect, it } from 'vitest'
import { applyPatch, normalisePatch, type ScimUser, scimUser } from '../src/index.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

const priya = (): ScimUser =>
  scimUser({
    userName: 'priya.ng@contoso.test',
    externalId: '3d1f7a52',
    displayName: 'Priya Ng',
    name: { givenName: 'Priya', familyName: 'Ng', formatted: 'Priya Ng' },
    emails: [{ primary: true, type: 'work', value: 'priya.ng@contoso.test' }],
    employeeNumber: 'C-4410',
    department: 'Treasury',
  })

const patch = (user: ScimUser, ...operations: unknown[]) =>
  applyPatch(user, normalisePatch({ schemas: [PATCH_OP], Operations: operations }))

describe('PATCH: Entra default forms (capitalised ops, string booleans, filtered paths)', () => {
  it('the default-job example of SCIM.md applies every operation', () => {
    const next = patch(
      priya(),
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'p.ng@contoso.test' },
      { op: 'Replace', path: 'name.familyName', value: 'Ng-Berg' },
      { op: 'Add', path: 'title', value: 'Controller' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Finance' },
      { op: 'Replace', path: 'active', value: 'False' },
    )
    expect(next).toMatchObject({
      emails: [{ primary: true, type: 'work', value: 'p.ng@contoso.test' }],
      name: { givenName: 'Priya', familyName: 'Ng-Berg' },
      title: 'Controller',
      department: 'Finance',
      active: false,
    })
  })

  it('"True" reactivates; booleans in any case', () => {
    const inactive = { ...priya(), active: false }
    expect(patch(inactive, { op: 'Replace', path: 'active', value: 'True' }).active).toBe(true)
    expect(patch(inactive, { op: 'replace', path: 'ACTIVE', value: 'true' }).active).toBe(true)
  })

  it('replace on emails[type eq "work"].value adds the work email when there is none', () => {
    const next = patch(scimUser({ userName: 'x' }), {
      op: 'Replace',
      path: 'emails[type eq "work"].value',
      value: 'x@contoso.test',
    })
    expect(next.emails).toEqual([{ type: 'work', value: 'x@contoso.test' }])
  })

  it('an empty string or null clears the attribute', () => {
    const next = patch(
      { ...priya(), title: 'CFO' },
      { op: 'Replace', path: 'title', value: '' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: null },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: '' },
      { op: 'Replace', path: 'name.givenName', value: null },
    )
    expect(next).toMatchObject({ title: null, department: null, emails: [], name: { givenName: null } })
  })

  it('Remove with a value array removes those values', () => {
    const user = { ...priya(), emails: [...priya().emails, { type: 'home', value: 'p@home.test' }] }
    const next = patch(user, { op: 'Remove', path: 'emails', value: [{ value: 'P@HOME.test' }] })
    expect(next.emails).toEqual(priya().emails)
  })

  it('Remove on a filtered path removes the matching email', () => {
    expect(patch(priya(), { op: 'Remove', path: 'emails[type eq "work"]' }).emails).toEqual([])
  })
})

describe('PATCH: aadOptscim062020 forms (path-less replace with dotted and URN keys)', () => {
  it('applies every key of the value object', () => {
    const next = patch(
      priya(),
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'p.ng@contoso.test' },
      {
        op: 'replace',
        value: {
          displayName: 'Priya Ng-Berg',
          'name.givenName': 'Pri',
          [`${ENTERPRISE}:employeeNumber`]: 'C-4411',
        },
      },
      { op: 'replace', path: 'active', value: false },
    )
    expect(next).toMatchObject({
      displayName: 'Priya Ng-Berg',
      name: { givenName: 'Pri', familyName: 'Ng' },
      employeeNumber: 'C-4411',
      emails: [{ value: 'p.ng@contoso.test' }],
      active: false,
    })
  })

  it('a nested enterprise object and a name object merge their sub-attributes', () => {
    const next = patch(priya(), {
      op: 'replace',
      value: { name: { familyName: 'Berg' }, [ENTERPRISE]: { department: 'Audit' } },
    })
    expect(next).toMatchObject({ name: { givenName: 'Priya', familyName: 'Berg' }, department: 'Audit' })
    expect(next.employeeNumber).toBe('C-4410')
  })

  it('unknown keys in a path-less value are ignored', () => {
    const next = patch(priya(), { op: 'replace', value: { active: false, nickName: 'P', foo: 1 } })
    expect(next).toEqual({ ...priya(), active: false })
  })
})

describe('PATCH: Okta forms', () => {
  it('deactivate and reactivate with a path-less value', () => {
    const off = patch(priya(), { op: 'replace', value: { active: false } })
    expect(off.active).toBe(false)
    expect(patch(off, { op: 'replace', value: { active: true } }).active).toBe(true)
  })
})

describe('PATCH: manager forms', () => {
  const MANAGER = `${ENTERPRISE}:manager`

  it.each([
    [
      'a plain string',
      { op: 'Add', path: MANAGER, value: '8b0c2f3e' },
      { value: '8b0c2f3e', shape: 'string' },
    ],
    [
      '{value}',
      { op: 'Add', path: MANAGER, value: { value: '8b0c2f3e' } },
      { value: '8b0c2f3e', shape: 'object' },
    ],
    [
      '[{value,$ref}] on the bare path',
      { op: 'Add', path: 'manager', value: [{ $ref: 'https://x/Users/8b0c2f3e', value: '8b0c2f3e' }] },
      { value: '8b0c2f3e', $ref: 'https://x/Users/8b0c2f3e', shape: 'array' },
    ],
    [
      'a path-less value with the URN key',
      { op: 'replace', value: { [MANAGER]: { value: 'NV-1007', displayName: 'Olof Berg' } } },
      { value: 'NV-1007', displayName: 'Olof Berg', shape: 'object' },
    ],
    [
      'manager.value',
      { op: 'replace', path: `${MANAGER}.value`, value: 'NV-1007' },
      { value: 'NV-1007', shape: 'object' },
    ],
  ])('sets the manager from %s, keeping the shape', (_form, operation, managerRef) => {
    expect(patch(priya(), operation).managerRef).toEqual(managerRef)
  })

  const managed = (): ScimUser => ({ ...priya(), managerRef: { value: '8b0c2f3e', shape: 'string' } })

  it.each([
    ['Replace with ""', { op: 'Replace', path: MANAGER, value: '' }],
    ['Replace with null', { op: 'Replace', path: MANAGER, value: null }],
    ['Replace with {value:""}', { op: 'Replace', path: MANAGER, value: { value: '' } }],
    ['Remove', { op: 'Remove', path: MANAGER }],
    ['Remove manager[value eq "…"]', { op: 'Remove', path: 'manager[value eq "8b0c2f3e"]' }],
    ['Remove with a value array', { op: 'Remove', path: MANAGER, value: [{ value: '8b0c2f3e' }] }],
  ])('clears the manager with %s', (_form, operation) => {
    expect(patch(managed(), operation).managerRef).toBeNull()
  })

  it('Remove manager[value eq "…"] keeps a different manager', () => {
    expect(patch(managed(), { op: 'Remove', path: 'manager[value eq "other"]' }).managerRef).toEqual(
      managed().managerRef,
    )
  })
})

describe('PATCH: what is accepted and dropped, and what is rejected', () => {
  it('core attributes we do not store are accepted and ignored', () => {
    const next = patch(
      priya(),
      { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+46 8 123' },
      { op: 'Replace', path: 'preferredLanguage', value: 'sv-SE' },
      { op: 'Replace', path: 'name.middleName', value: 'K' },
    )
    expect(next).toEqual(priya())
  })

  it('enterprise and custom extension attributes are kept as sent', () => {
    const next = patch(
      priya(),
      { op: 'Add', path: `${ENTERPRISE}:costCenter`, value: 'CC-9' },
      { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge', value: 'B-1' },
    )
    expect(next.enterpriseExtra).toEqual({ costCenter: 'CC-9' })
    expect(next.extensions).toEqual({
      'urn:ietf:params:scim:schemas:extension:acme:2.0:User': { badge: 'B-1' },
    })
  })

  it('an empty Operations array changes nothing', () => {
    expect(patch(priya())).toEqual(priya())
  })

  it.each([
    [{ op: 'Move', path: 'title', value: 'x' }, 'invalidSyntax', 'expected add, replace or remove'],
    [{ op: 'replace', value: 'x' }, 'invalidSyntax', 'needs an object value'],
    [{ op: 'remove' }, 'noTarget', 'remove needs a path'],
    [{ op: 'replace', path: 'shoeSize', value: '42' }, 'invalidPath', '"shoeSize" is not an attribute'],
    [{ op: 'replace', path: 'title[type eq "x"]', value: 'x' }, 'invalidPath', 'only emails and manager'],
    [{ op: 'replace', path: 'emails[display eq "x"].value', value: 'x' }, 'invalidPath', 'selected by type'],
    [{ op: 'replace', path: 'active', value: 'maybe' }, 'invalidValue', 'active must be true or false'],
    [{ op: 'remove', path: 'userName' }, 'invalidValue', 'userName is required'],
    [{ op: 'replace', path: 'title', value: { a: 1 } }, 'invalidValue', 'title must be a string'],
  ])('%j → 400 %s', (operation, scimType, detail) => {
    const run = () => patch(priya(), operation)
    expect(run).toThrowError(expect.objectContaining({ status: 400, scimType }))
    expect(run).toThrowError(detail)
  })

  it('a body without Operations is invalidSyntax', () => {
    expect(() => normalisePatch({ schemas: [PATCH_OP] })).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidSyntax' }),
    )
  })

  it('applying does not change its input', () => {
    const user = priya()
    patch(user, { op: 'replace', path: 'emails[type eq "work"].value', value: 'z@z.test' })
    expect(user).toEqual(priya())
  })
})

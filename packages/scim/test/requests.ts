// Request bodies in the exact shapes Okta and Entra ID send.
export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const BASE = 'https://app.example/scim/v2'

export const OKTA_CREATE = {
  schemas: [CORE, ENTERPRISE],
  userName: 'maja.lindqvist@nordvik.test',
  name: { givenName: 'Maja', familyName: 'Lindqvist' },
  emails: [{ primary: true, value: 'maja.lindqvist@nordvik.test', type: 'work' }],
  displayName: 'Maja Lindqvist',
  locale: 'sv-SE',
  externalId: '00u8k2pq9zXyT4s5d7',
  groups: [],
  password: 'xT93kq2m',
  active: true,
  [ENTERPRISE]: {
    employeeNumber: 'NV-2231',
    department: 'Finance',
    manager: { value: 'NV-1007', displayName: 'Olof Berg' },
  },
}

export const ENTRA_CREATE = {
  schemas: [CORE, ENTERPRISE],
  externalId: '3d1f7a52-6c0e-4d7b-9b3a-1b2c3d4e5f60',
  userName: 'priya.ng@contoso.test',
  active: true,
  displayName: 'Priya Ng',
  emails: [{ primary: true, type: 'work', value: 'priya.ng@contoso.test' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Priya Ng', familyName: 'Ng', givenName: 'Priya' },
  title: null,
  phoneNumbers: null,
  addresses: null,
  roles: [],
  [ENTERPRISE]: { department: 'Treasury', employeeNumber: 'C-4410' },
}

import {
  ENTERPRISE_SCHEMA,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from './urns.js'

/** The largest page we serve; advertised as filter.maxResults. */
export const MAX_RESULTS = 200

export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Per-company bearer token',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  }
}

type Attribute = Record<string, unknown>

const attribute = (name: string, fields: Partial<Attribute> = {}): Attribute => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...fields,
})

/** Only what we store: Entra's gallery test compares this list with the mapped attributes. */
const USER_ATTRIBUTES: Attribute[] = [
  attribute('userName', { required: true, uniqueness: 'server' }),
  attribute('externalId', { caseExact: true }),
  attribute('name', {
    type: 'complex',
    subAttributes: [attribute('givenName'), attribute('familyName'), attribute('formatted')],
  }),
  attribute('displayName'),
  attribute('title'),
  attribute('emails', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attribute('value'),
      attribute('type', { canonicalValues: ['work', 'home', 'other'] }),
      attribute('primary', { type: 'boolean' }),
      attribute('display'),
    ],
  }),
  attribute('active', { type: 'boolean' }),
]

const ENTERPRISE_ATTRIBUTES: Attribute[] = [
  attribute('employeeNumber'),
  attribute('department'),
  attribute('costCenter'),
  attribute('division'),
  attribute('organization'),
  attribute('manager', {
    type: 'complex',
    subAttributes: [
      attribute('value', { caseExact: true }),
      attribute('$ref', { type: 'reference', referenceTypes: ['User'], caseExact: true }),
      attribute('displayName', { mutability: 'readOnly' }),
    ],
  }),
]

export function schemas(baseUrl: string): Record<string, unknown>[] {
  const schema = (id: string, name: string, description: string, attributes: Attribute[]) => ({
    schemas: [SCHEMA_SCHEMA],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` },
  })
  return [
    schema(USER_SCHEMA, 'User', 'User Account', USER_ATTRIBUTES),
    schema(ENTERPRISE_SCHEMA, 'EnterpriseUser', 'Enterprise User', ENTERPRISE_ATTRIBUTES),
  ]
}

export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
  ]
}

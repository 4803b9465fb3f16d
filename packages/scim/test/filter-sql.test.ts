import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFilter, type ScimUserRecord, scimUser, scimUserRow } from '../src/index.js'

// The same filters run as SQL on PostgreSQL (PGlite) and in memory must select the same users.
const records: ScimUserRecord[] = [
  rec('u1', '2025-03-01T09:00:00.000Z', {
    userName: 'Priya.Ng@contoso.test',
    externalId: '3d1f',
    displayName: 'Priya Ng',
    name: { givenName: 'Priya', familyName: 'Ng', formatted: 'Priya Ng' },
    employeeNumber: 'C-4410',
    emails: [{ value: 'priya.ng@contoso.test', type: 'work', primary: true }],
  }),
  rec('u2', '2025-03-02T09:00:00.000Z', {
    userName: 'maja.lindqvist@nordvik.test',
    externalId: '00u8k2',
    active: false,
    name: { givenName: 'Maja', familyName: 'Lindqvist', formatted: null },
    emails: [
      { value: 'maja@home.test', type: 'home' },
      { value: 'maja.lindqvist@nordvik.test', type: 'work', primary: true },
    ],
  }),
  rec('u3', '2025-03-03T09:00:00.000Z', { userName: 'no.email@acme.test', displayName: 'X' }),
]

const FILTERS = [
  'userName eq "PRIYA.NG@contoso.test"',
  'userName ne "priya.ng@contoso.test"',
  'externalId eq "3D1F"',
  'externalId eq "3d1f"',
  'id eq "u2"',
  'displayName co "ng"',
  'displayName pr',
  'not (displayName pr)',
  'name.givenName sw "MA"',
  'name.familyName ew "QVIST"',
  'active eq false',
  'active ne false',
  'employeeNumber eq "c-4410"',
  'emails[type eq "work"].value eq "maja.lindqvist@nordvik.test"',
  'emails[type eq "work"].value eq "maja@home.test"',
  'emails.value eq "MAJA@home.test"',
  'emails[type eq "home" or primary eq true]',
  'emails pr',
  'not (emails pr)',
  'meta.lastModified gt "2025-03-01T12:00:00Z"',
  'meta.created le "2025-03-02T09:00:00Z"',
  'meta.lastModified ne "2025-03-02T09:00:00Z"',
  'userName sw "m" or (active eq true and not (externalId eq "3d1f"))',
  'not (externalId eq "3d1f")',
]

let db: PGlite

beforeAll(async () => {
  db = new PGlite()
  await db.exec(`CREATE TABLE scim_users (
    integration_id text NOT NULL, id text PRIMARY KEY, user_name text NOT NULL, external_id text,
    display_name text, given_name text, family_name text, active boolean NOT NULL,
    employee_number text, emails jsonb NOT NULL DEFAULT '[]', created_at timestamptz NOT NULL,
    last_modified timestamptz NOT NULL, version integer NOT NULL, resource jsonb NOT NULL)`)
  for (const record of records) {
    const row = scimUserRow(record)
    const names = Object.keys(row)
    await db.query(
      `INSERT INTO scim_users (integration_id, ${names.join(', ')}) VALUES ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')})`,
      ['int-1', ...Object.values(row)],
    )
  }
})

afterAll(async () => {
  await db.close()
})

describe('filter SQL on PostgreSQL agrees with the in-memory evaluation', () => {
  it.each(FILTERS)('%s', async (text) => {
    const filter = parseFilter(text)
    const { sql, params } = filter.toSql(2)
    const result = await db.query<{ id: string }>(
      `SELECT id FROM scim_users WHERE integration_id = $1 AND ${sql} ORDER BY created_at, id`,
      ['int-1', ...params],
    )
    const expected = records.filter((r) => filter.matches(r)).map((r) => r.id)
    expect(result.rows.map((r) => r.id)).toEqual(expected)
  })
})

function rec(id: string, at: string, fields: Parameters<typeof scimUser>[0]): ScimUserRecord {
  return { id, created: at, lastModified: at, version: 1, user: scimUser(fields) }
}

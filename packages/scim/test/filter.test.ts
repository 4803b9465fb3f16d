import { describe, expect, it } from 'vitest'
import { filterToSql, MemoryScimStore, parseFilter, type ScimUserRecord, scimUser } from '../src/index.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('filter → SQL', () => {
  it.each([
    ['userName eq "Ana@Acme.test"', 'lower(user_name) = lower($1::text)', ['Ana@Acme.test']],
    ['USERNAME EQ "a"', 'lower(user_name) = lower($1::text)', ['a']],
    ['externalId eq "00u1"', 'external_id = $1::text', ['00u1']],
    ['id eq "c5e0"', 'id = $1::text', ['c5e0']],
    ['displayName co "Ng"', 'strpos(lower(display_name), lower($1::text)) > 0', ['Ng']],
    ['name.givenName sw "pri"', 'starts_with(lower(given_name), lower($1::text))', ['pri']],
    ['name.familyName ew "ng"', 'right(lower(family_name), char_length($1::text)) = lower($1::text)', ['ng']],
    ['displayName ne "x"', 'lower(display_name) IS DISTINCT FROM lower($1::text)', ['x']],
    ['externalId pr', "external_id <> ''", []],
    ['active eq false', 'active = $1::boolean', [false]],
    ['active ne true', 'active IS DISTINCT FROM $1::boolean', [true]],
    [`${ENTERPRISE}:employeeNumber eq "NV-2231"`, 'lower(employee_number) = lower($1::text)', ['NV-2231']],
    ['employeeNumber eq 1042', 'lower(employee_number) = lower($1::text)', ['1042']],
    [
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"',
      'lower(user_name) = lower($1::text)',
      ['a'],
    ],
    [
      'meta.lastModified gt "2025-03-01T00:00:00Z"',
      'last_modified > $1::timestamptz',
      ['2025-03-01T00:00:00Z'],
    ],
    [
      'meta.lastModified le "2025-03-01T00:00:00Z"',
      'last_modified <= $1::timestamptz',
      ['2025-03-01T00:00:00Z'],
    ],
    ['meta.created ge "2025-03-01"', 'created_at >= $1::timestamptz', ['2025-03-01']],
  ])('%s', (filter, sql, params) => {
    expect(filterToSql(filter)).toEqual({ sql, params })
  })

  it('emails[type eq "work"].value eq "…" holds for one and the same email', () => {
    expect(filterToSql('emails[type eq "work"].value eq "P.Ng@contoso.test"')).toEqual({
      sql:
        "EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(emails, '[]'::jsonb)) AS e(v) WHERE " +
        "(lower((e.v->>'type')) = lower($1::text) AND lower((e.v->>'value')) = lower($2::text)))",
      params: ['work', 'P.Ng@contoso.test'],
    })
  })

  it('emails.value and emails compare any email, case-insensitively', () => {
    const sql =
      "EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(emails, '[]'::jsonb)) AS e(v) WHERE " +
      "lower((e.v->>'value')) = lower($1::text))"
    expect(filterToSql('emails.value eq "a@b.test"').sql).toBe(sql)
    expect(filterToSql('emails eq "a@b.test"').sql).toBe(sql)
    expect(filterToSql('emails pr').sql).toBe("jsonb_array_length(coalesce(emails, '[]'::jsonb)) > 0")
    expect(filterToSql('emails[primary eq true]').sql).toContain("(e.v->>'primary')::boolean = $1::boolean")
  })

  it('and, or and not nest with parameters in order from the caller-given index', () => {
    expect(filterToSql('userName eq "a" and (active eq true or not (externalId eq "x"))', 3)).toEqual({
      sql:
        '(lower(user_name) = lower($3::text) AND (active = $4::boolean OR ' +
        '(NOT coalesce(external_id = $5::text, false))))',
      params: ['a', true, 'x'],
    })
  })

  it.each([
    ['userName eq "a@b.test"', true],
    ['id eq "u1"', true],
    ['externalId eq "x1"', true],
    ['userName eq "a" and active eq true', true],
    ['userName eq "a" or externalId eq "b"', true],
    ['userName eq "a" or active eq true', false],
    ['userName ne "a"', false],
    ['userName sw "a"', false],
    ['not (userName eq "a")', false],
    ['displayName eq "Ada"', false],
    ['emails[value eq "a@b.test"]', false],
    ['active eq true', false],
  ])('%s selects by an indexed key: %s', (filter, selective) => {
    expect(parseFilter(filter).selective).toBe(selective)
  })

  it.each([
    ['userName eq "A@B.test"', { attribute: 'userName', value: 'A@B.test' }],
    ['active eq true and externalId eq "x1"', { attribute: 'externalId', value: 'x1' }],
    ['id eq "u1" and userName eq "a"', { attribute: 'id', value: 'u1' }],
    ['userName eq "a" or userName eq "b"', null],
    ['not (id eq "u1")', null],
    ['displayName eq "Ada"', null],
  ])('%s starts from the key %j', (filter, lookup) => {
    expect(parseFilter(filter).lookup).toEqual(lookup)
  })

  it('a caller may qualify the columns', () => {
    const columns = {
      id: 'u.id',
      userName: 'u.user_name',
      externalId: 'u.external_id',
      displayName: 'u.display_name',
      givenName: 'u.given_name',
      familyName: 'u.family_name',
      active: 'u.active',
      employeeNumber: 'u.employee_number',
      emails: 'u.emails',
      created: 'u.created_at',
      lastModified: 'u.last_modified',
    }
    expect(filterToSql('userName eq "a"', 2, columns).sql).toBe('lower(u.user_name) = lower($2::text)')
  })

  it.each([
    ['userName eq', 'does not parse'],
    ['userName eq "a" and', 'does not parse'],
    ['userName eq "a" ]', 'does not parse'],
    ['title eq "CFO"', 'Filtering on "title" is not supported'],
    ['password eq "x"', 'Filtering on "password" is not supported'],
    ['userName gt "a"', 'Operator "gt" cannot be used on userName'],
    ['active co "t"', 'Operator "co" cannot be used on active'],
    ['active eq "true"', 'active compares with true or false'],
    ['userName eq null', 'userName compares with a quoted string'],
    ['meta.lastModified gt "yesterday"', 'compares with a date-time'],
    ['emails[foo eq "x"]', 'emails has no sub-attribute "foo"'],
    ['name[givenName eq "x"]', 'Only emails can be filtered with [ ]'],
    ['emails.value gt "a"', 'Operator "gt" cannot be used on emails.value'],
  ])('rejects %s → 400 invalidFilter', (filter, detail) => {
    expect(() => parseFilter(filter)).toThrowError(
      expect.objectContaining({ status: 400, scimType: 'invalidFilter' }),
    )
    expect(() => parseFilter(filter)).toThrowError(detail)
  })
})

const record = (id: string, fields: Parameters<typeof scimUser>[0], created = '2025-03-01T10:00:00.000Z') =>
  ({ id, created, lastModified: created, version: 1, user: scimUser(fields) }) satisfies ScimUserRecord

describe('filter in memory', () => {
  const priya = record('u1', {
    userName: 'Priya.Ng@contoso.test',
    externalId: '3d1f',
    emails: [{ value: 'priya.ng@contoso.test', type: 'work', primary: true }],
    name: { givenName: 'Priya', familyName: 'Ng', formatted: null },
    active: false,
  })
  const home = record('u2', { userName: 'b@x.test', emails: [{ value: 'w@x.test', type: 'home' }] })

  it.each([
    ['userName eq "PRIYA.NG@CONTOSO.TEST"', true],
    ['externalId eq "3D1F"', false],
    ['emails[type eq "work"].value eq "Priya.Ng@Contoso.test"', true],
    ['active eq false and name.givenName sw "pri"', true],
    ['not (active eq false)', false],
    ['displayName pr', false],
    ['not (displayName eq "x")', true],
  ])('%s → %s', (filter, expected) => {
    expect(parseFilter(filter).matches(priya)).toBe(expected)
  })

  it('the work-email filter needs the type and the value on the same email', () => {
    const mixed = record('u3', {
      userName: 'm',
      emails: [
        { value: 'w@x.test', type: 'home' },
        { value: 'other@x.test', type: 'work' },
      ],
    })
    const filter = parseFilter('emails[type eq "work"].value eq "w@x.test"')
    expect([priya, home, mixed].filter((r) => filter.matches(r))).toEqual([])
    expect(parseFilter('emails.value eq "w@x.test"').matches(mixed)).toBe(true)
  })
})

describe('memory store lists by the filter key', () => {
  it('finds a user by userName in any case, by id, and still applies the rest of the filter', async () => {
    const store = new MemoryScimStore()
    const users = []
    for (let i = 0; i < 50; i++) {
      users.push(await store.create('int', scimUser({ userName: `user${i}@acme.test`, active: i % 2 === 0 })))
    }
    await store.create('other', scimUser({ userName: 'user7@acme.test' }))
    const list = (filter: string) =>
      store.list('int', { filter: parseFilter(filter), startIndex: 1, count: 100 })
    const byName = await list('userName eq "USER7@ACME.TEST"')
    expect([byName.totalResults, byName.records[0]?.id]).toEqual([1, users[7]?.id])
    expect((await list('userName eq "user7@acme.test" and active eq true')).totalResults).toBe(0)
    expect((await list(`id eq "${users[8]?.id}" and active eq true`)).records.map((r) => r.id)).toEqual([
      users[8]?.id,
    ])
    expect((await list('userName eq "nobody@acme.test"')).totalResults).toBe(0)
    // a filter without a key still tests every user
    expect((await list('active eq true')).totalResults).toBe(25)
    await store.tombstone('int', users[7]?.id as string)
    expect((await list('userName eq "user7@acme.test"')).totalResults).toBe(0)
  })
})

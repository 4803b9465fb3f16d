import { fileURLToPath } from 'node:url'
import { checkFixture, loadFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import { isConnector } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import officient, { STATUS } from '../src/index.js'
import { type OfficientListPerson, type OfficientPersonDetail, toEmployee } from '../src/mapping.js'

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(officient, { fixturesDir, now, statusTable: STATUS, vendorApiVersion: '1.0' })

const item = (fields: Partial<OfficientListPerson> = {}): OfficientListPerson => ({
  id: 7,
  name: 'Zoë Müller',
  email: 'zoe.mueller@example.com',
  role_name: 'Engineer',
  archived: 0,
  ...fields,
})
const detail = (fields: Partial<OfficientPersonDetail> = {}): OfficientPersonDetail => ({
  id: 7,
  deleted: 0,
  name: 'Zoë Müller',
  first_name: 'Zoë',
  last_name: 'Müller',
  email: 'zoe.mueller@example.com',
  team: { id: 4, name: 'R&D team' },
  employment: { first_employment_date: '2019-08-12', last_employment_date: null },
  current_role: { name: 'Engineer', start_date: '2019-08-12' },
  current_reports_to: { person_id: 263, person_name: 'Gustavo Fring', start_date: '2019-08-12' },
  ...fields,
})

describe('Officient connector', () => {
  it('is a branded definition that reads only api.officient.io', () => {
    expect(isConnector(officient)).toBe(true)
    expect(officient.allowedHosts).toEqual(['api.officient.io'])
  })

  it('maps both values of the archive flag', () => {
    expect(STATUS).toEqual({ '0': 'active', '1': 'terminated' })
  })

  it.each([
    [0, '2019-08-12', null, 'active'],
    [1, '2019-08-12', '2025-06-30', 'terminated'],
    [1, '2019-08-12', null, 'terminated'],
    [0, '2027-01-04', null, 'pending'],
    [0, '2019-08-12', '2026-11-24', 'terminated'],
    // the last day of employment still counts as employed
    [0, '2019-08-12', '2026-11-25', 'active'],
  ] as const)('archived %s, employed from %s to %s → %s', (archived, first, last, expected) => {
    const person = toEmployee(
      item({ archived }),
      detail({ employment: { first_employment_date: first, last_employment_date: last } }),
      now,
    )
    expect(person).toMatchObject({ status: expected, startDate: first, terminationDate: last })
  })

  it('falls back to the detail flag `deleted` when the list item has no `archived`', () => {
    expect(toEmployee(item({ archived: undefined }), detail({ deleted: 1 }), now)).toMatchObject({
      status: 'terminated',
    })
  })

  it('issue 23: reads `archived` on the detail when the list item has none', () => {
    const person = toEmployee(item({ archived: undefined }), detail({ deleted: undefined, archived: 1 }), now)
    expect(person).toMatchObject({ status: 'terminated' })
  })

  it('issue 23: with no archive flag anywhere, the employment dates decide instead of skipping the person', () => {
    const without = { archived: undefined, deleted: undefined }
    const employed = toEmployee(item(without), detail(without), now)
    expect(employed).toMatchObject({ status: 'active' })
    const left = toEmployee(
      item(without),
      detail({
        ...without,
        employment: { first_employment_date: '2019-08-12', last_employment_date: '2026-10-31' },
      }),
      now,
    )
    expect(left).toMatchObject({ status: 'terminated', terminationDate: '2026-10-31' })
  })

  it('issue 23: a person still employed whose last employment date is ahead is active and leaving on it', () => {
    const person = toEmployee(
      item(),
      detail({ employment: { first_employment_date: '2019-08-12', last_employment_date: '2027-02-26' } }),
      now,
    )
    expect(person).toMatchObject({ status: 'active', terminationDate: '2027-02-26' })
  })

  it('reports an archive flag it does not know instead of guessing', () => {
    expect(() => toEmployee(item({ archived: 2 }), detail(), now)).toThrow(
      expect.objectContaining({ name: 'SkipPerson', remoteId: '7', reason: 'unmapped_status' }),
    )
  })

  it('stringifies ids, empties the work email and never uses the personal email', () => {
    const person = toEmployee(item({ email: null }), detail({ email: '', current_reports_to: null }), now)
    expect(person).toMatchObject({ remoteId: '7', email: null, managerRemoteId: null })
  })

  it('splits the full name at the first space when first and last names are empty', () => {
    const person = toEmployee(
      item({ name: 'Jan Van den Broeck' }),
      detail({ name: 'Jan Van den Broeck', first_name: '', last_name: '' }),
      now,
    )
    expect(person).toMatchObject({ firstName: 'Jan', lastName: 'Van den Broeck' })
  })

  it('asks for archived people on every page, from page 0, then one detail per person in list order', () => {
    const { interactions } = loadFixture(`${fixturesDir}happy-multipage.json`)
    const lists = interactions.filter((i) => i.path.startsWith('/1.0/people/list'))
    expect(lists.map((i) => i.path)).toEqual([
      '/1.0/people/list?page=0&include_archived=1',
      '/1.0/people/list?page=1&include_archived=1',
    ])
    const details = interactions.filter((i) => i.path.endsWith('/detail')).map((i) => i.path)
    const listed = lists.flatMap((i) => (i.response as { data: { id: number }[] }).data.map((p) => p.id))
    expect(details).toEqual(listed.map((id) => `/1.0/people/${id}/detail`))
  })

  it('exchanges the refresh token with a JSON body', () => {
    const [token] = loadFixture(`${fixturesDir}happy-multipage.json`).interactions
    expect(token).toMatchObject({ method: 'POST', path: '/1.0/token' })
    expect(token?.body).toMatchObject({ grant_type: 'refresh_token', client_id: '100200' })
  })

  it('reads non-ASCII names, a person without work email and the archived leaver', async () => {
    const { result } = await replayFixture(officient, `${fixturesDir}statuses.json`, { now })
    const byId = new Map(result?.employees.map((e) => [e.remoteId, e]))
    expect(byId.get('2003')).toMatchObject({ firstName: 'Søren', lastName: 'Åberg', managerRemoteId: '2002' })
    expect(byId.get('2004')).toMatchObject({ email: null, status: 'active' })
    expect(byId.get('2005')).toMatchObject({ status: 'terminated', terminationDate: '2025-06-30' })
    expect(byId.get('2006')).toMatchObject({ status: 'pending', startDate: '2027-01-04' })
  })

  it('explains a 403 as the missing Read permission of the app', async () => {
    const check = await checkFixture(officient, `${fixturesDir}missing-permission.json`, { now })
    expect(check).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!check.ok) expect(check.message).toMatch(/Read permission/)
  })
})

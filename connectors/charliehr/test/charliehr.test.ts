import { fileURLToPath } from 'node:url'
import { pullEmployees } from '@hrsync/connector-kit'
import { checkFixture, replayFixture, runContractSuite } from '@hrsync/connector-testing'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import charlie, { STATUS, type TeamMember, toEmployee } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(charlie, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: '1.0.0',
})

const member = (fields: Partial<TeamMember>): TeamMember => ({
  id: 'team_member_x1',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  start_date: '2020-01-06',
  end_date: null,
  ...fields,
})
const teams = new Map([['team_a1', 'Leadership']])

describe('CharlieHR status from dates', () => {
  it.each([
    [{}, 'active'],
    [{ start_date: '2026-12-01' }, 'pending'],
    [{ end_date: '2026-11-24' }, 'terminated'],
    [{ end_date: '2026-11-25' }, 'active'],
    [{ end_date: '2027-03-31' }, 'active'],
  ] as Array<[Partial<TeamMember>, string]>)('%o → %s', (fields, status) => {
    expect(toEmployee(member(fields), teams, now).status).toBe(status)
  })
})

describe('CharlieHR field mapping', () => {
  it('falls back to `manager` and accepts { id } references', () => {
    const person = toEmployee(
      member({ manager: { id: 'team_member_boss' }, teams: [{ id: 'team_a1' }] }),
      teams,
      now,
    )
    expect(person).toMatchObject({ managerRemoteId: 'team_member_boss', department: 'Leadership' })
  })

  it('a team the list did not name leaves the department empty', () => {
    expect(toEmployee(member({ teams: ['team_zz'] }), teams, now).department).toBeNull()
  })
})

describe('CharlieHR requests', () => {
  afterEach(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it('sends "Token token=id:secret" and follows a path-style next_url', async () => {
    nock.disableNetConnect()
    const auth = { reqheaders: { authorization: 'Token token=my-id:my-secret' } }
    const scope = nock('https://charliehr.com', auth)
      .get('/api/v1/teams')
      .query({ page: '1', per_page: '25' })
      .reply(200, { success: true, data: [], meta: { next_url: null } })
      .get('/api/v1/team_members')
      .query({ page: '1', per_page: '25' })
      .reply(200, {
        success: true,
        data: [member({})],
        meta: { next_url: '/api/v1/team_members?page=2&per_page=25' },
      })
      .get('/api/v1/team_members')
      .query({ page: '2', per_page: '25' })
      .reply(200, { success: true, data: [], meta: { next_url: null } })
    const result = await pullEmployees(charlie, { clientId: 'my-id', clientSecret: 'my-secret' }, { now })
    expect(scope.isDone()).toBe(true)
    expect(result.employees.map((e) => e.remoteId)).toEqual(['team_member_x1'])
  })

  it('a page with success false fails the pull', async () => {
    nock.disableNetConnect()
    nock('https://charliehr.com')
      .get('/api/v1/teams')
      .query(true)
      .reply(200, { success: false, message: 'Something went wrong' })
    await expect(pullEmployees(charlie, { clientId: 'a', clientSecret: 'b' }, { now })).rejects.toMatchObject(
      {
        code: 'vendor_error',
      },
    )
  })
})

describe('CharlieHR refusing the credentials', () => {
  const authFailure = `${fixturesDir}/auth-failure.json`

  it("the connection check says where to copy them again; the pull keeps the kit's words", async () => {
    const check = await checkFixture(charlie, authFailure, { now })
    expect(check).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!check.ok) expect(check.message).toMatch(/Copy both again from Company settings > Integrations > API/)
    const { error } = await replayFixture(charlie, authFailure, { now })
    expect(error).toMatchObject({ code: 'invalid_credentials' })
    expect(error?.message).not.toContain('Copy both again')
  })
})

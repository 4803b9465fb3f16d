import nock from 'nock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestRunner, testRunner } from '../support/runner.js'
import { type Fault, PERSONIO_CONFIG, personio, personioServing } from './personio.js'

// biome-ignore lint/suspicious/noExplicitAny: the assertions walk arbitrary response JSON
type Json = Record<string, any>

const PEOPLE = 250 // three pages: 100, 100, 50
const FAULTS: Array<[Fault, RegExp]> = [
  ['500', /Personio.*(500|server error)/i],
  ['timeout', /Could not reach Personio.*timed out/i],
  ['malformed JSON', /Personio.*(JSON|malformed|not valid)/i],
  ['HTML error page', /Personio.*(502|HTML|not JSON|Bad Gateway)/i],
]
const PAGES: Array<[string, number]> = [
  ['first', 0],
  ['middle', 1],
  ['last', 2],
]

describe('the vendor fails in the middle of a pull', () => {
  let t: TestRunner
  let companyId: string
  let integrationId: string
  const directory = async () => {
    // one page holds them all (the list answers 100 a page unless asked for more)
    const { body } = await t.call<Json>('GET', `/api/companies/${companyId}/users?limit=500`)
    expect(body.nextCursor).toBeNull()
    const teams = await t.call<Json>('GET', `/api/companies/${companyId}/teams`)
    return { users: body.users, teams: teams.body }
  }

  beforeAll(async () => {
    process.env.HRSYNC_BACKOFF_MS = '1'
    nock.disableNetConnect()
    t = await testRunner({ connectors: [personio] })
    personioServing(PEOPLE)
    const company = await t.call<Json>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    companyId = company.body.id
    const connected = await t.call<Json>('POST', `/api/companies/${companyId}/integrations`, {
      connector: 'personio',
      config: PERSONIO_CONFIG,
    })
    expect(connected.status).toBe(201)
    integrationId = connected.body.integration.id
    const first = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(first.body.run).toMatchObject({ status: 'succeeded' })
    expect((await directory()).users).toHaveLength(PEOPLE)
  })
  afterAll(async () => {
    await t?.close()
    nock.cleanAll()
    nock.enableNetConnect()
    delete process.env.HRSYNC_BACKOFF_MS
  })

  for (const [fault, reason] of FAULTS) {
    for (const [where, page] of PAGES) {
      it(`${fault} at the ${where} page: the run fails with the reason, the directory is unchanged`, async () => {
        const before = await directory()
        // everyone got a new title, so a partial apply would show
        personioServing(PEOPLE, { title: 'Principal', fault, faultPage: page })
        const { status, body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
        expect(status).toBeLessThan(500)
        expect(body.run).toMatchObject({ status: 'failed', changes: [] })
        expect(body.run.failure).toMatch(reason)
        expect(JSON.stringify(body)).not.toMatch(/\n\s+at |client-secret|personio-token/)
        expect(await directory()).toEqual(before)
      })
    }
  }

  it('the next sync after the vendor recovers applies the change', async () => {
    personioServing(PEOPLE, { title: 'Principal' })
    const { body } = await t.call<Json>('POST', `/api/integrations/${integrationId}/sync`)
    expect(body.run).toMatchObject({ status: 'succeeded' })
    const { users } = await directory()
    expect(users.every((user: Json) => user.person?.jobTitle === 'Principal')).toBe(true)
  })
})

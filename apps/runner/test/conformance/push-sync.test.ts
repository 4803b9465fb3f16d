import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ENTERPRISE,
  entraUser,
  eventually,
  type Json,
  oktaUser,
  type PushCompany,
  patch,
  type ScimRunner,
  STARTUP_MS,
  scimRunner,
} from './support.js'

// What is pushed goes through the same sync rules as a pull (R19): people, R3/R4, R5, R17, teams
describe('SCIM push into the sync rules', () => {
  let t: ScimRunner

  beforeAll(async () => {
    // the default coalescing window, as operators get it (how fast is `pnpm bench`'s SCIM deactivation figure)
    t = await scimRunner({ coalesceMs: 300 })
  }, STARTUP_MS)
  afterAll(async () => {
    await t?.close()
  })

  const users = async (company: PushCompany): Promise<Json[]> =>
    (await t.admin('GET', `/api/companies/${company.companyId}/users`)).body.users
  const byEmail = async (company: PushCompany, email: string) =>
    (await users(company)).find((user) => user.email === email)

  async function inviteAndAccept(company: PushCompany, userIds: string[]): Promise<void> {
    const invited = await t.admin('POST', `/api/companies/${company.companyId}/invitations`, { userIds })
    expect(invited.status).toBe(201)
    for (const invitation of invited.body.invitations as Json[]) {
      const accepted = await fetch(`${t.url}/api/invitations/${invitation.token}/accept`, { method: 'POST' })
      expect(accepted.status).toBe(200)
    }
  }

  it('a pushed user is uninvited until invited; Entra\'s "False" deactivates an active user', async () => {
    const entra = await t.connect('entra-id', 'Contoso')
    const ids: string[] = []
    for (let n = 1; n <= 4; n++) ids.push((await entra.scim('POST', '/Users', entraUser(n))).body.id)
    await t.settled()
    const pushed = await users(entra)
    expect(pushed).toHaveLength(4)
    expect(pushed.every((user) => user.status === 'uninvited')).toBe(true)

    const priya = (await byEmail(entra, 'user1@contoso.test'))!
    await inviteAndAccept(entra, [priya.id])
    expect((await byEmail(entra, 'user1@contoso.test'))!.status).toBe('active')

    const answer = await entra.scim(
      'PATCH',
      `/Users/${ids[0]}`,
      patch({ op: 'Replace', path: 'active', value: 'False' }),
    )
    expect(answer.status).toBe(200)
    expect(answer.body.active).toBe(false)
    await eventually(async () =>
      (await byEmail(entra, 'user1@contoso.test'))!.status === 'deactivated' ? true : undefined,
    )

    // one plan per burst: five quick writes, far fewer runs
    await t.settled()
    const before = (await t.admin('GET', `/api/integrations/${entra.integrationId}/runs`)).body.runs.length
    for (let n = 0; n < 5; n++) {
      await entra.scim(
        'PATCH',
        `/Users/${ids[1]}`,
        patch({ op: 'Replace', path: 'title', value: `Title ${n}` }),
      )
    }
    await t.settled()
    const runs = (await t.admin('GET', `/api/integrations/${entra.integrationId}/runs`)).body.runs as Json[]
    expect(runs.length - before).toBeGreaterThanOrEqual(1)
    expect(runs.length - before).toBeLessThan(5)
    expect(runs.every((run) => run.status === 'succeeded')).toBe(true)
    expect(runs.slice(0, runs.length - before).every((run) => run.trigger === 'push')).toBe(true)
    // a push integration is never due for a scheduled pull
    expect((await t.admin('GET', `/api/integrations/${entra.integrationId}`)).body.nextSyncAt).toBeNull()
  })

  it('a mass deactivation answers 200 but is held until an admin approves it', async () => {
    const okta = await t.connect('okta', 'Nordvik')
    const ids: string[] = []
    for (let n = 1; n <= 10; n++) ids.push((await okta.scim('POST', '/Users', oktaUser(n))).body.id)
    await t.settled()
    await inviteAndAccept(
      okta,
      (await users(okta)).map((user) => user.id),
    )
    expect((await users(okta)).filter((user) => user.status === 'active')).toHaveLength(10)

    for (const id of ids.slice(0, 6)) {
      const answer = await okta.scim(
        'PATCH',
        `/Users/${id}`,
        patch({ op: 'replace', value: { active: false } }),
      )
      expect(answer.status).toBe(200)
      expect(answer.body.active).toBe(false)
    }
    await t.settled()
    // SCIM reads show what the IdP sent, so it does not loop
    for (const id of ids.slice(0, 6)) expect((await okta.scim('GET', `/Users/${id}`)).body.active).toBe(false)

    const leavers = Array.from({ length: 6 }, (_, i) => `person${i + 1}@nordvik.test`)
    const statusOf = async () => {
      const all = await users(okta)
      return leavers.map((email) => all.find((user) => user.email === email)!.status)
    }
    // at most max(3, 20% of 10) deactivations in 24 hours take effect; the rest wait
    const held = (await statusOf()).filter((status) => status === 'active')
    expect(held.length).toBeGreaterThanOrEqual(3)
    expect(
      (await users(okta)).filter((user) => !leavers.includes(user.email)).every((u) => u.status === 'active'),
    ).toBe(true)

    const runs = (await t.admin('GET', `/api/integrations/${okta.integrationId}/runs`)).body.runs as Json[]
    const holding: Json[] = []
    for (const run of runs) {
      const detail = (await t.admin('GET', `/api/runs/${run.id}`)).body
      if ((detail.held as Json[]).some((removal) => removal.decision === null)) holding.push(detail)
    }
    expect(holding.length).toBeGreaterThanOrEqual(1)
    expect(holding[0]!.warnings.map((w: Json) => w.code)).toContain('mass_removal_held')

    for (const run of holding) {
      const approved = await t.admin('POST', `/api/runs/${run.id}/held/approve`)
      expect(approved.status).toBe(200)
    }
    expect(await statusOf()).toEqual(Array(6).fill('deactivated'))
    expect((await users(okta)).filter((user) => user.status === 'active')).toHaveLength(4)
  })

  it('team sync follows the pushed manager chain, including a manager who arrives after their reports', async () => {
    const okta = await t.connect('okta', 'Fjordline')
    const withManager = (n: number, manager: string | null) =>
      oktaUser(n, {
        [ENTERPRISE]: {
          employeeNumber: `NV-${1000 + n}`,
          department: 'Finance',
          ...(manager ? { manager: { value: manager } } : {}),
        },
      })
    // the reports first: their manager NV-1001 is not there yet and stays pending
    const two = (await okta.scim('POST', '/Users', withManager(2, 'NV-1001'))).body
    const three = (await okta.scim('POST', '/Users', withManager(3, 'NV-1001'))).body
    await t.settled()
    const runs = (await t.admin('GET', `/api/integrations/${okta.integrationId}/runs`)).body.runs as Json[]
    const first = (await t.admin('GET', `/api/runs/${runs[0]!.id}`)).body
    expect(first.warnings.map((w: Json) => w.code)).toContain('unknown_manager')

    const one = (await okta.scim('POST', '/Users', withManager(1, null))).body
    const four = (await okta.scim('POST', '/Users', withManager(4, 'NV-1001'))).body
    await t.settled()

    const preview = await t.admin('POST', `/api/integrations/${okta.integrationId}/team-sync/preview`)
    expect(preview.status).toBe(200)
    const finished = await t.admin('POST', `/api/integrations/${okta.integrationId}/team-sync/finish`, {})
    expect(finished.status).toBe(200)

    const userId = async (n: number) => (await byEmail(okta, `person${n}@nordvik.test`))!.id
    const teams = async () =>
      (await t.admin('GET', `/api/companies/${okta.companyId}/teams`)).body.teams as Json[]
    const teamOf = async (managerScimId: string) => (await teams()).find((team) => team.key === managerScimId)
    const oneTeam = (await teamOf(one.id))!
    expect(oneTeam.kind).toBe('synced')
    expect([...oneTeam.memberUserIds].sort()).toEqual(
      [await userId(2), await userId(3), await userId(4)].sort(),
    )

    // Okta's full PUT moves person 3 under person 4: the next plan moves them
    const current = (await okta.scim('GET', `/Users/${three.id}`)).body
    const moved = await okta.scim('PUT', `/Users/${three.id}`, {
      ...current,
      [ENTERPRISE]: { ...current[ENTERPRISE], manager: { value: 'NV-1004' } },
    })
    expect(moved.status).toBe(200)
    const threeId = await userId(3)
    const fourTeam = await eventually(async () => {
      const team = await teamOf(four.id)
      return team?.memberUserIds.includes(threeId) ? team : undefined
    })
    expect(fourTeam.kind).toBe('synced')
    expect((await teamOf(one.id))!.memberUserIds).not.toContain(threeId)
    expect((await teamOf(one.id))!.memberUserIds).toContain(await userId(2))
    expect(two.id).toBeTruthy()
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_TOKEN, type TestRunner, testRunner } from './support/runner.js'

interface RunAnswer {
  id: string
  trigger: string
  dryRun: boolean
  first: boolean
}

describe('issue 19 item 9: a run says whether it is the first sync of its integration', () => {
  let t: TestRunner
  let integrationId: string
  const sync = async (query = '') =>
    (await t.call<{ run: RunAnswer }>('POST', `/api/integrations/${integrationId}/sync${query}`)).body.run

  beforeAll(async () => {
    t = await testRunner()
    const company = await t.call<{ id: string }>('POST', '/api/companies', {
      name: 'Acme',
      plan: 'advanced',
      timeZone: 'UTC',
    })
    const connected = await t.call<{ integration: { id: string } }>(
      'POST',
      `/api/companies/${company.body.id}/integrations`,
      { connector: 'memory', config: { tenant: 'acme', apiToken: API_TOKEN } },
    )
    integrationId = connected.body.integration.id
    t.hr.hire({ remoteId: 'ana' })
  })
  afterAll(() => t?.close())

  it('marks the first applied run, whatever started it; dry runs before it and runs after it are not first', async () => {
    const dry = await sync('?dryRun=true')
    expect(dry).toMatchObject({ dryRun: true, first: false })
    const first = await sync()
    expect(first).toMatchObject({ trigger: 'manual', dryRun: false, first: true })
    const second = await sync()
    expect(second.first).toBe(false)

    const { runs } = (await t.call<{ runs: RunAnswer[] }>('GET', `/api/integrations/${integrationId}/runs`))
      .body
    expect(runs.map((run) => [run.id, run.first])).toEqual([
      [second.id, false],
      [first.id, true],
      [dry.id, false],
    ])
    expect((await t.call<RunAnswer>('GET', `/api/runs/${first.id}`)).body.first).toBe(true)
    expect((await t.call<RunAnswer>('GET', `/api/runs/${second.id}`)).body.first).toBe(false)
  })
})

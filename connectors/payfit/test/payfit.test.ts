import { fileURLToPath } from 'node:url'
import { validateConfig } from '@hrsync/connector-kit'
import { checkFixture, loadFixture, runContractSuite } from '@hrsync/connector-testing'
import type { Employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import payfit, {
  type Collaborator,
  contractsOf,
  type PayFitContract,
  STATUS,
  selectContract,
  toEmployee,
  workEmail,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(payfit, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'partner-api v1',
  connectorVersion: '1.0.0',
  // birth date, addresses, social security number, IBAN and BIC are erased by the scrubber's own rules
  piiKeys: { lastName: ['birthName'], erased: ['nationality', 'matricule', 'gender'] },
})

const contract = (id: string, startDate: string | null, endDate: string | null = null): PayFitContract => ({
  id,
  status: 'active',
  startDate,
  endDate,
})
const collaborator = (fields: Partial<Collaborator>): Collaborator => ({
  id: 'c1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  emails: [{ email: 'ada@example.com', type: 'professional' }],
  managerId: null,
  teamName: 'Finance',
  contracts: [],
  terminationDate: null,
  ...fields,
})
const mapped = (contracts: PayFitContract[], fields: Partial<Collaborator> = {}) =>
  toEmployee(collaborator(fields), contracts, now) as Employee

describe('PayFit status from the contract dates', () => {
  it.each([
    ['running since 2020', [contract('a', '2020-01-06')], 'underContract', 'active'],
    ['starting today', [contract('a', '2026-11-25')], 'underContract', 'active'],
    ['ending today', [contract('a', '2020-01-06', '2026-11-25')], 'underContract', 'active'],
    ['starting in January', [contract('a', '2027-01-04')], 'contractNotStarted', 'pending'],
    ['ended yesterday', [contract('a', '2020-01-06', '2026-11-24')], 'contractEnded', 'terminated'],
    ['no contract', [], 'noContract', 'pending'],
    ['a contract still being created', [contract('a', null)], 'noContract', 'pending'],
  ] as Array<[string, PayFitContract[], keyof typeof STATUS, string]>)(
    '%s → %s (%s)',
    (_, contracts, state, status) => {
      expect(selectContract(contracts, now).state).toBe(state)
      expect(STATUS[state]).toBe(status)
      expect(mapped(contracts).status).toBe(status)
    },
  )

  it('the contract status string never overrides the dates', () => {
    const ended = { ...contract('a', '2020-01-06', '2025-12-31'), status: 'active' }
    const running = { ...contract('b', '2020-01-06'), status: 'somethingUndocumented' }
    expect(mapped([ended]).status).toBe('terminated')
    expect(mapped([running]).status).toBe('active')
  })

  it('without a dated contract, a termination date already passed means the person has left', () => {
    expect(mapped([], { terminationDate: '2026-03-31' })).toMatchObject({
      status: 'terminated',
      terminationDate: '2026-03-31',
    })
    expect(mapped([], { terminationDate: '2027-03-31' })).toMatchObject({
      status: 'pending',
      terminationDate: null,
    })
  })

  it('issue 23: a running contract that ends later is active and leaving on its end date', () => {
    expect(mapped([contract('a', '2024-01-02', '2027-06-30')])).toMatchObject({
      status: 'active',
      terminationDate: '2027-06-30',
    })
  })

  it('a collaborator without an id is reported, not synced', () => {
    expect(() => toEmployee(collaborator({ id: '' }), [], now)).toThrow(
      expect.objectContaining({
        name: 'SkipPerson',
        reason: 'invalid_record',
        message: 'a PayFit collaborator without an id',
      }),
    )
  })
})

describe('PayFit contract selection', () => {
  it('takes the running contract with the latest start, not the first listed', () => {
    const contracts = [
      contract('old', '2015-01-05', '2018-12-31'),
      contract('running-early', '2019-01-07'),
      contract('running-late', '2024-04-02'),
      contract('future', '2027-02-01'),
    ]
    expect(selectContract(contracts, now).contract?.id).toBe('running-late')
  })

  it('with only future contracts, the earliest', () => {
    const contracts = [contract('later', '2027-06-01'), contract('first', '2027-01-04')]
    expect(selectContract(contracts, now).contract?.id).toBe('first')
  })

  it('with only ended contracts, the one that ended last', () => {
    const contracts = [
      contract('a', '2015-01-05', '2018-12-31'),
      contract('b', '2019-01-07', '2025-06-30'),
      contract('c', '2010-01-04', '2014-12-31'),
    ]
    expect(selectContract(contracts, now)).toMatchObject({ state: 'contractEnded', contract: { id: 'b' } })
  })

  it('joins the job title from the contract list by contract id', () => {
    const listed = { ...contract('k1', '2022-01-03'), collaboratorId: 'c1', jobName: 'Comptable' }
    const summary = { id: 'k1', status: 'active', startDate: '2022-01-03', endDate: null }
    const byId = new Map([['k1', listed]])
    const joined = contractsOf(collaborator({ contracts: [summary] }), byId, new Map())
    expect(joined).toEqual([expect.objectContaining({ id: 'k1', jobName: 'Comptable' })])
    expect(mapped(joined).jobTitle).toBe('Comptable')
  })

  it('adds listed contracts the collaborator summary does not name', () => {
    const listed = { ...contract('k2', '2023-05-02'), collaboratorId: 'c1', jobName: 'Juriste' }
    const joined = contractsOf(collaborator({ contracts: [] }), new Map(), new Map([['c1', [listed]]]))
    expect(mapped(joined)).toMatchObject({ status: 'active', jobTitle: 'Juriste', startDate: '2023-05-02' })
  })
})

describe('PayFit work email', () => {
  it('never falls back to the personal address', () => {
    expect(workEmail([{ email: 'ada.home@example.com', type: 'personal' }])).toBeNull()
  })

  it('prefers the professional address wherever it is listed', () => {
    expect(
      workEmail([
        { email: 'ada.home@example.com', type: 'personal' },
        { email: 'ada.other@example.com', type: 'other' },
        { email: ' ada@example.com ', type: 'professional' },
      ]),
    ).toBe('ada@example.com')
  })

  it('an entry without a type is not taken as a work address', () => {
    expect(workEmail([{ email: 'ada@example.com' }])).toBeNull()
    expect(workEmail(null)).toBeNull()
  })
})

describe('PayFit settings', () => {
  it('rejects a companyId that would change the request path, naming the setting', () => {
    expect(() => validateConfig(payfit, { apiKey: 'k', companyId: '../other' })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('companyId') }),
    )
  })

  it('takes the API key and the company id, and requires a key', () => {
    expect(validateConfig(payfit, { apiKey: 'k', companyId: '5f1e2d3c4b5a697887766554' })).toEqual({
      apiKey: 'k',
      companyId: '5f1e2d3c4b5a697887766554',
    })
    expect(() => validateConfig(payfit, { apiKey: '', companyId: 'c' })).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringContaining('apiKey') }),
    )
  })
})

describe('PayFit connection check wording', () => {
  const check = (scenario: string) => checkFixture(payfit, `${fixturesDir}/${scenario}.json`, { now })

  it('a key without contracts:read is told which scope is missing', async () => {
    const result = await check('missing-scope')
    expect(result).toMatchObject({ ok: false, code: 'missing_scope' })
    if (!result.ok) expect(result.message).toContain('contracts:read')
  })

  it('an unknown company points at the companyId setting', async () => {
    const result = await check('unknown-company')
    expect(result).toMatchObject({ ok: false, code: 'invalid_config' })
    if (!result.ok) expect(result.message).toContain('companyId')
  })

  it('a rejected key points at where keys are created', async () => {
    const result = await check('auth-failure')
    expect(result).toMatchObject({ ok: false, code: 'invalid_credentials' })
    if (!result.ok) expect(result.message).toContain('Integrations → API Access')
  })
})

describe('PayFit paging requests', () => {
  it('asks for 50 per page and passes each nextPageToken back unchanged, list by list', () => {
    const { interactions } = loadFixture(`${fixturesDir}/happy-multipage.json`)
    const seen: Record<string, string[]> = { contracts: [], collaborators: [] }
    const handed: Record<string, Array<string | undefined>> = {
      contracts: [undefined],
      collaborators: [undefined],
    }
    for (const interaction of interactions) {
      const url = new URL(interaction.path, 'https://partner-api.payfit.com')
      const list = url.pathname.split('/').pop() as string
      expect(url.searchParams.get('maxResults')).toBe('50')
      seen[list]?.push(url.searchParams.get('nextPageToken') ?? '')
      const body = interaction.response as { meta?: { nextPageToken?: string } }
      handed[list]?.push(body.meta?.nextPageToken)
    }
    for (const list of ['contracts', 'collaborators']) {
      expect(seen[list]?.length, `${list} pages`).toBeGreaterThanOrEqual(2)
      // each request carries the token of the page before; the last page hands none
      expect(seen[list]).toEqual(handed[list]?.slice(0, -1).map((token) => token ?? ''))
      expect(handed[list]?.at(-1)).toBeUndefined()
    }
  })
})

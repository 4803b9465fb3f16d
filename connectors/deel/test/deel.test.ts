import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runContractSuite } from '@hrsync/connector-testing'
import { describe, expect, it } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }
import deel, { STATUS, toEmployee, workEmail } from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-06-15T10:00:00Z')

runContractSuite(deel, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'rest/v2',
  connectorVersion: packageJson.version,
})

describe('Deel status table', () => {
  it.each([
    ['active', 'active'],
    ['onboarding', 'pending'],
    ['offboarding', 'active'],
    ['inactive', 'terminated'],
    ['onboarded', 'active'],
  ])('%s → %s', (vendor, canonical) => {
    expect(STATUS[vendor as keyof typeof STATUS]).toBe(canonical)
  })

  it('a last day before today terminates whatever the hiring status', () => {
    expect(
      toEmployee(
        {
          id: 'p1',
          hiring_status: 'offboarding',
          direct_employee_termination_last_day: '2026-06-14T00:00:00.000Z',
        },
        now,
      ),
    ).toMatchObject({ status: 'terminated', terminationDate: '2026-06-14' })
  })

  it('an offboarding person keeps access until the last day has passed', () => {
    expect(
      toEmployee(
        {
          id: 'p1',
          hiring_status: 'offboarding',
          direct_employee_termination_last_day: '2026-06-15T00:00:00.000Z',
        },
        now,
      ),
    ).toMatchObject({ status: 'active', terminationDate: '2026-06-15' })
  })

  it('an onboarded person is pending until the start date, then active', () => {
    expect(toEmployee({ id: 'p1', hiring_status: 'onboarded', start_date: '2026-07-01' }, now)).toMatchObject(
      {
        status: 'pending',
      },
    )
    expect(toEmployee({ id: 'p1', hiring_status: 'onboarded', start_date: '2026-06-15' }, now)).toMatchObject(
      {
        status: 'active',
      },
    )
  })

  it('without a hiring status the dates decide', () => {
    expect(toEmployee({ id: 'p1', hiring_status: null, start_date: '2026-07-01' }, now)).toMatchObject({
      status: 'pending',
    })
    expect(toEmployee({ id: 'p1', start_date: '2021-03-01' }, now)).toMatchObject({ status: 'active' })
  })

  it('an undocumented hiring status is skipped, not guessed', () => {
    expect(() => toEmployee({ id: 'p1', hiring_status: 'unverified' }, now)).toThrow(
      expect.objectContaining({ name: 'SkipPerson', remoteId: 'p1', reason: 'unmapped_status' }),
    )
  })
})

describe('Deel mapping', () => {
  it('a malformed date skips that person only', () => {
    expect(() => toEmployee({ id: 'p1', hiring_status: 'active', start_date: '2020-13-01' }, now)).toThrow(
      expect.objectContaining({ code: 'malformed_response', message: '"2020-13-01" is not a calendar date' }),
    )
  })

  it('takes the work email wherever it is in the list, and never the primary or personal one', () => {
    expect(
      workEmail([
        { type: 'personal', value: 'me@example.org' },
        { type: 'work', value: 'me@example.com' },
      ]),
    ).toBe('me@example.com')
    expect(
      workEmail([
        { type: 'primary', value: 'me@example.org' },
        { type: 'work', value: null },
      ]),
    ).toBeNull()
    expect(workEmail(null)).toBeNull()
  })

  it('reads the manager, the department and the first ten characters of the last day', () => {
    expect(
      toEmployee(
        {
          id: 'p2',
          hiring_status: 'active',
          direct_manager: { id: 'p1', work_email: 'boss@example.com' },
          department: { id: 'd1', name: 'Finance' },
          job_title: 'Accountant',
          direct_employee_termination_last_day: '2026-09-30T00:00:00.000Z',
        },
        now,
      ),
    ).toMatchObject({
      managerRemoteId: 'p1',
      managerEmail: null,
      department: 'Finance',
      jobTitle: 'Accountant',
      terminationDate: '2026-09-30',
    })
  })
})

describe('Deel requests', () => {
  it('pages with limit and offset until total_rows, never filtering by hiring status', () => {
    const happy = JSON.parse(
      readFileSync(fileURLToPath(new URL('./fixtures/happy-multipage.json', import.meta.url)), 'utf8'),
    ) as { interactions: Array<{ path: string }> }
    expect(happy.interactions.map((i) => i.path)).toEqual([
      '/rest/v2/people?limit=3&offset=0',
      '/rest/v2/people?limit=3&offset=3',
      '/rest/v2/people?limit=3&offset=6',
    ])
  })

  it('stays under the 5 requests a second Deel allows an organization', () => {
    expect(deel.http?.requestsPerSecond).toBeLessThan(5)
  })
})

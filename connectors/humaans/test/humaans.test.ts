import { fileURLToPath } from 'node:url'
import { mapRecords } from '@hrsync/connector-kit'
import { runContractSuite } from '@hrsync/connector-testing'
import { ConnectorError, type Employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import humaans, {
  currentRole,
  identify,
  type JobRole,
  type Person,
  STATUS,
  toEmployee,
} from '../src/index.js'

const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url))
const now = new Date('2026-11-25T12:00:00Z')

runContractSuite(humaans, {
  fixturesDir,
  now,
  statusTable: STATUS,
  vendorApiVersion: 'v1',
  connectorVersion: '1.0.0',
})

const person = (fields: Partial<Person>): Person => ({
  id: 'p1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  status: 'active',
  employmentStartDate: '2020-01-06',
  employmentEndDate: null,
  ...fields,
})
const statusOf = (fields: Partial<Person>) => (toEmployee(person(fields), undefined, now) as Employee).status
const role = (id: string, effectiveDate: string): JobRole => ({ id, personId: 'p1', effectiveDate })

describe('Humaans status table', () => {
  it.each([
    [{ status: 'active' }, 'active'],
    [{ status: 'newHire', employmentStartDate: '2027-01-04' }, 'pending'],
    [{ status: 'offboarded', employmentEndDate: '2026-01-31' }, 'terminated'],
    [{ status: 'active', employmentStartDate: '2026-12-01' }, 'pending'],
    [{ status: 'active', employmentEndDate: '2026-11-24' }, 'terminated'],
    [{ status: 'active', employmentEndDate: '2026-11-25' }, 'active'],
  ] as Array<[Partial<Person>, string]>)('%o → %s', (fields, expected) => {
    expect(statusOf(fields)).toBe(expected)
  })

  it('an unknown status is reported per person', () => {
    const page = mapRecords([person({ status: 'archived' })], (p) => toEmployee(p, undefined, now), {
      identify,
    })
    expect(page.skipped).toEqual([
      {
        remoteId: 'p1',
        email: 'ada@example.com',
        reason: 'unmapped_status',
        message: 'Humaans status "archived" is not a known status',
      },
    ])
  })

  it('a hidden work email is treated as none', () => {
    expect((toEmployee(person({ isWorkEmailHidden: true }), undefined, now) as Employee).email).toBeNull()
  })
})

describe('Humaans current job role', () => {
  it('takes the latest role effective on or before today, not the first listed', () => {
    const roles = [role('new', '2027-02-01'), role('old', '2020-01-06'), role('now', '2025-06-01')]
    expect(currentRole(roles, '2026-11-25')?.id).toBe('now')
  })

  it('a role starting today is in force', () => {
    expect(currentRole([role('old', '2020-01-06'), role('today', '2026-11-25')], '2026-11-25')?.id).toBe(
      'today',
    )
  })

  it('a new hire with only future roles gets the earliest one', () => {
    expect(currentRole([role('later', '2027-06-01'), role('first', '2027-01-04')], '2026-11-25')?.id).toBe(
      'first',
    )
  })

  it('no roles, no manager', () => {
    expect(currentRole([], '2026-11-25')).toBeUndefined()
  })
})

describe('Humaans error wording', () => {
  const config = { accessToken: 't', baseUrl: 'https://app.humaans.io/api', pageSize: 100 }
  const refused = new ConnectorError('missing_scope', 'Humaans refused GET /api/people (HTTP 403)', {
    status: 403,
  })

  it('names the private:read scope when the connection check is refused', () => {
    const explained = humaans.explainError?.(refused, { config, during: 'check', pagesRead: 0 })
    expect(explained).toMatchObject({
      code: 'missing_scope',
      message: expect.stringContaining('private:read'),
    })
    expect(explained?.cause).toBe(refused)
  })

  it('keeps a refusal during the pull as the kit worded it', () => {
    expect(humaans.explainError?.(refused, { config, during: 'pull', pagesRead: 0 })).toBeUndefined()
  })
})

import * as core from '@hrsync/core'
import { statusTable } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import {
  cleanString,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  emailFrom,
  employmentState,
  idString,
  mapStatus,
  normaliseEmail,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '../src/index.js'

describe('toIsoDate', () => {
  it.each([
    ['2019-01-07T00:00:00+01:00', undefined, '2019-01-07'],
    ['2019-01-07T23:30:00-05:00', undefined, '2019-01-07'],
    ['2019-01-07', undefined, '2019-01-07'],
    ['2022-01-10-08:00', undefined, '2022-01-10'],
    ['2022-01-10+01:00', undefined, '2022-01-10'],
    ['2022-01-10Z', undefined, '2022-01-10'],
    ['2019-01-07 10:00:00', undefined, '2019-01-07'],
    ['/Date(1700000000000)/', undefined, '2023-11-14'],
    ['/Date(1700000000000+0100)/', undefined, '2023-11-14'],
    ['07/01/2019', 'DD/MM/YYYY', '2019-01-07'],
    ['07-01-2019', 'DD-MM-YYYY', '2019-01-07'],
    ['07.01.2019', 'DD.MM.YYYY', '2019-01-07'],
    ['01/07/2019', 'MM/DD/YYYY', '2019-01-07'],
    ['', undefined, null],
    ['0000-00-00', undefined, null],
    [null, undefined, null],
    [undefined, undefined, null],
  ] as const)('%s (%s) → %s', (value, format, expected) => {
    expect(toIsoDate(value, format)).toBe(expected)
  })

  it.each([['2019-02-30'], ['07/01/2019'], ['yesterday'], ['2022-01-10-08:00x']])(
    'rejects %s without a format or calendar day',
    (value) => {
      expect(() => toIsoDate(value)).toThrow(expect.objectContaining({ code: 'malformed_response' }))
    },
  )
})

describe('strings and ids', () => {
  it('emailFrom reads any vendor value: trimmed, case kept, empty or not a string → null', () => {
    expect(emailFrom('  Anna.Becker@Example.com ')).toBe('Anna.Becker@Example.com')
    expect(emailFrom('')).toBeNull()
    expect(emailFrom(null)).toBeNull()
    expect(emailFrom(42)).toBeNull()
    expect(emailFrom({ value: 'a@example.com' })).toBeNull()
  })
  it("normaliseEmail and todayIn are core's, with core's arguments", () => {
    expect(normaliseEmail).toBe(core.normaliseEmail)
    expect(todayIn).toBe(core.todayIn)
    expect(normaliseEmail('  Anna.Becker@Example.com ')).toBe('anna.becker@example.com')
    expect(todayIn('Europe/Berlin', new Date('2025-06-15T22:30:00Z'))).toBe('2025-06-16')
  })
  it('cleanString and idString', () => {
    expect(cleanString('  Sales ')).toBe('Sales')
    expect(cleanString('   ')).toBeNull()
    expect(idString(301)).toBe('301')
    expect(idString(' a1 ')).toBe('a1')
    expect(idString(null)).toBeNull()
  })
})

describe('status mapping', () => {
  const table = statusTable({ active: 'active', onboarding: 'pending', inactive: 'terminated' })
  it('maps documented values, exactly or loosely', () => {
    expect(mapStatus(table, 'onboarding', { remoteId: '1' })).toEqual({ status: 'pending' })
    expect(mapStatus(table, ' Active ', { remoteId: '1' })).toEqual({ status: 'active' })
  })
  it('reports an unmapped value as skipped', () => {
    expect(mapStatus(table, 'sabbatical', { remoteId: '7', email: 'x@example.com' })).toEqual({
      skipped: {
        remoteId: '7',
        email: 'x@example.com',
        reason: 'unmapped_status',
        message: 'status "sabbatical" is not one of the documented values (active, onboarding, inactive)',
      },
    })
    // names every object has are not statuses
    for (const value of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(mapStatus(table, value, { remoteId: '8' })).toMatchObject({
        skipped: { reason: 'unmapped_status' },
      })
    }
  })
  it('terminatedIfPast uses the end of the termination day in the given zone', () => {
    const now = new Date('2025-03-10T23:30:00Z')
    expect(terminatedIfPast('active', '2025-03-09', now)).toBe('terminated')
    expect(terminatedIfPast('active', '2025-03-10', now)).toBe('active')
    expect(terminatedIfPast('active', '2025-03-10', now, 'Europe/Berlin')).toBe('terminated')
    // the formatter of a zone is reused: asked again, each zone still answers its own day
    expect(terminatedIfPast('active', '2025-03-10', now)).toBe('active')
    expect(terminatedIfPast('active', '2025-03-10', now, 'Europe/Berlin')).toBe('terminated')
    expect(terminatedIfPast('leave', null, now)).toBe('leave')
  })
})

describe('employmentState', () => {
  const now = new Date('2026-03-31T22:30:00Z') // already 1 April in Amsterdam
  it.each([
    [null, null, 'employed'],
    ['2026-04-01', null, 'notStarted'],
    ['2020-01-01', '2026-03-31', 'employed'],
    ['2020-01-01', '2026-03-30', 'left'],
  ] as const)('start %s, end %s: %s (UTC)', (start, end, state) => {
    expect(employmentState(start, end, now)).toBe(state)
  })
  it('takes "today" in the vendor time zone and maps each state', () => {
    expect(employmentState('2020-01-01', '2026-03-31', now, 'Europe/Amsterdam')).toBe('left')
    expect(employmentState('2026-04-01', null, now, 'Europe/Amsterdam')).toBe('employed')
    expect(EMPLOYMENT_DATE_STATUS).toEqual({ notStarted: 'pending', employed: 'active', left: 'terminated' })
  })
})

describe('datedEmployment', () => {
  const now = new Date('2026-03-31T22:30:00Z') // already 1 April in Amsterdam
  it('reads both dates and derives the status from them', () => {
    expect(datedEmployment('2019-04-01T00:00:00', null, now)).toEqual({
      startDate: '2019-04-01',
      terminationDate: null,
      status: 'active',
    })
    expect(datedEmployment('2026-04-01', null, now)).toMatchObject({ status: 'pending' })
    expect(datedEmployment('2020-01-01', '/Date(1774828800000)/', now)).toEqual({
      startDate: '2020-01-01',
      terminationDate: '2026-03-30',
      status: 'terminated',
    })
  })
  it('takes "today" in the vendor time zone', () => {
    expect(datedEmployment('2020-01-01', '2026-03-31', now).status).toBe('active')
    expect(datedEmployment('2020-01-01', '2026-03-31', now, 'Europe/Amsterdam').status).toBe('terminated')
  })
  it("refuses an unreadable date with the reader's error", () => {
    expect(() => datedEmployment('31/03/2020', null, now)).toThrow(
      expect.objectContaining({
        code: 'malformed_response',
        message: '"31/03/2020" is not a date in a known format',
      }),
    )
  })
})

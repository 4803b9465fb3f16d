import { employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { expectStatusesShown, type VendorShows } from '../src/index.js'

const now = new Date('2026-03-01T12:00:00Z')
const statusTable = { working: 'active', starting: 'pending', gone: 'terminated' } as const
const everything: VendorShows = {
  startDates: true,
  terminationDates: 'planned',
  managers: true,
  pending: true,
  pages: true,
}
const working = employee({ remoteId: '1', status: 'active', startDate: '2020-01-01' })
const starting = employee({ remoteId: '2', status: 'pending', startDate: '2026-06-01' })
const gone = employee({ remoteId: '3', status: 'terminated', terminationDate: '2025-12-31' })
const leaving = employee({ remoteId: '4', status: 'active', terminationDate: '2026-04-30' })

describe('the statuses scenario', () => {
  it('issue 23: a connector declaring termination dates must show an active person leaving on a later date', () => {
    expect(() =>
      expectStatusesShown([working, starting, gone], { now, statusTable, has: everything }),
    ).toThrow(/leaving on a future date/)
    expect(() =>
      expectStatusesShown([working, starting, gone, leaving], { now, statusTable, has: everything }),
    ).not.toThrow()
  })

  it('issue 23: a connector whose vendor reports a termination date only once someone has left needs no leaver ahead', () => {
    const has: VendorShows = { ...everything, terminationDates: 'past' }
    expect(() => expectStatusesShown([working, starting, gone], { now, statusTable, has })).not.toThrow()
    const withoutLeavers = { working: 'active', starting: 'pending' } as const
    expect(() => expectStatusesShown([working, starting], { now, statusTable: withoutLeavers, has })).toThrow(
      /has passed/,
    )
  })

  it('issue 23: a connector whose capabilities declare no termination dates shows none', () => {
    const has: VendorShows = { ...everything, terminationDates: 'none' }
    expect(() =>
      expectStatusesShown([working, starting], {
        now,
        statusTable: { working: 'active', starting: 'pending' },
        has,
      }),
    ).not.toThrow()
    expect(() =>
      expectStatusesShown([working, starting, leaving], {
        now,
        statusTable: { working: 'active', starting: 'pending' },
        has,
      }),
    ).toThrow(/termination dates/)
  })
})

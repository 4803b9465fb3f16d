import { defineConnector, type Employee, employee, statusTable } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import {
  idString,
  mapRecords,
  mapStatus,
  NO_REMOTE_ID,
  pullEmployees,
  SkipPerson,
  skipPerson,
  toIsoDate,
} from '../src/index.js'
import { fast, testConnector, validConfig } from './helpers.js'

interface Row {
  id?: number
  mail?: string
  state?: string
  hired?: string
}

const STATUS = statusTable({ working: 'active', gone: 'terminated' })

/** A connector's record mapping, written the way the kit asks: throw to skip, return to keep. */
function toEmployee(row: Row): Employee {
  const remoteId = idString(row.id)
  if (remoteId === null) skipPerson('a row without an id', { email: row.mail ?? null })
  const mapped = mapStatus(STATUS, row.state, { remoteId, email: row.mail ?? null })
  if ('skipped' in mapped) skipPerson(mapped.skipped.message, mapped.skipped)
  return employee({
    remoteId,
    email: row.mail ?? null,
    status: mapped.status,
    startDate: toIsoDate(row.hired),
  })
}

const identify = (row: Row) => ({ remoteId: idString(row.id), email: row.mail ?? null })

describe('mapRecords', () => {
  it('keeps mapped people and skipped people apart, each in the vendor order', () => {
    const page = mapRecords(
      [
        { id: 1, mail: 'a@example.com', state: 'working' },
        { id: 2, mail: 'b@example.com', state: 'sabbatical' },
        { id: 3, state: 'gone' },
      ],
      toEmployee,
      { identify },
    )
    expect(page.employees.map((person) => [person.remoteId, person.status])).toEqual([
      ['1', 'active'],
      ['3', 'terminated'],
    ])
    expect(page.skipped).toEqual([
      {
        remoteId: '2',
        email: 'b@example.com',
        reason: 'unmapped_status',
        message: 'status "sabbatical" is not one of the documented values (working, gone)',
      },
    ])
  })

  it('reports a record without an id under NO_REMOTE_ID, with the email the skip names', () => {
    expect(mapRecords([{ mail: 'x@example.com', state: 'working' }], toEmployee).skipped).toEqual([
      {
        remoteId: NO_REMOTE_ID,
        email: 'x@example.com',
        reason: 'invalid_record',
        message: 'a row without an id',
      },
    ])
  })

  it('skips a record the kit refuses to read (a ConnectorError) under the id identify finds', () => {
    const page = mapRecords([{ id: 7, mail: 'g@example.com', state: 'working', hired: 'soon' }], toEmployee, {
      identify,
    })
    expect(page).toEqual({
      employees: [],
      skipped: [
        {
          remoteId: '7',
          email: 'g@example.com',
          reason: 'invalid_record',
          message: '"soon" is not a date in a known format',
        },
      ],
    })
  })

  it('without identify, a refused record is still reported, under NO_REMOTE_ID', () => {
    const [skipped] = mapRecords([{ id: 7, state: 'working', hired: 'soon' }], toEmployee).skipped
    expect(skipped).toMatchObject({ remoteId: NO_REMOTE_ID, email: null, reason: 'invalid_record' })
  })

  it('an identify that throws on a broken record does not hide the skip', () => {
    const page = mapRecords([{ state: 'working' }], toEmployee, {
      identify: () => {
        throw new TypeError('no attributes')
      },
    })
    expect(page.skipped).toMatchObject([{ remoteId: NO_REMOTE_ID, message: 'a row without an id' }])
  })

  it('with requireId, a record without an id fails the page as a malformed answer, not a skip', () => {
    const rows: Row[] = [
      { id: 1, state: 'working' },
      { mail: 'anon@example.com', state: 'working' },
    ]
    expect(() =>
      mapRecords(rows, toEmployee, { identify, requireId: 'Vendor sent a row without an id' }),
    ).toThrow(
      expect.objectContaining({ code: 'malformed_response', message: 'Vendor sent a row without an id' }),
    )
    // with every id present, requireId changes nothing: skips stay skips
    const page = mapRecords([{ id: 2, state: 'on leave' }], toEmployee, { identify, requireId: 'no id' })
    expect(page.skipped).toEqual([expect.objectContaining({ remoteId: '2', reason: 'unmapped_status' })])
  })

  it('rethrows any other error: a bug in the mapping fails the pull instead of skipping people', () => {
    const broken = (row: Row): Employee => {
      if (row.id === 2) return (row as unknown as { missing: { field: Employee } }).missing.field
      return toEmployee(row)
    }
    expect(() =>
      mapRecords(
        [
          { id: 1, state: 'working' },
          { id: 2, state: 'working' },
        ],
        broken,
      ),
    ).toThrow(TypeError)
  })

  it('skipPerson throws a SkipPerson carrying the reason, defaulting to invalid_record', () => {
    expect(() => skipPerson('no id')).toThrow(SkipPerson)
    expect(() => skipPerson('no id')).toThrow(
      expect.objectContaining({ reason: 'invalid_record', remoteId: null, message: 'no id' }),
    )
    expect(() => skipPerson('odd', { remoteId: '4', reason: 'unmapped_status' })).toThrow(
      expect.objectContaining({ reason: 'unmapped_status', remoteId: '4' }),
    )
  })

  it('the page it returns is what pullEmployees takes', async () => {
    const rows: Row[] = [
      { id: 1, state: 'working' },
      { id: 2, state: 'sabbatical' },
    ]
    const connector = defineConnector({
      ...testConnector(),
      async *listEmployees() {
        yield mapRecords(rows, toEmployee, { identify })
      },
    })
    const result = await pullEmployees(connector, validConfig, fast)
    expect(result.employees.map((person) => person.remoteId)).toEqual(['1'])
    expect(result.skipped).toMatchObject([{ remoteId: '2', reason: 'unmapped_status' }])
  })
})

import { ConnectorError, type Employee, isConnectorError, type SkippedPerson } from '@hrsync/core'

/** The remoteId a skipped person is reported under when the record carried none. */
export const NO_REMOTE_ID = '(none)'

/** Who a record is about, as far as it can be read before mapping it. */
export interface RecordIdentity {
  remoteId: string | null
  email?: string | null
}

/**
 * Thrown while mapping one vendor record to say it cannot become an Employee (no id, an undocumented
 * status). `mapRecords` reports it as a skipped person; it never leaves a pull.
 */
export class SkipPerson extends Error {
  override readonly name = 'SkipPerson'
  readonly reason: SkippedPerson['reason']
  readonly remoteId: string | null
  readonly email: string | null | undefined

  constructor(
    message: string,
    person: { remoteId?: string | null; email?: string | null; reason?: SkippedPerson['reason'] } = {},
  ) {
    super(message)
    this.reason = person.reason ?? 'invalid_record'
    this.remoteId = person.remoteId ?? null
    this.email = person.email
  }
}

/**
 * Stops mapping this record and reports the person as skipped: `skipPerson('a row without an id')`, or
 * with what is known, `skipPerson(message, { remoteId, email, reason })`. The reason defaults to
 * `invalid_record`; pass `mapStatus`'s `skipped` as the second argument to keep its `unmapped_status`.
 */
export function skipPerson(
  message: string,
  person?: { remoteId?: string | null; email?: string | null; reason?: SkippedPerson['reason'] },
): never {
  throw new SkipPerson(message, person)
}

export interface MapRecordsOptions<R> {
  /**
   * Reads the record's id (and email) without mapping it, so a record whose mapping fails is reported
   * under its id. What the skip signal itself names wins.
   */
  identify?: (record: R) => RecordIdentity
  /**
   * For a vendor that documents an id on every record: a record in which `identify` finds none makes the
   * page a broken answer, and `mapRecords` fails with `malformed_response` and this message (the pull
   * fails) instead of skipping the person. Needs `identify`.
   */
  requireId?: string
}

/** The skipped person for a record whose mapping threw `error`, or undefined when the error is a bug. */
function skippedFor<R>(error: unknown, record: R, options: MapRecordsOptions<R>): SkippedPerson | undefined {
  // a SkipPerson is the connector's own verdict; a ConnectorError is the kit's readers refusing a value
  // (a date that is not a date). Anything else (a TypeError) is a bug and must fail the pull.
  const skip = error instanceof SkipPerson ? error : undefined
  if (!skip && !isConnectorError(error)) return undefined
  const known = readIdentity(record, options)
  return {
    remoteId: skip?.remoteId ?? known.remoteId ?? NO_REMOTE_ID,
    email: (skip?.email !== undefined ? skip.email : known.email) ?? null,
    reason: skip?.reason ?? 'invalid_record',
    message: (error as Error).message,
  }
}

function readIdentity<R>(record: R, options: MapRecordsOptions<R>): RecordIdentity {
  if (!options.identify) return { remoteId: null }
  try {
    return options.identify(record)
  } catch {
    // a record too broken to identify is still reported, under NO_REMOTE_ID
    return { remoteId: null }
  }
}

/**
 * Maps one page of vendor records into the page a connector yields: each record through `toEmployee`,
 * in the vendor's order. A record whose mapping throws `SkipPerson` (see `skipPerson`) or a
 * `ConnectorError` (toIsoDate refusing a date) becomes a skipped person with that message; any other
 * error is a bug in the connector and is thrown, so it fails the pull instead of hiding people. With
 * `requireId`, a record without an id fails the page instead.
 */
export function mapRecords<R>(
  records: Iterable<R>,
  toEmployee: (record: R) => Employee,
  options: MapRecordsOptions<R> = {},
): { employees: Employee[]; skipped: SkippedPerson[] } {
  const employees: Employee[] = []
  const skipped: SkippedPerson[] = []
  for (const record of records) {
    if (options.requireId !== undefined && readIdentity(record, options).remoteId === null) {
      throw new ConnectorError('malformed_response', options.requireId)
    }
    try {
      employees.push(toEmployee(record))
    } catch (error) {
      const person = skippedFor(error, record, options)
      if (!person) throw error
      skipped.push(person)
    }
  }
  return { employees, skipped }
}

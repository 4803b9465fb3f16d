import {
  cleanString,
  type EmploymentState as DatedState,
  employmentState as datedState,
  emailFrom,
  idString,
  skipPerson,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import type { EmployeeRow } from './vendor.js'

/**
 * A GetConnector row carries no status: the employment dates decide. These are the three states they can
 * describe. Absence is not part of the GetConnector, so nobody is on leave.
 */
export const STATUS = statusTable({
  notYetEmployed: 'pending',
  employed: 'active',
  leftEmployment: 'terminated',
})
export type EmploymentState = keyof typeof STATUS

/** The field ids the customer's GetConnector must have, in the order the setup guide lists them. */
export const REQUIRED_FIELDS = [
  'Medewerker',
  'Voornaam',
  'Voorvoegsel',
  'Achternaam',
  'Email_werk',
  'Functie_omschrijving',
  'Organisatorische_eenheid_omschrijving',
  'Leidinggevende',
  'Datum_in_dienst',
  'Datum_uit_dienst',
] as const satisfies ReadonlyArray<keyof EmployeeRow>

/** AFAS date-times are Amsterdam time, so "today" is the Amsterdam day too. */
export const PROFIT_TIME_ZONE = 'Europe/Amsterdam'

/** The kit's date-derived states under the names this connector reports. */
const AFAS_STATE: Readonly<Record<DatedState, EmploymentState>> = {
  notStarted: 'notYetEmployed',
  employed: 'employed',
  left: 'leftEmployment',
}

/**
 * Where the person stands on the Amsterdam day, by the kit's rule: an end date today still counts as
 * employed (it ends with the day).
 */
export function employmentState(
  startDate: string | null,
  endDate: string | null,
  now: Date,
): EmploymentState {
  return AFAS_STATE[datedState(startDate, endDate, now, PROFIT_TIME_ZONE)]
}

/** Dutch surnames keep their prefix apart: "van der" + "Berg" → "van der Berg". */
export function surname(prefix: unknown, lastName: unknown): string | null {
  const parts = [cleanString(prefix), cleanString(lastName)].filter((part) => part !== null)
  return parts.length === 0 ? null : parts.join(' ')
}

/**
 * Someone with two employments appears twice: keep the row without an end date, otherwise the one that
 * started last. Rows keep the order of their first appearance.
 */
export function onePerEmployee(rows: EmployeeRow[]): EmployeeRow[] {
  const kept = new Map<string, EmployeeRow>()
  const withoutId: EmployeeRow[] = []
  const startOf = (row: EmployeeRow) => cleanString(row.Datum_in_dienst) ?? ''
  for (const row of rows) {
    const id = idString(row.Medewerker)
    if (id === null) {
      withoutId.push(row)
      continue
    }
    const known = kept.get(id)
    if (!known) {
      kept.set(id, row)
      continue
    }
    const knownOpen = cleanString(known.Datum_uit_dienst) === null
    const rowOpen = cleanString(row.Datum_uit_dienst) === null
    if ((rowOpen && !knownOpen) || (rowOpen === knownOpen && startOf(row) > startOf(known))) kept.set(id, row)
  }
  return [...kept.values(), ...withoutId]
}

/** What a row is known by before it is mapped: a person skipped later is reported under it. */
export function identify(row: EmployeeRow): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(row.Medewerker), email: emailFrom(row.Email_werk) }
}

/**
 * One GetConnector row as a canonical Employee. A row without a Medewerker code is refused with
 * skipPerson, an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(row: EmployeeRow, now: Date): Employee {
  const { remoteId, email } = identify(row)
  if (remoteId === null) skipPerson('a row without a Medewerker code', { email })
  // `2021-10-01T00:00:00Z` is Amsterdam midnight despite the Z: the calendar day is the date
  const startDate = toIsoDate(row.Datum_in_dienst)
  const terminationDate = toIsoDate(row.Datum_uit_dienst)
  return employee({
    remoteId,
    email,
    firstName: cleanString(row.Voornaam),
    lastName: surname(row.Voorvoegsel, row.Achternaam),
    status: STATUS[employmentState(startDate, terminationDate, now)],
    managerRemoteId: idString(row.Leidinggevende),
    department: cleanString(row.Organisatorische_eenheid_omschrijving),
    jobTitle: cleanString(row.Functie_omschrijving),
    startDate,
    terminationDate,
  })
}

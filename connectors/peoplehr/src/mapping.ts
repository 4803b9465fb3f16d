import { cleanString, emailFrom, idString, mapStatus, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'

/** Most People HR fields are `{ DisplayValue, FieldHistory }`; a few are plain strings. */
export type Field = { DisplayValue?: string | null } | string | null | undefined

/** One item of GetAllEmployeeDetail's `Result` (the fields the connector reads). */
export interface PeopleHrEmployee {
  EmployeeId?: Field
  FirstName?: Field
  LastName?: Field
  EmailId?: Field
  StartDate?: Field
  JobRole?: Field
  Department?: Field
  ReportsToEmployeeId?: Field
  LeavingDate?: Field
}

/** The value of a field, wrapped or not; `""` → null. */
export function dv(field: Field): string | null {
  const value = typeof field === 'object' && field !== null ? field.DisplayValue : field
  return cleanString(value)
}

/**
 * People HR's list has no status; EmployeeStatus ("1") has no published meaning. The dates decide, and
 * the connector names the outcome with these values.
 */
export type PeopleHrStatus = 'employed' | 'not-started' | 'left'

export const STATUS = statusTable<PeopleHrStatus>({
  employed: 'active', // including someone serving notice (LeavingDate after today)
  'not-started': 'pending', // StartDate after today
  left: 'terminated', // LeavingDate before today
})

export type Mapped = { employee: Employee } | { skipped: SkippedPerson }

export function mapEmployee(record: PeopleHrEmployee, now: Date): Mapped {
  const remoteId = idString(dv(record.EmployeeId))
  const email = emailFrom(dv(record.EmailId))
  if (remoteId === null) {
    return {
      skipped: {
        remoteId: 'unknown',
        email,
        reason: 'invalid_record',
        message: 'an employee without EmployeeId',
      },
    }
  }
  const today = todayIn('UTC', now)
  const startDate = toIsoDate(dv(record.StartDate))
  const terminationDate = toIsoDate(dv(record.LeavingDate))
  // the leaving date is the last day of employment: terminated from the day after (R20)
  const derived: PeopleHrStatus =
    terminationDate !== null && terminationDate < today
      ? 'left'
      : startDate !== null && startDate > today
        ? 'not-started'
        : 'employed'
  const mapped = mapStatus(STATUS, derived, { remoteId, email })
  if ('skipped' in mapped) return mapped
  return {
    employee: employee({
      remoteId,
      email,
      firstName: dv(record.FirstName),
      lastName: dv(record.LastName),
      status: mapped.status,
      managerRemoteId: idString(dv(record.ReportsToEmployeeId)),
      department: dv(record.Department),
      jobTitle: dv(record.JobRole),
      startDate,
      terminationDate,
    }),
  }
}

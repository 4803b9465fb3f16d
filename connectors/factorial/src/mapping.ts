import {
  cleanString,
  emailFrom,
  idString,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'

/**
 * Factorial's employee has no status enum: the `active` flag (false once terminated), `terminated_on` and
 * the contract's `starts_on` tell it. The keys name the condition, the values what it means.
 */
export const STATUS = statusTable({
  active: 'active',
  not_started: 'pending',
  left: 'terminated',
  inactive: 'terminated',
})
export type FactorialCondition = keyof typeof STATUS

/** The fields of a `GET …/employees/employees` item the connector reads. */
export interface FactorialEmployee {
  id?: number | string
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  login_email?: string | null
  /** the private address; never used as the work email */
  personal_email?: string | null
  manager_id?: number | string | null
  active?: unknown
  terminated_on?: string | null
  seniority_calculation_date?: string | null
}

/** An item of `GET …/teams/teams`. */
export interface FactorialTeam {
  name?: string | null
  employee_ids?: Array<number | string> | null
}

/** An item of `GET …/contracts/contract_versions`: one row per change of an employee's contract. */
export interface FactorialContractVersion {
  employee_id?: number | string
  effective_on?: string | null
  starts_on?: string | null
  job_title?: string | null
}

/** Per employee, the name of the first team listing them (Factorial has teams, not departments). */
export function teamsByEmployee(teams: Iterable<FactorialTeam>): Map<string, string> {
  const byEmployee = new Map<string, string>()
  for (const team of teams) {
    const name = cleanString(team.name)
    if (name === null) continue
    for (const member of team.employee_ids ?? []) {
      const id = idString(member)
      if (id !== null && !byEmployee.has(id)) byEmployee.set(id, name)
    }
  }
  return byEmployee
}

/** Per employee, the contract version in force last: the greatest `effective_on`. */
export function latestContracts(
  versions: Iterable<FactorialContractVersion>,
): Map<string, FactorialContractVersion> {
  const latest = new Map<string, FactorialContractVersion>()
  for (const version of versions) {
    const id = idString(version.employee_id)
    const effective = toIsoDate(version.effective_on)
    if (id === null || effective === null) continue
    const known = latest.get(id)
    if (!known || effective >= (toIsoDate(known.effective_on) ?? '')) latest.set(id, version)
  }
  return latest
}

export interface Joins {
  teamOf: ReadonlyMap<string, string>
  contractOf: ReadonlyMap<string, FactorialContractVersion>
}

/** The condition an employee is in on `now`, or null when `active` is neither a boolean nor empty. */
export function condition(
  record: FactorialEmployee,
  startDate: string | null,
  now: Date,
): FactorialCondition | null {
  if (record.active === false) return 'inactive'
  if (record.active !== true && record.active !== null && record.active !== undefined) return null
  if (terminatedIfPast('active', toIsoDate(record.terminated_on), now) === 'terminated') return 'left'
  if (startDate !== null && startDate > todayIn('UTC', now)) return 'not_started'
  return 'active'
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(record: FactorialEmployee): { remoteId: string | null; email: string | null } {
  // `email` is the main address; `login_email` the account login, used only when there is no main one
  return { remoteId: idString(record.id), email: emailFrom(record.email) ?? emailFrom(record.login_email) }
}

/**
 * One Factorial employee as a canonical Employee. An employee without an id or with an `active` flag
 * that is not a boolean is refused with skipPerson, a malformed date by toIsoDate: mapRecords reports
 * them skipped.
 */
export function toEmployee(record: FactorialEmployee, joins: Joins, now: Date): Employee {
  const { remoteId, email } = identify(record)
  if (remoteId === null) skipPerson('a Factorial employee without an id', { email })
  const contract = joins.contractOf.get(remoteId)
  const startDate = toIsoDate(contract?.starts_on) ?? toIsoDate(record.seniority_calculation_date)
  const state = condition(record, startDate, now)
  if (state === null) {
    skipPerson(`active "${String(record.active)}" is not true, false or empty`, {
      remoteId,
      email,
      reason: 'unmapped_status',
    })
  }
  return employee({
    remoteId,
    email,
    firstName: cleanString(record.first_name),
    lastName: cleanString(record.last_name),
    status: STATUS[state],
    managerRemoteId: idString(record.manager_id),
    department: joins.teamOf.get(remoteId) ?? null,
    jobTitle: cleanString(contract?.job_title),
    startDate,
    terminationDate: toIsoDate(record.terminated_on),
  })
}

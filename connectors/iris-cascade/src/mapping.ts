import {
  cleanString,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  type EmploymentState,
  emailFrom,
  idString,
  skipPerson,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee } from '@hrsync/core'

/** An item of /employees (the fields the connector reads). */
export interface CascadeEmployee {
  Id?: string
  FirstName?: string | null
  LastName?: string | null
  EmploymentStartDate?: string | null
  EmploymentLeftDate?: string | null
  Emails?: Array<{ Ownership?: string | null; Value?: string | null }> | null
}

/** An item of /jobs: a person can hold several, ended ones included. */
export interface CascadeJob {
  Id?: string
  EmployeeId?: string | null
  JobTitle?: string | null
  LineManagerId?: string | null
  HierarchyNodeId?: string | null
  StartDate?: string | null
  EndDate?: string | null
  Active?: boolean | null
}

/** An item of /hierarchy: an org unit. */
export interface HierarchyNode {
  Id?: string
  Title?: string | null
  ParentId?: string | null
}

/**
 * The Employee resource has no documented status values (WorkingStatus is free text); the employment
 * dates decide: not started (EmploymentStartDate after today), employed (including someone whose
 * EmploymentLeftDate is still ahead) or left (EmploymentLeftDate before today).
 */
export const STATUS = EMPLOYMENT_DATE_STATUS
export type CascadeStatus = EmploymentState

const startOf = (job: CascadeJob) => toIsoDate(job.StartDate ?? null) ?? ''

/** The job that describes someone now: the active one (the latest if several), else the latest of all. */
export function currentJob(jobs: readonly CascadeJob[]): CascadeJob | undefined {
  const latest = (list: readonly CascadeJob[]) =>
    list.reduce<CascadeJob | undefined>(
      (best, job) => (!best || startOf(job) > startOf(best) ? job : best),
      undefined,
    )
  return latest(jobs.filter((job) => job.Active === true)) ?? latest(jobs)
}

/** The work address: the email owned by the organisation; a personal address is never used. */
export function workEmail(emails: CascadeEmployee['Emails']): string | null {
  const work = (emails ?? []).find((email) => email?.Ownership === 'Organization')
  return emailFrom(work?.Value)
}

/** What an employee is known by before it is mapped: a person skipped later is reported under it. */
export function identify(person: CascadeEmployee): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(person.Id), email: workEmail(person.Emails) }
}

/**
 * One employee with their current job as a canonical Employee; an employee without an Id or with an
 * unreadable date is refused with skipPerson.
 */
export function toEmployee(
  person: CascadeEmployee,
  job: CascadeJob | undefined,
  departments: ReadonlyMap<string, string>,
  now: Date,
): Employee {
  const { remoteId, email } = identify(person)
  if (remoteId === null) skipPerson('an employee without Id', { email })
  const node = job?.HierarchyNodeId ? departments.get(job.HierarchyNodeId) : undefined
  return employee({
    remoteId,
    email,
    firstName: cleanString(person.FirstName),
    lastName: cleanString(person.LastName),
    managerRemoteId: idString(job?.LineManagerId),
    department: cleanString(node),
    jobTitle: cleanString(job?.JobTitle),
    ...datedEmployment(person.EmploymentStartDate, person.EmploymentLeftDate, now),
  })
}

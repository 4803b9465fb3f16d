import {
  cleanString,
  emailFrom,
  mapStatus,
  skipPerson,
  terminatedIfPast,
  todayIn,
  toIsoDate,
} from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
import { attribute, child, children, type Node, referenceId, text } from './soap.js'

/**
 * Workday has no single status field: Worker_Status_Data carries flags. The connector reads them in this
 * order (first match wins) into one of these values.
 */
export type WorkdayStatus = 'terminated' | 'on_leave' | 'future_hire' | 'inactive' | 'active'

export const STATUS = statusTable<WorkdayStatus>({
  terminated: 'terminated', // Terminated = 1
  on_leave: 'leave', // Leave_Status_Data/On_Leave = 1
  future_hire: 'pending', // Hire_Date after today
  inactive: 'pending', // Active = 0, not terminated
  active: 'active', // Active = 1
})

const WORKER_ID_TYPES = ['Employee_ID', 'Contingent_Worker_ID'] as const

const flag = (node: Node | undefined) => text(node)

/** Reads the flags of Worker_Status_Data into one status value; undefined when they say nothing known. */
export function workdayStatus(
  statusData: Node | undefined,
  today: string,
): WorkdayStatus | string | undefined {
  if (statusData === undefined) return undefined
  if (flag(child(statusData, 'Terminated')) === '1') return 'terminated'
  if (children(statusData, 'Leave_Status_Data').some((leave) => flag(child(leave, 'On_Leave')) === '1'))
    return 'on_leave'
  const hired = toIsoDate(text(child(statusData, 'Hire_Date')))
  if (hired !== null && hired > today) return 'future_hire'
  const active = flag(child(statusData, 'Active'))
  if (active === '0') return 'inactive'
  if (active === '1') return 'active'
  return active === undefined ? undefined : `Active=${active}`
}

/** The WORK email, preferring the one marked primary; HOME addresses are never used. */
export function workEmail(personalData: Node | undefined): string | null {
  const work = children(child(personalData, 'Contact_Data'), 'Email_Address_Data').filter((entry) =>
    children(child(entry, 'Usage_Data'), 'Type_Data').some(
      (type) => referenceId(child(type, 'Type_Reference'), ['Communication_Usage_Type_ID']) === 'WORK',
    ),
  )
  const primary = work.find((entry) =>
    children(child(entry, 'Usage_Data'), 'Type_Data').some((type) => attribute(type, 'Primary') === '1'),
  )
  return emailFrom(text(child(primary ?? work[0], 'Email_Address')))
}

function names(personalData: Node | undefined): { firstName: string | null; lastName: string | null } {
  const nameData = child(personalData, 'Name_Data')
  const detail =
    child(child(nameData, 'Preferred_Name_Data'), 'Name_Detail_Data') ??
    child(child(nameData, 'Legal_Name_Data'), 'Name_Detail_Data')
  return {
    firstName: cleanString(text(child(detail, 'First_Name'))),
    lastName: cleanString(text(child(detail, 'Last_Name'))),
  }
}

function department(workerData: Node | undefined, organizationType: string): string | null {
  const organizations = children(
    children(child(workerData, 'Organization_Data'), 'Worker_Organization_Data'),
    'Organization_Data',
  )
  const match = organizations.find(
    (org) =>
      referenceId(child(org, 'Organization_Type_Reference'), ['Organization_Type_ID']) === organizationType,
  )
  return cleanString(text(child(match, 'Organization_Name')))
}

/** What a wd:Worker is known by before it is mapped: a person skipped later is reported under it. */
export function identify(worker: Node): { remoteId: string | null; email: string | null } {
  const workerData = child(worker, 'Worker_Data')
  const remoteId =
    text(child(workerData, 'Worker_ID')) ?? referenceId(child(worker, 'Worker_Reference'), WORKER_ID_TYPES)
  return { remoteId: remoteId ?? null, email: workEmail(child(workerData, 'Personal_Data')) }
}

/**
 * One wd:Worker as a canonical Employee. A worker without an id or whose status flags say nothing known is
 * refused with skipPerson, an unreadable date by toIsoDate: mapRecords reports them skipped.
 */
export function toEmployee(worker: Node, options: { now: Date; departmentOrgType: string }): Employee {
  const workerData = child(worker, 'Worker_Data')
  const personalData = child(workerData, 'Personal_Data')
  const employment = child(workerData, 'Employment_Data')
  const { remoteId, email } = identify(worker)
  if (remoteId === null) {
    // the descriptor (the worker's name) is all that tells the customer whom to look at
    skipPerson('the worker has no Worker_ID', { remoteId: text(child(worker, 'Worker_Descriptor')), email })
  }
  const statusData = child(employment, 'Worker_Status_Data')
  const mapped = mapStatus(STATUS, workdayStatus(statusData, todayIn('UTC', options.now)), {
    remoteId,
    email,
  })
  if ('skipped' in mapped) {
    const hint = statusData === undefined ? ' (the ISU may lack access to the worker’s employment data)' : ''
    skipPerson(`${mapped.skipped.message}${hint}`, mapped.skipped)
  }
  const jobs = children(employment, 'Worker_Job_Data')
  const primaryJob = jobs.find((job) => attribute(job, 'Primary_Job') === '1') ?? jobs[0]
  const position = child(primaryJob, 'Position_Data')
  const terminationDate = toIsoDate(text(child(statusData, 'Termination_Date')))
  return employee({
    remoteId,
    email,
    ...names(personalData),
    status: terminatedIfPast(mapped.status, terminationDate, options.now),
    managerRemoteId:
      referenceId(child(position, 'Manager_as_of_last_detected_manager_change_Reference'), WORKER_ID_TYPES) ??
      null,
    department: department(workerData, options.departmentOrgType),
    jobTitle: cleanString(text(child(position, 'Business_Title')) ?? text(child(position, 'Position_Title'))),
    startDate: toIsoDate(text(child(statusData, 'Hire_Date'))),
    terminationDate,
  })
}

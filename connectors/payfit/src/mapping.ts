import { cleanString, emailFrom, idString, skipPerson, todayIn, toIsoDate } from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'

/**
 * PayFit's contract `status` string has no documented list of values, so the contract dates decide
 * (https://developers.payfit.io/changelog/contract-status-added-to-get-collaborators). These are the four
 * states the dates of a collaborator's contracts can describe.
 */
export const STATUS = statusTable({
  /** a contract runs today */
  underContract: 'active',
  /** only contracts that start after today */
  contractNotStarted: 'pending',
  /** every contract has ended */
  contractEnded: 'terminated',
  /** no dated contract yet: created, waiting for an admin to finish the contract */
  noContract: 'pending',
})
export type ContractState = keyof typeof STATUS

/** A contract as the collaborator list summarises it. */
export interface ContractSummary {
  id: string
  status?: string | null
  startDate?: string | null
  endDate?: string | null
}

/** A contract from the contract list: the only place with the job title. */
export interface PayFitContract extends ContractSummary {
  companyId?: string
  collaboratorId?: string | null
  jobName?: string | null
}

export interface PayFitEmail {
  email?: string | null
  type?: string | null
}

/** The fields of a PayFit collaborator the connector reads. */
export interface Collaborator {
  id: string
  firstName?: string | null
  lastName?: string | null
  emails?: PayFitEmail[] | null
  managerId?: string | null
  teamName?: string | null
  contracts?: ContractSummary[] | null
  terminationDate?: string | null
}

/** A contract with its dates as YYYY-MM-DD; contracts without a start date are still being created. */
interface DatedContract {
  contract: PayFitContract
  start: string
  end: string | null
}

export interface SelectedContract {
  state: ContractState
  contract?: PayFitContract
}

/**
 * The contract that describes the person today: the one running today (the latest start if several),
 * else the earliest future one, else the one that ended last. A contract ending today still runs.
 */
export function selectContract(contracts: PayFitContract[], now: Date): SelectedContract {
  const today = todayIn('UTC', now)
  const dated: DatedContract[] = []
  for (const contract of contracts) {
    const start = toIsoDate(contract.startDate)
    if (start !== null) dated.push({ contract, start, end: toIsoDate(contract.endDate) })
  }
  const running = dated
    .filter((c) => c.start <= today && (c.end === null || c.end >= today))
    .sort((a, b) => b.start.localeCompare(a.start))
  if (running[0]) return { state: 'underContract', contract: running[0].contract }
  const future = dated.filter((c) => c.start > today).sort((a, b) => a.start.localeCompare(b.start))
  if (future[0]) return { state: 'contractNotStarted', contract: future[0].contract }
  const ended = dated.sort((a, b) => (b.end ?? '').localeCompare(a.end ?? ''))
  if (ended[0]) return { state: 'contractEnded', contract: ended[0].contract }
  return { state: 'noContract' }
}

/**
 * The work address: an entry whose type is not `personal`, a `professional` one first. PayFit's login
 * address is always personal and is never used (https://developers.payfit.io/docs/scope-collaborator-personal).
 */
export function workEmail(emails: PayFitEmail[] | null | undefined): string | null {
  if (!Array.isArray(emails)) return null
  const usable = emails.filter(
    (entry) => typeof entry?.type === 'string' && entry.type.trim().toLowerCase() !== 'personal',
  )
  const preferred = [
    ...usable.filter((entry) => entry.type?.trim().toLowerCase() === 'professional'),
    ...usable,
  ]
  for (const entry of preferred) {
    const email = emailFrom(entry.email)
    if (email !== null) return email
  }
  return null
}

/**
 * The collaborator's contracts: the summary on the collaborator, completed with the contract list (job
 * title, and dates when the summary lacks them), plus listed contracts the summary does not name.
 */
export function contractsOf(
  collaborator: Collaborator,
  byId: ReadonlyMap<string, PayFitContract>,
  byCollaborator: ReadonlyMap<string, PayFitContract[]>,
): PayFitContract[] {
  const merged = new Map<string, PayFitContract>()
  for (const summary of collaborator.contracts ?? []) {
    const id = idString(summary?.id)
    if (id === null) continue
    const listed = byId.get(id)
    merged.set(id, {
      ...listed,
      ...summary,
      id,
      startDate: summary.startDate ?? listed?.startDate ?? null,
      endDate: summary.endDate !== undefined ? summary.endDate : (listed?.endDate ?? null),
      jobName: listed?.jobName ?? null,
    })
  }
  for (const listed of byCollaborator.get(collaborator.id) ?? []) {
    if (!merged.has(listed.id)) merged.set(listed.id, listed)
  }
  return [...merged.values()]
}

/** What a collaborator is known by before it is mapped: a person skipped later is reported under it. */
export function identify(collaborator: Collaborator): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(collaborator.id), email: workEmail(collaborator.emails) }
}

/**
 * One collaborator and their contracts as a canonical Employee; a collaborator without an id or with an
 * unreadable date is refused with skipPerson.
 */
export function toEmployee(collaborator: Collaborator, contracts: PayFitContract[], now: Date): Employee {
  const { remoteId, email } = identify(collaborator)
  if (remoteId === null) skipPerson('a PayFit collaborator without an id', { email })
  const { state: dated, contract } = selectContract(contracts, now)
  const leftOn = toIsoDate(collaborator.terminationDate)
  // without any dated contract, a termination date already passed still says the person has left
  const state: ContractState =
    dated === 'noContract' && leftOn !== null && leftOn < todayIn('UTC', now) ? 'contractEnded' : dated
  const status = STATUS[state]
  const endsOn = toIsoDate(contract?.endDate) ?? leftOn
  // a running contract that ends later is a planned leaving day (R20), shown while the person still works
  const leavingLater = status === 'active' && endsOn !== null && endsOn >= todayIn('UTC', now)
  return employee({
    remoteId,
    email,
    firstName: cleanString(collaborator.firstName),
    lastName: cleanString(collaborator.lastName),
    status,
    managerRemoteId: idString(collaborator.managerId),
    department: cleanString(collaborator.teamName),
    jobTitle: cleanString(contract?.jobName),
    startDate: toIsoDate(contract?.startDate),
    terminationDate: status === 'terminated' || leavingLater ? endsOn : null,
  })
}

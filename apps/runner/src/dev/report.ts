import type { PullResult } from '@hrsync/connector-kit'
import { DEFAULT_MASS_REMOVAL, type Employee, plan, type SyncWarning } from '@hrsync/core'

/**
 * What a first sync with team sync on would report about these people alone (missing emails,
 * duplicates, unknown managers, loops): the sync's own rules, so a pull and a run never disagree.
 */
export function dataWarnings(source: string, result: PullResult): SyncWarning[] {
  const integrationId = 'pull'
  const snapshot = { integrationId, source, complete: true, ...result }
  const settings = { integrationId, timeZone: 'UTC', teamSync: true, massRemoval: DEFAULT_MASS_REMOVAL }
  return plan(snapshot, { users: [], teams: [] }, settings, new Date()).warnings
}

const COLUMNS: Array<[string, (e: Employee) => string | null | undefined]> = [
  ['remoteId', (e) => e.remoteId],
  ['status', (e) => e.status],
  ['email', (e) => e.email],
  ['name', (e) => [e.firstName, e.lastName].filter(Boolean).join(' ')],
  ['manager', (e) => e.managerRemoteId ?? e.managerEmail],
  ['department', (e) => e.department],
  ['job title', (e) => e.jobTitle],
  ['start', (e) => e.startDate],
  ['end', (e) => e.terminationDate],
]

/** Fixed-width columns, each as wide as its longest cell (capped so a long title cannot push the rest away). */
export function peopleTable(employees: Employee[]): string {
  const rows = employees.map((e) => COLUMNS.map(([, cell]) => cell(e) ?? '-'))
  const header = COLUMNS.map(([name]) => name)
  const widths = header.map((name, i) =>
    Math.min(40, Math.max(name.length, ...rows.map((r) => r[i]!.length))),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        cell.length > widths[i]! ? `${cell.slice(0, widths[i]! - 1)}…` : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

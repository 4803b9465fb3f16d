import {
  type ConnectorDefinition,
  ConnectorError,
  type ConnectorErrorCode,
  Employee,
  type EmployeePage,
  type ErrorContext,
  isConnectorError,
  type SkippedPerson,
} from '@hrsync/core'
import type { Static, TObject } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { validateConfig } from './config.js'
import { type CreateContextOptions, createContext } from './context.js'
import { withErrorHint } from './errors.js'

/**
 * Every person as the connector mapped them, in the vendor's order. Only their shape is checked:
 * manager references, loops and ids listed twice are the sync's to judge (@hrsync/core, R15, R16).
 */
export interface PullResult {
  employees: Employee[]
  skipped: SkippedPerson[]
  /** pages the connector yielded */
  pages: number
}

export interface PullOptions extends CreateContextOptions {
  /**
   * progress after each page: its number (from 1), its size, the running total and, when the vendor
   * said, how many people the whole list holds
   */
  onPage?: (info: { page: number; count: number; total: number; expected: number | null }) => void
}

function withStringIds(person: Employee): Employee {
  const ids = person as { remoteId: unknown; managerRemoteId: unknown }
  if (typeof ids.remoteId === 'number' || typeof ids.managerRemoteId === 'number') {
    return {
      ...person,
      remoteId: String(ids.remoteId),
      managerRemoteId: ids.managerRemoteId === null ? null : String(ids.managerRemoteId),
    }
  }
  return person
}

/** Employee's schema compiled once: every person of every pull is checked against it. */
const employeeCheck = TypeCompiler.Compile(Employee)

function checkEmployee(vendor: string, person: unknown): Employee {
  const candidate = typeof person === 'object' && person !== null ? withStringIds(person as Employee) : person
  if (employeeCheck.Check(candidate)) return candidate
  const error = employeeCheck.Errors(candidate).First()
  if (!error) return candidate as Employee
  const remoteId = (candidate as { remoteId?: unknown } | null)?.remoteId
  const field = error.path.replace(/^\//, '').replaceAll('/', '.') || 'the record'
  throw new ConnectorError(
    'invalid_employee',
    `${vendor} connector produced an invalid employee ${remoteId === undefined ? '' : `"${String(remoteId)}" `}(${field}: ${error.message})`,
    { remoteId, field },
  )
}

function toConnectorError(vendor: string, error: unknown): ConnectorError {
  if (isConnectorError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new ConnectorError(
    'malformed_response',
    `Reading people from ${vendor} failed: ${message}`,
    undefined,
    {
      cause: error,
    },
  )
}

/**
 * The failure as the customer reads it: the connector's explainError rewords it first (a hook that throws
 * is a bug of its own, and then the vendor's failure is kept: it says more than the bug), then
 * errorHints appends its sentence.
 */
function explained<S extends TObject>(
  connector: ConnectorDefinition<S>,
  error: unknown,
  context: ErrorContext<Static<S>> | undefined,
): ConnectorError {
  const failure = toConnectorError(connector.name, error)
  let reworded: ConnectorError | undefined
  if (context && connector.explainError) {
    try {
      reworded = connector.explainError(failure, context)
    } catch {
      reworded = undefined
    }
  }
  return withErrorHint(connector, reworded ?? failure)
}

/**
 * Nobody mapped out of a non-empty answer means the connector misread the vendor (a field moved, a new status):
 * syncing an empty list would hide it.
 */
function everyoneSkipped(vendor: string, skipped: SkippedPerson[]): ConnectorError {
  const [first] = skipped
  return new ConnectorError(
    'malformed_response',
    `All ${skipped.length} people ${vendor} answered were skipped, so nobody was synced; the first: ${first?.message}`,
    { skipped: skipped.length, reasons: [...new Set(skipped.map((person) => person.reason))] },
  )
}

/**
 * Validates the config, builds the context, reads every page and checks each person's shape.
 * Any failure on any page throws: a partial list never escapes.
 */
export async function pullEmployees<S extends TObject>(
  connector: ConnectorDefinition<S>,
  rawConfig: unknown,
  options: PullOptions = {},
): Promise<PullResult> {
  const config = validateConfig(connector, rawConfig)
  const ctx = createContext(connector, config, options)
  const collected: Employee[] = []
  const skipped: SkippedPerson[] = []
  let pages = 0
  let expected: number | null = null
  try {
    for await (const page of connector.listEmployees(ctx) as AsyncIterable<EmployeePage>) {
      if (ctx.signal.aborted) throw new ConnectorError('aborted', 'The pull was cancelled')
      const employees = Array.isArray(page) ? page : page.employees
      if (!Array.isArray(employees)) {
        throw new ConnectorError(
          'invalid_employee',
          `${connector.name} connector yielded a page without employees`,
        )
      }
      pages++
      if (!Array.isArray(page) && typeof page.total === 'number') expected = page.total
      for (const raw of employees) collected.push(checkEmployee(connector.name, raw))
      if (!Array.isArray(page) && page.skipped) skipped.push(...page.skipped)
      options.onPage?.({ page: pages, count: employees.length, total: collected.length, expected })
    }
    if (collected.length === 0 && skipped.length > 0) throw everyoneSkipped(connector.name, skipped)
  } catch (error) {
    const failure = explained(connector, error, { config, during: 'pull', pagesRead: pages })
    ctx.log.error(failure.message, { code: failure.code })
    throw failure
  }
  return { employees: collected, skipped, pages }
}

export type ConnectionCheck = { ok: true } | { ok: false; code: ConnectorErrorCode; message: string }

/** Runs the connector's own check with a validated config; never throws, answers with a code and a sentence. */
export async function checkConnection<S extends TObject>(
  connector: ConnectorDefinition<S>,
  rawConfig: unknown,
  options: CreateContextOptions = {},
): Promise<ConnectionCheck> {
  // an invalid config fails before the check runs: there are no settings to explain a failure with
  let context: ErrorContext<Static<S>> | undefined
  try {
    const config = validateConfig(connector, rawConfig)
    context = { config, during: 'check', pagesRead: 0 }
    await connector.checkConnection(createContext(connector, config, options))
    return { ok: true }
  } catch (error) {
    const failure = explained(connector, error, context)
    const message =
      failure.code === 'invalid_config'
        ? `The ${connector.name} connection settings are incomplete: ${failure.message}`
        : failure.message
    return { ok: false, code: failure.code, message }
  }
}

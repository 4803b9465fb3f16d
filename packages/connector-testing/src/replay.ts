import { type ConnectionCheck, checkConnection, type PullResult, pullEmployees } from '@hrsync/connector-kit'
import { type ConnectorDefinition, ConnectorError, isConnectorError } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import type nockType from 'nock'
import {
  type Fixture,
  type FixtureInteraction,
  type FixtureRequest,
  fillPlaceholders,
  loadFixture,
  placeholderValues,
} from './fixture.js'
import { loadNock } from './nock.js'
import {
  credentialDiff,
  credentialHeaders,
  type KnownValues,
  nearestInteraction,
  requestDiff,
  type SentRequest,
  templateOf,
} from './request.js'

/** Replays allow 2 retries, so a fixture of a failing endpoint holds 3 identical failing answers. */
export const REPLAY_RETRY_LIMIT = 2

export interface ReplayOptions {
  now?: Date
  /**
   * Capture mode: each request's credential headers are handed over in the fixture's form instead of being
   * checked against the fixture's `request` parts (the contract suite's HRSYNC_CAPTURE_REQUESTS=1 writes
   * them into the fixture). Method, path, query and body are still matched.
   */
  captureRequest?: (captured: CapturedRequest) => void
}

/** The credentials one interaction's request carried, for writing into the fixture. */
export interface CapturedRequest {
  /** which list of the fixture the interaction is in */
  list: 'interactions' | 'checkInteractions'
  index: number
  request: FixtureRequest
}

export interface ReplayOutcome {
  result?: PullResult
  error?: ConnectorError
  /** every wait the kit asked for (backoff, Retry-After), in ms; replay does not actually wait */
  delays: number[]
}

const isLocal = (host: string) => /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host)

/** `interactions[1] GET https://…/people?page=2 → 200` */
function describe(interaction: FixtureInteraction, where: string): string {
  return `${where} ${interaction.method.toUpperCase()} ${interaction.scope}${interaction.path} → ${interaction.status}`
}

/** One list of a fixture's interactions as recorded (placeholders) and as replayed (filled in). */
interface ReplayedList {
  name: string
  list: CapturedRequest['list']
  recorded: FixtureInteraction[]
  filled: FixtureInteraction[]
  /** dummy values and their placeholders, to show what was sent in the fixture's terms */
  known: KnownValues
}

type NockRequest = {
  method?: string
  path?: string
  host?: string
  headers?: Record<string, unknown>
  getHeaders?: () => Record<string, unknown>
}
type NockOptions = { method?: string; href?: string; headers?: Record<string, unknown> }

/** Counts repeated lines (a retried request fails to match each time) instead of listing each. */
function counted(blocks: string[]): string[] {
  const counts = new Map<string, number>()
  for (const block of blocks) counts.set(block, (counts.get(block) ?? 0) + 1)
  return [...counts.entries()].map(([block, n]) => (n > 1 ? block.replace('\n', ` (${n} times)\n`) : block))
}

/** What failed to replay, as the message of the error that fails the test. */
function replayReport(
  replayed: ReplayedList,
  found: { unmatched: string[]; wrongCredentials: string[]; unused: string[] },
): string {
  const lines = [`Fixture "${replayed.name}" did not replay cleanly.`]
  if (found.unmatched.length > 0) lines.push('Requests no interaction matched:', ...counted(found.unmatched))
  if (found.wrongCredentials.length > 0)
    lines.push(
      'Requests whose credentials differ from the recorded ones (fixture form, {{…}} = placeholder):',
      ...counted(found.wrongCredentials),
    )
  if (found.unused.length > 0) {
    lines.push('Interactions never requested:', ...found.unused.map((u) => `  ${u}`))
    lines.push(
      'All interactions, in order:',
      ...replayed.recorded.map((i, n) => `  ${describe(i, `${replayed.list}[${n}]`)}`),
    )
  }
  return lines.join('\n')
}

/**
 * Runs `action` with only the given interactions answering. Fails, after the action, when a request
 * matched no interaction (with how it differs from the nearest one), when a request carried other
 * credentials than its interaction's `request` part, or when an interaction was never requested.
 */
async function withInteractions<T>(
  replayed: ReplayedList,
  options: ReplayOptions,
  action: () => Promise<T>,
): Promise<T> {
  const { recorded, filled, known } = replayed
  const at = (index: number) => `${replayed.list}[${index}]`
  const nock = await loadNock()
  nock.cleanAll()
  nock.disableNetConnect()
  nock.enableNetConnect(isLocal)
  const found = { unmatched: [] as string[], wrongCredentials: [] as string[], unused: [] as string[] }
  const scopes = nock.define(
    filled.map(({ request: _credentials, ...interaction }) => ({
      ...interaction,
      method: interaction.method.toUpperCase(),
      response: interaction.response ?? '',
    })) as nockType.Definition[],
  )
  const onNoMatch = (req: NockRequest, nockOptions?: NockOptions, body?: string) => {
    const sent: SentRequest = {
      method: nockOptions?.method ?? req.method ?? '?',
      url: nockOptions?.href ?? `https://${req.host ?? ''}${req.path ?? ''}`,
      headers: nockOptions?.headers ?? req.headers ?? {},
      body,
    }
    const all = filled.map((interaction, index) => ({ index, interaction }))
    const pending = all.filter(({ index }) => !scopes[index]?.isDone())
    // a request past the last interaction is compared with the used ones
    const nearest = nearestInteraction(pending.length > 0 ? pending : all, sent)
    const lines = [`  ${sent.method} ${templateOf(sent.url, known)}`]
    if (nearest) {
      const label = pending.length > 0 ? 'nearest unused' : 'every interaction was used; nearest'
      lines.push(`    ${label}: ${describe(recorded[nearest.index]!, at(nearest.index))}`)
      lines.push(...requestDiff(nearest.interaction, sent, known).map((line) => `    ${line}`))
    }
    found.unmatched.push(lines.join('\n'))
  }
  nock.emitter.on('no match', onNoMatch)
  scopes.forEach((scope, index) => {
    scope.on('request', (req: NockRequest) => {
      const headers = req.getHeaders?.() ?? req.headers ?? {}
      const expected = recorded[index]?.request
      if (options.captureRequest) {
        options.captureRequest({ list: replayed.list, index, request: credentialHeaders(headers, known) })
        return
      }
      if (!expected) return
      const differences = credentialDiff(expected, filled[index]?.request ?? expected, headers, known)
      if (differences.length > 0)
        found.wrongCredentials.push(
          [`  ${describe(recorded[index]!, at(index))}`, ...differences.map((line) => `    ${line}`)].join(
            '\n',
          ),
        )
    })
  })
  try {
    const value = await action()
    found.unused =
      scopes.length === filled.length
        ? recorded.flatMap((interaction, i) => (scopes[i]?.isDone() ? [] : [describe(interaction, at(i))]))
        : scopes.flatMap((scope) => scope.pendingMocks())
    if (found.unmatched.length > 0 || found.wrongCredentials.length > 0 || found.unused.length > 0) {
      throw new Error(replayReport(replayed, found))
    }
    return value
  } finally {
    nock.emitter.removeListener('no match', onNoMatch)
    nock.cleanAll()
    nock.enableNetConnect()
  }
}

function load(fixture: Fixture | string): { name: string; fixture: Fixture } {
  return typeof fixture === 'string'
    ? { name: fixture, fixture: loadFixture(fixture) }
    : { name: fixture.meta.description, fixture }
}

function replayContext(options: ReplayOptions, delays: number[]) {
  return {
    now: options.now,
    fetchRetryLimit: REPLAY_RETRY_LIMIT,
    backoffBaseMs: 0,
    sleep: async (ms: number) => {
      delays.push(ms)
    },
  }
}

/** Replays a fixture through pullEmployees; returns the result or the error, and checks every interaction was used. */
export async function replayFixture<S extends TObject>(
  connector: ConnectorDefinition<S>,
  fixturePathOrObject: Fixture | string,
  options: ReplayOptions = {},
): Promise<ReplayOutcome> {
  const { name, fixture } = load(fixturePathOrObject)
  const filled = fillPlaceholders(fixture)
  const delays: number[] = []
  const replayed: ReplayedList = {
    name,
    list: 'interactions',
    recorded: fixture.interactions,
    filled: filled.interactions,
    known: placeholderValues(fixture),
  }
  return withInteractions(replayed, options, async () => {
    try {
      return { result: await pullEmployees(connector, filled.config, replayContext(options, delays)), delays }
    } catch (error) {
      const failure = isConnectorError(error)
        ? error
        : new ConnectorError('malformed_response', String(error), undefined, { cause: error })
      return { error: failure, delays }
    }
  })
}

/** Replays a fixture through checkConnection (over `checkInteractions` when the fixture has them). */
export async function checkFixture<S extends TObject>(
  connector: ConnectorDefinition<S>,
  fixturePathOrObject: Fixture | string,
  options: ReplayOptions = {},
): Promise<ConnectionCheck> {
  const { name, fixture } = load(fixturePathOrObject)
  const filled = fillPlaceholders(fixture)
  const ownList = fixture.checkInteractions !== undefined
  const replayed: ReplayedList = {
    name,
    list: ownList ? 'checkInteractions' : 'interactions',
    recorded: fixture.checkInteractions ?? fixture.interactions,
    filled: filled.checkInteractions ?? filled.interactions,
    known: placeholderValues(fixture),
  }
  return withInteractions(replayed, options, () =>
    checkConnection(connector, filled.config, replayContext(options, [])),
  )
}

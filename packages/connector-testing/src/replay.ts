import { type ConnectionCheck, checkConnection, type PullResult, pullEmployees } from '@hrsync/connector-kit'
import { type ConnectorDefinition, ConnectorError, isConnectorError } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import type nockType from 'nock'
import { type Fixture, type FixtureInteraction, fillPlaceholders, loadFixture } from './fixture.js'
import { loadNock } from './nock.js'

/** Replays allow 2 retries, so a fixture of a failing endpoint holds 3 identical failing answers. */
export const REPLAY_RETRY_LIMIT = 2

export interface ReplayOptions {
  now?: Date
}

export interface ReplayOutcome {
  result?: PullResult
  error?: ConnectorError
  /** every wait the kit asked for (backoff, Retry-After), in ms; replay does not actually wait */
  delays: number[]
}

const isLocal = (host: string) => /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host)

function describe(interaction: FixtureInteraction): string {
  return `${interaction.method.toUpperCase()} ${interaction.scope}${interaction.path} → ${interaction.status}`
}

/** Runs `action` with only the given interactions answering; fails listing unmatched and unused ones. */
async function withInteractions<T>(
  name: string,
  interactions: FixtureInteraction[],
  action: () => Promise<T>,
): Promise<T> {
  const nock = await loadNock()
  nock.cleanAll()
  nock.disableNetConnect()
  nock.enableNetConnect(isLocal)
  const unmatched: string[] = []
  const onNoMatch = (req: { method?: string; href?: string; host?: string; path?: string }) => {
    unmatched.push(`${req.method ?? '?'} ${req.href ?? `${req.host ?? ''}${req.path ?? ''}`}`)
  }
  nock.emitter.on('no match', onNoMatch)
  const scopes = nock.define(
    interactions.map((interaction) => ({
      ...interaction,
      method: interaction.method.toUpperCase(),
      response: interaction.response ?? '',
    })) as nockType.Definition[],
  )
  try {
    const value = await action()
    const unused =
      scopes.length === interactions.length
        ? interactions.filter((_, i) => !scopes[i]?.isDone()).map(describe)
        : scopes.flatMap((scope) => scope.pendingMocks())
    if (unmatched.length > 0 || unused.length > 0) {
      const lines = [`Fixture "${name}" did not replay cleanly.`]
      if (unmatched.length > 0)
        lines.push('Requests no interaction matched:', ...unmatched.map((u) => `  ${u}`))
      if (unused.length > 0) {
        lines.push('Interactions never requested:', ...unused.map((u) => `  ${u}`))
        lines.push('All interactions, in order:', ...interactions.map((i) => `  ${describe(i)}`))
      }
      throw new Error(lines.join('\n'))
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
  return withInteractions(name, filled.interactions, async () => {
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
  return withInteractions(name, filled.checkInteractions ?? filled.interactions, () =>
    checkConnection(connector, filled.config, replayContext(options, [])),
  )
}

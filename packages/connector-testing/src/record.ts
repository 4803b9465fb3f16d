import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { configSecrets, pullEmployees, validateConfig } from '@hrsync/connector-kit'
import { type ConnectorDefinition, type Employee, Employee as EmployeeSchema } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import { type Fixture, type FixtureExpectation, SCRUBBER_VERSION } from './fixture.js'
import { formatFindings, leakCheckFixture } from './leak.js'
import { loadNock } from './nock.js'
import { type ReplayOutcome, replayFixture } from './replay.js'
import { type PiiKeys, type RecordedInteraction, scrubConfig, scrubRecording } from './scrub.js'

/**
 * Which scenarios to record, from HRSYNC_RECORD: `1` records happy-multipage of every connector,
 * `<slug>:<scenario>` (globs allowed, comma-separated) records exactly those.
 */
export function shouldRecord(slug: string, scenario: string, value = process.env.HRSYNC_RECORD): boolean {
  if (!value || value === '0') return false
  if (value === '1' || value === 'true') return scenario === 'happy-multipage'
  return value.split(',').some((entry) => {
    const [slugGlob = '', scenarioGlob = 'happy-multipage'] = entry.trim().split(':')
    const glob = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`)
    return glob(slugGlob).test(slug) && glob(scenarioGlob).test(scenario)
  })
}

export const updateExpectedRequested = (): boolean =>
  process.env.HRSYNC_UPDATE_EXPECTED === '1' || process.argv.includes('--update-expected')

function readDotEnv(path: string): Record<string, string> {
  if (!existsSync(path)) return {}
  const entries: Record<string, string> = {}
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line)
    if (match?.[1]) entries[match[1]] = (match[2] ?? '').replace(/^(['"])(.*)\1$/, '$2')
  }
  return entries
}

/** `clientSecret` of connector `personio` → `HRSYNC_PERSONIO_CLIENT_SECRET`. */
export function credentialVariable(slug: string, key: string): string {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
  return `HRSYNC_${slug.replaceAll('-', '_').toUpperCase()}_${snake}`
}

/** Live connection settings from the environment or `.env.local` (gitignored), validated against the schema. */
export function credentialsFromEnv<S extends TObject>(
  connector: ConnectorDefinition<S>,
  dirs: string[] = [process.cwd()],
) {
  const files = Object.assign(
    {},
    ...dirs.map((dir) => readDotEnv(join(dir, '.env.local'))).reverse(),
  ) as Record<string, string>
  const raw: Record<string, string> = {}
  for (const key of Object.keys(connector.config.properties)) {
    const name = credentialVariable(connector.id, key)
    const value = process.env[name] ?? files[name]
    if (value !== undefined && value !== '') raw[key] = value
  }
  return validateConfig(connector, raw) as Record<string, unknown>
}

/** Keys in the order of the Employee schema, so expected outputs read the same in every fixture. */
function inSchemaOrder(person: Employee): Employee {
  return Object.fromEntries(
    Object.keys(EmployeeSchema.properties).map((key) => [key, person[key as keyof Employee]]),
  ) as Employee
}

export function expectationFrom(outcome: ReplayOutcome): FixtureExpectation {
  if (outcome.error) return { error: { code: outcome.error.code } }
  const result = outcome.result!
  return {
    employees: result.employees.map(inSchemaOrder),
    ...(result.skipped.length > 0 ? { skipped: result.skipped } : {}),
  }
}

export interface RecordOptions {
  fixturesDir: string
  scenario: string
  now: Date
  vendorApiVersion: string
  connectorVersion: string
  description?: string
  allowedEmailDomains?: string[]
  /** the vendor's own names of personal fields, pseudonymised or erased (see ScrubOptions.piiKeys) */
  piiKeys?: PiiKeys
  /** live settings; read from the environment when omitted */
  config?: Record<string, unknown>
}

/**
 * Runs a live pull with nock's recorder on, scrubs the recording, leak-checks it and writes the fixture.
 * `expected` is kept unless the file is new or HRSYNC_UPDATE_EXPECTED=1 / --update-expected is given.
 */
export async function recordFixture<S extends TObject>(
  connector: ConnectorDefinition<S>,
  options: RecordOptions,
): Promise<string> {
  const config = options.config ?? credentialsFromEnv(connector)
  const path = join(options.fixturesDir, `${options.scenario}.json`)
  const tokens: string[] = []
  const nock = await loadNock()
  nock.cleanAll()
  nock.enableNetConnect()
  nock.recorder.clear()
  // request headers are recorded for their credentials, which the scrubber keeps as each interaction's
  // request part in placeholder form; the other headers are dropped
  nock.recorder.rec({ output_objects: true, dont_print: true, enable_reqheaders_recording: true })
  let liveError: unknown
  try {
    await pullEmployees(connector, config, { now: options.now, onSecret: (secret) => tokens.push(secret) })
  } catch (error) {
    liveError = error
  } finally {
    nock.restore()
    nock.activate()
  }
  const recorded = (
    nock.recorder.play() as unknown as Array<RecordedInteraction & { responseIsBinary?: boolean }>
  ).map(({ responseIsBinary: _binary, ...interaction }) => interaction)
  nock.recorder.clear()
  const interactions = scrubRecording(connector, config, recorded, { tokens, piiKeys: options.piiKeys })
  const existing = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Fixture) : undefined
  const fixture: Fixture = {
    meta: {
      source: 'recorded',
      recordedAt: new Date().toISOString(),
      vendorApiVersion: options.vendorApiVersion,
      connectorVersion: options.connectorVersion,
      scrubbed: true,
      scrubberVersion: SCRUBBER_VERSION,
      description: options.description ?? existing?.meta.description ?? `${options.scenario}, recorded live`,
    },
    config: scrubConfig(connector, config),
    interactions,
    expected: existing?.expected ?? {},
  }
  const findings = leakCheckFixture(path, fixture, {
    secrets: [...tokens, ...configSecrets(connector, config)],
    allowedEmailDomains: options.allowedEmailDomains,
    connector,
  })
  if (findings.length > 0) {
    throw new Error(`The recording was not written: the leak check found\n${formatFindings(findings)}`)
  }
  if (!existing || updateExpectedRequested()) {
    fixture.expected = expectationFrom(await replayFixture(connector, fixture, { now: options.now }))
  }
  writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`)
  if (liveError && !fixture.expected.error) throw liveError
  return path
}

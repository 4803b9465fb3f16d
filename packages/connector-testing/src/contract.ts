import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ConnectionCheck } from '@hrsync/connector-kit'
import { type ConnectorDefinition, type Employee, type EmployeeStatus, todayIn } from '@hrsync/core'
import type { TObject } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import { CapturedRequests, captureRequestsRequested, missingRequestParts, writeFixture } from './capture.js'
import { type Fixture, loadFixture } from './fixture.js'
import { formatFindings, leakCheck } from './leak.js'
import { expectationFrom, recordFixture, shouldRecord, updateExpectedRequested } from './record.js'
import { checkFixture, type ReplayOutcome, replayFixture } from './replay.js'
import type { PiiKeys } from './scrub.js'

/** The scenarios every connector ships (ANCHORS §7.4). */
export const REQUIRED_SCENARIOS = [
  'happy-multipage',
  'auth-failure',
  'rate-limited',
  'server-error-mid-pagination',
  'statuses',
  'managers',
  'empty-tenant',
] as const

export interface ContractSuiteOptions {
  fixturesDir: string
  /** the moment replays run at; fixtures' future and past dates are relative to it */
  now: Date
  /** the connector's total status table; its keys must equal capabilities.listEmployees.statuses */
  statusTable: Readonly<Record<string, EmployeeStatus>>
  /** email domains the vendor's documentation uses in its examples, allowed in fixtures */
  allowedEmailDomains?: string[]
  /** written into recorded fixtures' meta */
  vendorApiVersion?: string
  /** the connector's package.json version, written into recorded fixtures' meta */
  connectorVersion?: string
  /**
   * what the vendor can express, so the statuses and managers checks ask only for that (each defaults to
   * true, except `managers`, which follows capabilities: false when managerRef is 'none'); termination dates
   * follow `capabilities.listEmployees.terminationDates`
   */
  vendorHas?: VendorHas
  /** the vendor's own names of personal fields, for the scrubber when recording */
  piiKeys?: PiiKeys
  /**
   * config values used instead of the fixture's during replay, for a secret the connector really uses
   * (a private key that signs a JWT cannot be a placeholder's dummy value)
   */
  replayConfig?: Record<string, unknown>
}

export interface VendorHas {
  /** start dates, so a pending person starting in the future can be shown */
  startDates?: boolean
  /** a manager reference, so a three-level chain can be shown */
  managers?: boolean
  /** people who have not started yet */
  pending?: boolean
  /**
   * more than one request per pull; a vendor that answers everyone in one response (People HR) cannot
   * fail mid-pagination, so its server-error fixture needs no successful page before the failure
   */
  pages?: boolean
}

/** What the statuses scenario must show: the vendor's own abilities and the declared termination dates. */
export type VendorShows = Required<VendorHas> & { terminationDates: 'planned' | 'past' | 'none' }

/**
 * The statuses scenario's checks: every mapped status; a pending person starting later; with termination dates,
 * a terminated person whose date has passed and, where the vendor plans them, an active one leaving on a later
 * date (R20); without, no date at all.
 */
export function expectStatusesShown(
  employees: Employee[],
  options: { now: Date; statusTable: Readonly<Record<string, EmployeeStatus>>; has: VendorShows },
): void {
  const { has } = options
  const today = todayIn('UTC', options.now)
  for (const status of new Set(Object.values(options.statusTable))) {
    expect(
      employees.some((e) => e.status === status),
      `someone is ${status}`,
    ).toBe(true)
  }
  if (has.pending && has.startDates)
    expect(
      employees.some((e) => e.status === 'pending' && e.startDate !== null && e.startDate > today),
      'a pending person starting in the future',
    ).toBe(true)
  if (has.terminationDates !== 'none')
    expect(
      employees.some(
        (e) => e.status === 'terminated' && e.terminationDate !== null && e.terminationDate < today,
      ),
      'a terminated person whose termination date has passed',
    ).toBe(true)
  if (has.terminationDates === 'planned')
    expect(
      employees.some((e) => e.status === 'active' && e.terminationDate !== null && e.terminationDate > today),
      'an active person leaving on a future date, with that termination date (R20)',
    ).toBe(true)
  if (!has.startDates)
    expect(
      employees.filter((e) => e.startDate !== null).map((e) => e.remoteId),
      'start dates',
    ).toEqual([])
  if (has.terminationDates === 'none')
    expect(
      employees.filter((e) => e.terminationDate !== null).map((e) => e.remoteId),
      'termination dates (the capabilities declare none)',
    ).toEqual([])
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

function expectCanonical(employees: Employee[]): void {
  for (const person of employees) {
    expect(typeof person.remoteId, `remoteId of ${person.remoteId}`).toBe('string')
    if (person.managerRemoteId !== null) expect(typeof person.managerRemoteId).toBe('string')
    for (const date of [person.startDate, person.terminationDate]) {
      if (date !== null) expect(date, `a date of ${person.remoteId}`).toMatch(ISO_DATE)
    }
  }
}

function expectMatches(outcome: ReplayOutcome, fixture: Fixture): void {
  const { expected } = fixture
  if (expected.error) {
    expect(outcome.result, 'a failed pull must yield nothing').toBeUndefined()
    expect(outcome.error?.code, outcome.error?.message).toBe(expected.error.code)
    return
  }
  if (outcome.error) throw outcome.error
  const result = outcome.result!
  expectCanonical(result.employees)
  if (expected.employees) expect(result.employees).toEqual(expected.employees)
  expect(result.skipped).toEqual(expected.skipped ?? [])
}

/** An answer from the vendor's token endpoint rather than a page of people. */
function isTokenAnswer(response: unknown): boolean {
  return (
    response !== null &&
    typeof response === 'object' &&
    !Array.isArray(response) &&
    ['access_token', 'accessToken', 'id_token'].some((key) => key in response)
  )
}

/** The longest manager chain, following a manager given by id or, as the sync does (R15), by work email. */
function chainDepth(employees: Employee[]): number {
  const byEmail = new Map(employees.map((e) => [e.email?.trim().toLowerCase(), e.remoteId]))
  const managerId = (e: Employee) =>
    e.managerRemoteId ?? (e.managerEmail ? (byEmail.get(e.managerEmail.trim().toLowerCase()) ?? null) : null)
  const managerOf = new Map(employees.map((e) => [e.remoteId, managerId(e)]))
  let deepest = 0
  for (const person of employees) {
    const seen = new Set<string>()
    let depth = 1
    let current = managerId(person)
    while (current !== null && current !== undefined && managerOf.has(current) && !seen.has(current)) {
      seen.add(current)
      depth++
      current = managerOf.get(current) ?? null
    }
    deepest = Math.max(deepest, depth)
  }
  return deepest
}

/**
 * Registers the shared contract tests for a connector: every required scenario replayed against its
 * expected output, the scenario-specific checks, any extra fixture in the folder, and the leak check.
 */
export function runContractSuite<S extends TObject>(
  connector: ConnectorDefinition<S>,
  options: ContractSuiteOptions,
): void {
  const { fixturesDir, now } = options
  const has: VendorShows = {
    startDates: options.vendorHas?.startDates ?? true,
    terminationDates: connector.capabilities.listEmployees.terminationDates ?? 'planned',
    managers: options.vendorHas?.managers ?? connector.capabilities.listEmployees.managerRef !== 'none',
    pending: options.vendorHas?.pending ?? true,
    pages: options.vendorHas?.pages ?? true,
  }
  const file = (scenario: string) => join(fixturesDir, `${scenario}.json`)
  /** the fixture as replayed: its path, or the loaded fixture with `replayConfig` laid over its config */
  const replayed = (scenario: string): Fixture | string => {
    if (!options.replayConfig) return file(scenario)
    const fixture = loadFixture(file(scenario))
    return {
      ...fixture,
      meta: { ...fixture.meta, description: file(scenario) },
      config: { ...fixture.config, ...options.replayConfig },
    }
  }
  const capturing = captureRequestsRequested()

  /** Checks the connection over a scenario; in capture mode, writes what its requests carried. */
  async function check(scenario: string): Promise<ConnectionCheck> {
    const captured = new CapturedRequests()
    try {
      return await checkFixture(connector, replayed(scenario), {
        now,
        ...(capturing ? { captureRequest: captured.add } : {}),
      })
    } finally {
      if (capturing) writeFixture(file(scenario), captured.applyTo(loadFixture(file(scenario))))
    }
  }

  /**
   * Replays and compares; with HRSYNC_UPDATE_EXPECTED=1 the expectation is rewritten instead, with
   * HRSYNC_CAPTURE_REQUESTS=1 the request parts are.
   */
  async function verify(scenario: string): Promise<ReplayOutcome> {
    let fixture = loadFixture(file(scenario))
    const captured = new CapturedRequests()
    const outcome = await replayFixture(connector, replayed(scenario), {
      now,
      ...(capturing ? { captureRequest: captured.add } : {}),
    })
    if (capturing) fixture = captured.applyTo(fixture)
    if (updateExpectedRequested()) {
      fixture.expected = {
        ...expectationFrom(outcome),
        ...(fixture.expected.check ? { check: fixture.expected.check } : {}),
      }
    }
    if (capturing || updateExpectedRequested()) writeFixture(file(scenario), fixture)
    if (!updateExpectedRequested()) expectMatches(outcome, fixture)
    return outcome
  }

  describe(`${connector.name} connector contract`, () => {
    for (const scenario of REQUIRED_SCENARIOS) {
      if (shouldRecord(connector.id, scenario)) {
        it(`records ${scenario} from the live API`, { timeout: 300_000 }, async () => {
          await recordFixture(connector, {
            fixturesDir,
            scenario,
            now,
            vendorApiVersion: options.vendorApiVersion ?? 'unknown',
            connectorVersion: options.connectorVersion ?? '0.0.0',
            allowedEmailDomains: options.allowedEmailDomains,
            piiKeys: options.piiKeys,
          })
        })
      }
    }

    it('declares exactly the vendor statuses its status table maps', () => {
      expect([...connector.capabilities.listEmployees.statuses].sort()).toEqual(
        Object.keys(options.statusTable).sort(),
      )
    })

    it.each(REQUIRED_SCENARIOS)('ships the %s scenario', (scenario) => {
      expect(existsSync(file(scenario)), `${file(scenario)} is missing`).toBe(true)
      expect(loadFixture(file(scenario)).meta.scrubbed).toBe(true)
    })

    it('happy-multipage: reads every page to the end', async () => {
      const outcome = await verify('happy-multipage')
      expect(outcome.result?.pages).toBeGreaterThanOrEqual(2)
      expect(outcome.result?.employees.length).toBeGreaterThan(0)
    })

    it('auth-failure: invalid_credentials from checkConnection and from the pull', async () => {
      const outcome = await verify('auth-failure')
      expect(outcome.error?.code).toBe('invalid_credentials')
      const answer = await check('auth-failure')
      expect(answer).toMatchObject({ ok: false, code: 'invalid_credentials' })
      if (!answer.ok) expect(answer.message.length).toBeGreaterThan(20)
    })

    it('rate-limited: waits after a 429 and then succeeds', async () => {
      const fixture = loadFixture(file('rate-limited'))
      const limited = fixture.interactions.find((i) => i.status === 429)
      expect(limited, 'the fixture has a 429 answer').toBeDefined()
      const outcome = await verify('rate-limited')
      expect(outcome.result).toBeDefined()
      expect(outcome.delays.length).toBeGreaterThan(0)
      const headers = Array.isArray(limited?.rawHeaders)
        ? limited.rawHeaders
        : Object.entries(limited?.rawHeaders ?? {}).flat()
      const retryAfter = headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'retry-after')
      const seconds = Number(headers[retryAfter + 1])
      // the kit's own limiter may wait before the 429 too, so any recorded wait may be the Retry-After one
      if (retryAfter >= 0 && Number.isFinite(seconds))
        expect(
          Math.max(...outcome.delays),
          `a wait of at least the fixture's Retry-After (${seconds}s) among ${outcome.delays.join(', ')} ms`,
        ).toBeGreaterThanOrEqual(seconds * 1000)
    })

    it('server-error-mid-pagination: the whole pull fails and yields nothing', async () => {
      const fixture = loadFixture(file('server-error-mid-pagination'))
      const firstFailure = fixture.interactions.findIndex((i) => i.status >= 500)
      // a page read with GET or POST (SOAP and search APIs page with POST); token answers do not count
      const pageBefore = fixture.interactions.findIndex(
        (i) => i.status >= 200 && i.status < 300 && !isTokenAnswer(i.response),
      )
      expect(firstFailure, 'the fixture has a 5xx answer').toBeGreaterThanOrEqual(has.pages ? 1 : 0)
      if (has.pages) {
        expect(pageBefore, 'a page was read before the failure').toBeGreaterThanOrEqual(0)
        expect(pageBefore, 'a page was read before the failure').toBeLessThan(firstFailure)
      }
      const outcome = await verify('server-error-mid-pagination')
      expect(outcome.result).toBeUndefined()
      expect(outcome.error?.code).toBe('vendor_error')
    })

    it('statuses: every documented status, a future start, a past termination and a leaver still employed', async () => {
      const outcome = await verify('statuses')
      expectStatusesShown(outcome.result?.employees ?? [], { now, statusTable: options.statusTable, has })
    })

    if (has.managers) {
      it('managers: a three-level chain resolves', async () => {
        const outcome = await verify('managers')
        expect(chainDepth(outcome.result?.employees ?? [])).toBeGreaterThanOrEqual(3)
      })
    } else {
      it('managers: the vendor has no manager reference, so nobody gets one', async () => {
        const outcome = await verify('managers')
        expect(outcome.result?.employees.length).toBeGreaterThan(0)
        expect(outcome.result?.employees.filter((e) => e.managerRemoteId !== null)).toEqual([])
      })
    }

    it('empty-tenant: an empty list, not an error', async () => {
      const outcome = await verify('empty-tenant')
      expect(outcome.result?.employees).toEqual([])
    })

    const extra = existsSync(fixturesDir)
      ? readdirSync(fixturesDir)
          .filter((name) => name.endsWith('.json'))
          .map((name) => name.slice(0, -'.json'.length))
          .filter((name) => !(REQUIRED_SCENARIOS as readonly string[]).includes(name))
      : []
    for (const scenario of extra) {
      it(`${scenario}: matches its expected output`, async () => {
        const fixture = loadFixture(file(scenario))
        if (fixture.expected.check) {
          expect(await check(scenario)).toMatchObject(fixture.expected.check)
        }
        // a fixture that only states a check answer is a checkConnection scenario
        const checkOnly = fixture.expected.check && !fixture.expected.employees && !fixture.expected.error
        if (!checkOnly) await verify(scenario)
      })
    }

    it('no fixture leaks a secret, a token or a real email address', () => {
      const files = existsSync(fixturesDir)
        ? readdirSync(fixturesDir)
            .filter((name) => name.endsWith('.json'))
            .map((name) => join(fixturesDir, name))
        : []
      const findings = leakCheck(files, {
        allowedEmailDomains: options.allowedEmailDomains,
        connector,
      })
      expect(formatFindings(findings)).toBe('')
      for (const path of files) JSON.parse(readFileSync(path, 'utf8'))
    })

    const fixtureNames = existsSync(fixturesDir)
      ? readdirSync(fixturesDir).filter((name) => name.endsWith('.json'))
      : []
    if (capturing) {
      // checkInteractions the scenarios above do not replay (a connector's own tests check them)
      it('captures what the connection checks send', async () => {
        for (const name of fixtureNames) {
          const scenario = name.slice(0, -'.json'.length)
          if (missingRequestParts(loadFixture(file(scenario))).some((where) => where.startsWith('check')))
            await check(scenario)
        }
      })
    }

    it('every interaction states the credentials its request carries', () => {
      const files = fixtureNames
      const missing = files.flatMap((name) =>
        missingRequestParts(loadFixture(join(fixturesDir, name))).map((where) => `${name}: ${where}`),
      )
      expect(
        missing,
        'interactions without a request part: record them again, or replay once with HRSYNC_CAPTURE_REQUESTS=1 and review the diff',
      ).toEqual([])
    })
  })
}

import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fillPlaceholders, leakCheckFixture, replayFixture } from '../src/index.js'
import { fixture, happyMultipage, keyHr, now, page, type Variant } from './credentials/key-hr.js'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')

interface SuiteReport {
  testResults: Array<{
    assertionResults: Array<{ title: string; status: string; failureMessages: string[] }>
  }>
}

/** Runs the contract suite over Key HR's fixtures with one of its connectors, in a vitest of its own. */
async function contractSuiteWith(
  variant: Variant,
): Promise<SuiteReport['testResults'][0]['assertionResults']> {
  const report = join(mkdtempSync(join(tmpdir(), 'hrsync-key-hr-report-')), 'report.json')
  const { HRSYNC_CAPTURE_REQUESTS: _capture, HRSYNC_UPDATE_EXPECTED: _update, ...env } = process.env
  await promisify(execFile)(
    process.execPath,
    [
      vitestCli,
      'run',
      'test/credentials/contract-suite.test.ts',
      '--reporter=json',
      `--outputFile=${report}`,
    ],
    { cwd: packageDir, env: { ...env, HRSYNC_KEY_HR_VARIANT: variant } },
  ).catch(() => undefined) // a failing suite exits non-zero; the report says which tests failed
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as SuiteReport
  return parsed.testResults.flatMap((file) => file.assertionResults)
}

const REPLAYED_SCENARIOS = [
  'happy-multipage: reads every page to the end',
  'auth-failure: invalid_credentials from checkConnection and from the pull',
  'rate-limited: waits after a 429 and then succeeds',
  'server-error-mid-pagination: the whole pull fails and yields nothing',
  'statuses: every documented status, a future start, a past termination and a leaver still employed',
  'managers: the vendor has no manager reference, so nobody gets one',
  'empty-tenant: an empty list, not an error',
]

describe('the contract suite checks the credentials each request carries', () => {
  it('fails a connector that sends no credentials, naming the authorization header', async () => {
    const results = await contractSuiteWith('none')
    const failed = results.filter((r) => r.status === 'failed')
    expect(failed.map((r) => r.title).sort()).toEqual([...REPLAYED_SCENARIOS].sort())
    for (const result of failed) {
      expect(result.failureMessages.join('\n')).toContain(
        'authorization: expected "Bearer {{secret:apiKey}}", sent none',
      )
    }
  }, 60_000)

  it('fails a connector that sends the wrong token, showing which secret it sent', async () => {
    const results = await contractSuiteWith('wrong')
    const failed = results.filter((r) => r.status === 'failed')
    expect(failed.map((r) => r.title).sort()).toEqual([...REPLAYED_SCENARIOS].sort())
    expect(failed[0]?.failureMessages.join('\n')).toContain(
      'authorization: expected "Bearer {{secret:apiKey}}", sent "Bearer {{secret:archiveKey}}"',
    )
  }, 60_000)

  it('passes the connector that sends the recorded credentials', async () => {
    const results = await contractSuiteWith('right')
    expect(results.filter((r) => r.status !== 'passed')).toEqual([])
    expect(results.length).toBeGreaterThan(REPLAYED_SCENARIOS.length)
  }, 60_000)
})

describe('a request that differs from the recorded one', () => {
  const right = keyHr('right')

  it('names the interaction it was nearest to and how its query differs', async () => {
    const skipped = structuredClone(happyMultipage)
    skipped.interactions[1]!.path = '/v1/people?page=3&per_page=2'
    const error = await replayFixture(right, skipped, { now }).catch((e: Error) => e)
    expect(String(error)).toMatch(
      /Requests no interaction matched:\n {2}GET https:\/\/api\.key-hr\.example\.com\/v1\/people\?page=2&per_page=2\n {4}nearest unused: interactions\[1\] GET .*page=3.*\n {4}query page: expected "3", sent "2"/,
    )
  })

  it('shows a method and a body that differ', async () => {
    const posted = structuredClone(happyMultipage)
    posted.interactions[1] = { ...posted.interactions[1]!, method: 'POST', body: { page: 2 } }
    const error = String(await replayFixture(right, posted, { now }).catch((e: Error) => e))
    expect(error).toContain('method: expected POST, sent GET')
    expect(error).toContain('body: expected {"page":2}, sent none')
  })

  it('fails a credential header the recording does not have', async () => {
    const anonymous = fixture('a public endpoint', [{ ...page(1, [], false), request: { headers: {} } }], {
      employees: [],
    })
    await expect(replayFixture(right, anonymous, { now })).rejects.toThrow(
      /interactions\[0\] GET .*\n {4}authorization: expected none, sent "Bearer \{\{secret:apiKey\}\}"/,
    )
  })

  it('leaves the credentials of an interaction without a request part unchecked', async () => {
    const unstated = structuredClone(happyMultipage)
    for (const interaction of unstated.interactions) delete interaction.request
    const outcome = await replayFixture(keyHr('none'), unstated, { now })
    expect(outcome.result?.employees).toHaveLength(3)
  })
})

describe('{{base64:…}} in a request part', () => {
  const basic = fixture(
    'Basic credentials',
    [
      {
        ...page(1, [], false),
        request: { headers: { authorization: 'Basic {{base64:{{secret:apiKey}}:x}}' } },
      },
    ],
    { employees: [] },
  )

  it('is filled with the Base64 of its text, placeholders filled first', () => {
    const filled = fillPlaceholders(basic)
    const encoded = Buffer.from('test-apikey-value:x').toString('base64')
    expect(filled.interactions[0]?.request?.headers.authorization).toBe(`Basic ${encoded}`)
  })

  it('passes the leak check, unless the text it encodes holds a literal credential', () => {
    expect(leakCheckFixture('basic.json', basic)).toEqual([])
    const literal = structuredClone(basic)
    literal.interactions[0]!.request = {
      headers: { authorization: 'Basic {{base64:real-user-name:hunter2}}' },
    }
    expect(leakCheckFixture('basic.json', literal).map((f) => f.reason)).toEqual([
      'an Authorization value after "Basic" that is not a placeholder',
    ])
  })
})

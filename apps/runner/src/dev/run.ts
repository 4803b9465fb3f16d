import { existsSync, mkdirSync, readdirSync, readFileSync, watch } from 'node:fs'
import { join } from 'node:path'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import { type Draft, findDraft, importDraft, withExtraHosts } from './draft.js'
import { dataWarnings, peopleTable } from './report.js'

export interface DevOptions {
  /** a package folder (its src/index.ts) or an entry .ts file */
  target: string
  config: unknown
  /** hosts the draft may call besides its allowedHosts: a sandbox, 127.0.0.1 */
  allowHosts: string[]
  json: boolean
  /** a scenario name: the run is recorded, scrubbed and written to test/fixtures/<scenario>.json */
  record?: string
  importDir?: string
  out: NodeJS.WritableStream
  err: NodeJS.WritableStream
}

/** The vendor API version of the fixtures already there, so a new recording says the same. */
function vendorApiVersionOf(fixturesDir: string, scenario: string): string {
  if (!existsSync(fixturesDir)) return 'unknown'
  const files = [`${scenario}.json`, ...readdirSync(fixturesDir).filter((f) => f.endsWith('.json'))]
  for (const file of files) {
    const path = join(fixturesDir, file)
    if (!existsSync(path)) continue
    const version = (JSON.parse(readFileSync(path, 'utf8')) as { meta?: { vendorApiVersion?: string } }).meta
      ?.vendorApiVersion
    if (version) return version
  }
  return 'unknown'
}

/**
 * One `hrsync dev` run: import the draft, check the connection, pull everyone with progress on stderr,
 * then the people, the skipped and the warnings. Answers whether it worked (the exit code).
 */
export async function devRun(
  options: DevOptions,
  draft: Draft = findDraft(options.target),
): Promise<boolean> {
  const { out, err } = options
  const connector = withExtraHosts(await importDraft(draft), options.allowHosts)
  err.write(`${connector.name} (${connector.id}) from ${draft.entry}\n`)
  const context = { importDir: options.importDir }
  const check = await checkConnection(connector, options.config, context)
  if (!check.ok) {
    if (options.json) out.write(`${JSON.stringify({ connector: connector.id, check }, null, 2)}\n`)
    err.write(`connection check failed: ${check.code}: ${check.message}\n`)
    return false
  }
  err.write('connection check: ok\n')
  const result = await pullEmployees(connector, options.config, {
    ...context,
    onPage: ({ page, count, total }) => err.write(`page ${page}: ${people(count)} (${total} so far)\n`),
  }).catch((error: Error & { code?: string }) => {
    err.write(`pull failed: ${error.code ?? 'pull_failed'}: ${error.message}\n`)
    return null
  })
  if (!result) return false
  const warnings = dataWarnings(connector.name, result)
  if (options.json) {
    out.write(`${JSON.stringify({ connector: connector.id, check, ...result, warnings }, null, 2)}\n`)
  } else {
    out.write(`${peopleTable(result.employees)}\n\n`)
    out.write(
      `${people(result.employees.length)} in ${result.pages} pages, ${result.skipped.length} skipped, ${warnings.length} warnings\n`,
    )
    for (const person of result.skipped) {
      out.write(`skipped ${person.remoteId || '(no id)'}: ${person.reason}: ${person.message}\n`)
    }
    for (const warning of warnings) out.write(`warning ${warning.code}: ${warning.message}\n`)
  }
  if (options.record) {
    // the recorder wraps a pull of its own: the same requests again, captured, scrubbed and leak-checked
    const fixturesDir = join(draft.packageDir, 'test', 'fixtures')
    mkdirSync(fixturesDir, { recursive: true })
    // the testing helpers (and nock with them) are loaded only when a run is recorded
    const { recordFixture } = await import('@hrsync/connector-testing/recording')
    const path = await recordFixture(connector, {
      fixturesDir,
      scenario: options.record,
      now: new Date(),
      vendorApiVersion: vendorApiVersionOf(fixturesDir, options.record),
      connectorVersion: draft.packageJson?.version ?? '0.0.0',
      config: options.config as Record<string, unknown>,
    })
    err.write(`recorded ${path}\n`)
  }
  return true
}

/** Runs again whenever a file of the package changes (node_modules and the fixtures excepted). */
export function devWatch(options: DevOptions): { close(): void } {
  const draft = findDraft(options.target)
  let timer: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  const again = () => {
    running = running.then(async () => {
      options.err.write('\n--- change seen: running again ---\n')
      await devRun(options, draft).catch((error: Error) => options.err.write(`${error.message}\n`))
    })
  }
  const watcher = watch(draft.packageDir, { recursive: true }, (_event, file) => {
    if (!file || /(^|\/)(node_modules|dist|fixtures)(\/|$)/.test(file)) return
    clearTimeout(timer)
    // editors save in several writes: one run per burst
    timer = setTimeout(again, 200)
  })
  return {
    close: () => {
      clearTimeout(timer)
      watcher.close()
    },
  }
}

function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`
}

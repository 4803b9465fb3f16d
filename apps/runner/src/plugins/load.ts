import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Connector, isConnector, SUPPORTED_API_VERSIONS, validateDefinition } from '@hrsync/core'
import semver from 'semver'
import { nodeModulesChain, type PluginCandidate } from './discover.js'

/** A connector ready to use, with where it came from. */
export interface LoadedConnector {
  connector: Connector
  packageName: string
  version: string
  source: PluginCandidate['source'] | 'builtin'
}

/** A plugin that was found but not loaded, and why: shown on /health. */
export interface PluginFailure {
  package: string
  version: string | null
  code:
    | 'unsupported_connector_api'
    | 'invalid_manifest'
    | 'import_failed'
    | 'invalid_connector'
    | 'duplicate_id'
  reason: string
}

export class PluginLoadError extends Error {
  constructor(
    readonly code: PluginFailure['code'],
    message: string,
  ) {
    super(message)
  }
}

/** The version of the @hrsync/core that `from` (the runner's folder) resolves to. */
export function installedCoreVersion(from: string): string {
  for (const nodeModules of nodeModulesChain(from)) {
    const file = join(nodeModules, '@hrsync', 'core', 'package.json')
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  }
  throw new Error(`@hrsync/core is not installed where ${from} can see it`)
}

/** Whether `coreVersion` satisfies a peer range; workspace protocol ranges are read as their range. */
export function corePeerSatisfied(range: string, coreVersion: string): boolean {
  const bare = range.startsWith('workspace:') ? range.slice('workspace:'.length) : range
  if (bare === '*' || bare === '^' || bare === '~' || bare === '') return true
  return semver.satisfies(coreVersion, bare, { includePrerelease: true })
}

/** Checks what can be checked before running any of the plugin's code. */
export function checkCompatibility(candidate: PluginCandidate, coreVersion: string): void {
  const { manifest } = candidate
  if (typeof manifest.id !== 'string' || manifest.id === '') {
    throw new PluginLoadError('invalid_manifest', 'the "hrsync" manifest has no "id"')
  }
  if (typeof manifest.apiVersion !== 'number' || !SUPPORTED_API_VERSIONS.includes(manifest.apiVersion)) {
    throw new PluginLoadError(
      'unsupported_connector_api',
      `built for connector API version ${String(manifest.apiVersion)}, but this runner supports ${SUPPORTED_API_VERSIONS.join(', ')}: ` +
        `install a version of ${candidate.packageName} built for API ${SUPPORTED_API_VERSIONS.at(-1)}, or upgrade the runner`,
    )
  }
  if (candidate.corePeerRange !== null && !corePeerSatisfied(candidate.corePeerRange, coreVersion)) {
    throw new PluginLoadError(
      'unsupported_connector_api',
      `needs @hrsync/core ${candidate.corePeerRange}, but the runner has ${coreVersion}: ` +
        `install a version of ${candidate.packageName} whose peer range includes ${coreVersion}, or upgrade the runner`,
    )
  }
}

type ExportsField = string | { [condition: string]: ExportsField } | null | undefined

function pickImport(target: ExportsField): string | null {
  if (typeof target === 'string') return target
  if (!target || typeof target !== 'object') return null
  for (const condition of ['node', 'import', 'default']) {
    const found = pickImport(target[condition])
    if (found) return found
  }
  return null
}

/** The module file `import(packageName)` would load, read from the package's exports or main. */
export function entryPoint(candidate: PluginCandidate): string {
  const pkg = candidate.packageJson as {
    exports?: ExportsField | Record<string, ExportsField>
    main?: string
  }
  let relative: string | null = null
  if (pkg.exports !== undefined) {
    const root =
      typeof pkg.exports === 'object' && pkg.exports !== null && '.' in pkg.exports
        ? (pkg.exports as Record<string, ExportsField>)['.']
        : (pkg.exports as ExportsField)
    relative = pickImport(root)
  }
  relative ??= pkg.main ?? 'index.js'
  return join(candidate.dir, relative)
}

/** Imports a compatible candidate and checks its default export is the connector its manifest names. */
export async function loadCandidate(
  candidate: PluginCandidate,
  coreVersion: string,
): Promise<LoadedConnector> {
  checkCompatibility(candidate, coreVersion)
  const entry = entryPoint(candidate)
  if (!existsSync(entry)) {
    throw new PluginLoadError('import_failed', `is not built: its entry point ${entry} is missing`)
  }
  let mod: { default?: unknown }
  try {
    mod = (await import(pathToFileURL(entry).href)) as { default?: unknown }
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]
    throw new PluginLoadError('import_failed', `could not be imported: ${message}`)
  }
  const value = mod.default
  if (!isConnector(value)) {
    throw new PluginLoadError(
      'invalid_connector',
      'its default export is not a connector: export default defineConnector({...}) from @hrsync/core',
    )
  }
  const problems = validateDefinition(value)
  if (problems.length > 0) throw new PluginLoadError('invalid_connector', problems.join('; '))
  if (value.id !== candidate.manifest.id) {
    throw new PluginLoadError(
      'invalid_manifest',
      `the manifest says id "${candidate.manifest.id}" but the connector's id is "${value.id}"`,
    )
  }
  return {
    connector: value,
    packageName: candidate.packageName,
    version: candidate.version,
    source: candidate.source,
  }
}

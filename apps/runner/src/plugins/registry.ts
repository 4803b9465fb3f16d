import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Connector } from '@hrsync/core'
import { discoverPlugins, findWorkspaceRoot, nodeModulesChain } from './discover.js'
import { readyInstalls } from './install.js'
import {
  installedCoreVersion,
  type LoadedConnector,
  loadCandidate,
  type PluginFailure,
  PluginLoadError,
} from './load.js'

/** A connector whatever its config schema (a typed config is not assignable to the generic one). */
// biome-ignore lint/suspicious/noExplicitAny: the config schema type parameter varies per connector
export type AnyConnector = Connector<any>

/** The connectors this runner can use, and the plugins it could not load. */
export interface ConnectorRegistry {
  get(id: string): LoadedConnector | undefined
  list(): LoadedConnector[]
  /** a plugin installed while the runner runs: usable at once (an id already taken is replaced) */
  add(loaded: LoadedConnector): void
  /** a plugin removed while the runner runs */
  remove(id: string): void
  failures: PluginFailure[]
  coreVersion: string
}

export interface LoadPluginsOptions {
  /** package names or folders to load besides what is installed (HRSYNC_PLUGINS, the config file) */
  configured?: string[]
  /** connectors given directly (tests, embedding); they take precedence over discovered ones */
  builtin?: AnyConnector[]
  /** scan installed packages and the workspace (default true) */
  discover?: boolean
  /** where to scan from: the runner's own folder by default */
  from?: string
  /** the data folder's plugin area: each ready install in it is loaded (see install.ts) */
  pluginArea?: string
  /** override the installed @hrsync/core version (tests) */
  coreVersion?: string
  onFailure?: (failure: PluginFailure) => void
}

/** The runner package folder: node_modules are scanned from here. */
export const RUNNER_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))))

/** Discovers and loads every connector plugin; a failing plugin is recorded, never thrown. */
export async function loadPlugins(options: LoadPluginsOptions = {}): Promise<ConnectorRegistry> {
  const from = options.from ?? RUNNER_DIR
  const coreVersion = options.coreVersion ?? installedCoreVersion(RUNNER_DIR)
  const loaded = new Map<string, LoadedConnector>()
  const failures: PluginFailure[] = []
  const fail = (failure: PluginFailure) => {
    failures.push(failure)
    options.onFailure?.(failure)
  }
  for (const connector of options.builtin ?? []) {
    loaded.set(connector.id, {
      connector,
      packageName: `builtin:${connector.id}`,
      version: '0.0.0',
      source: 'builtin',
    })
  }
  const discover = options.discover ?? true
  const { candidates, problems } = discoverPlugins({
    nodeModulesDirs: discover ? nodeModulesChain(from) : [],
    workspaceRoot: discover ? findWorkspaceRoot(from) : null,
    configured: options.configured ?? [],
    resolveFrom: [process.cwd(), from],
    installed: options.pluginArea ? readyInstalls(options.pluginArea) : [],
  })
  for (const problem of problems) {
    fail({ package: problem.package, version: null, code: 'invalid_manifest', reason: problem.reason })
  }
  for (const candidate of candidates) {
    const existing = loaded.get(candidate.manifest.id)
    if (existing) {
      if (existing.packageName === candidate.packageName && existing.version === candidate.version) continue
      fail({
        package: candidate.packageName,
        version: candidate.version,
        code: 'duplicate_id',
        reason: `connector id "${candidate.manifest.id}" is already provided by ${existing.packageName}@${existing.version}`,
      })
      continue
    }
    try {
      loaded.set(candidate.manifest.id, await loadCandidate(candidate, coreVersion))
    } catch (error) {
      fail({
        package: candidate.packageName,
        version: candidate.version,
        code: error instanceof PluginLoadError ? error.code : 'import_failed',
        reason: (error as Error).message,
      })
    }
  }
  return {
    get: (id) => loaded.get(id),
    list: () => [...loaded.values()].sort((a, b) => a.connector.id.localeCompare(b.connector.id)),
    add: (plugin) => {
      loaded.set(plugin.connector.id, plugin)
    },
    remove: (id) => {
      loaded.delete(id)
    },
    failures,
    coreVersion,
  }
}

import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'

/** The `hrsync` field of a connector package's package.json. */
export interface PluginManifest {
  kind: 'connector'
  id: string
  apiVersion: number
}

/** A package found to carry the connector manifest; nothing of it has run yet. */
export interface PluginCandidate {
  packageName: string
  version: string
  /** the package folder, symlinks resolved */
  dir: string
  manifest: PluginManifest
  /** the package's peer range for @hrsync/core, when it declares one */
  corePeerRange: string | null
  packageJson: Record<string, unknown>
  /** where it was found: a node_modules scan, the workspace, the plugin list, or `hrsync plugins add` */
  source: 'node_modules' | 'workspace' | 'configured' | 'installed'
}

/** A configured plugin that could not even be read. */
export interface DiscoveryProblem {
  package: string
  reason: string
}

export interface DiscoverOptions {
  /** node_modules folders to scan (each with its @scope folders) */
  nodeModulesDirs: string[]
  /** a pnpm workspace root whose connectors/* are scanned too */
  workspaceRoot?: string | null
  /** package names or folders named by HRSYNC_PLUGINS or the config file */
  configured?: string[]
  /** folders package names in `configured` are resolved from */
  resolveFrom?: string[]
  /** package folders installed in the data folder's plugin area, ready */
  installed?: string[]
}

function readPackageJson(dir: string): Record<string, unknown> | null {
  const file = join(dir, 'package.json')
  if (!existsSync(file)) return null
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}

function isConnectorManifest(value: unknown): value is { kind: 'connector' } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'connector'
}

export function candidateFrom(dir: string, source: PluginCandidate['source']): PluginCandidate | null {
  const pkg = readPackageJson(dir)
  if (!pkg || !isConnectorManifest(pkg.hrsync)) return null
  const peers = (pkg.peerDependencies ?? {}) as Record<string, string>
  return {
    packageName: String(pkg.name ?? dir),
    version: String(pkg.version ?? '0.0.0'),
    dir,
    manifest: pkg.hrsync as PluginManifest,
    corePeerRange: peers['@hrsync/core'] ?? null,
    packageJson: pkg,
    source,
  }
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .map((name) => join(dir, name))
    .filter((path) => {
      try {
        return statSync(path).isDirectory()
      } catch {
        // gone since it was listed, or a broken link: no plugin folder to look at
        return false
      }
    })
}

/** Every package folder of a node_modules folder, scoped ones included, symlinks resolved. */
function packagesIn(nodeModules: string): string[] {
  const dirs: string[] = []
  for (const entry of subdirs(nodeModules)) {
    const base = entry.slice(nodeModules.length + 1)
    if (base.startsWith('@')) dirs.push(...subdirs(entry))
    else dirs.push(entry)
  }
  return dirs.map((dir) => realpathSync(dir))
}

/** The node_modules folders Node would search from `dir`: its own and every parent's. */
export function nodeModulesChain(dir: string): string[] {
  const chain: string[] = []
  let current = resolve(dir)
  for (;;) {
    const candidate = join(current, 'node_modules')
    if (existsSync(candidate)) chain.push(candidate)
    const parent = dirname(current)
    if (parent === current) return chain
    current = parent
  }
}

/** The pnpm workspace `dir` belongs to, if any. */
export function findWorkspaceRoot(dir: string): string | null {
  let current = resolve(dir)
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current
    const parent = dirname(current)
    if (parent === current) return null
    current = parent
  }
}

function resolveConfigured(spec: string, from: string[]): string | null {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const dir = resolve(spec)
    return existsSync(join(dir, 'package.json')) ? realpathSync(dir) : null
  }
  for (const base of from) {
    for (const nodeModules of nodeModulesChain(base)) {
      const dir = join(nodeModules, spec)
      if (existsSync(join(dir, 'package.json'))) return realpathSync(dir)
    }
  }
  return null
}

/**
 * Finds connector packages by reading package.json files only: no plugin code runs here. Each
 * package folder is reported once, in order: configured, workspace, then node_modules.
 */
export function discoverPlugins(options: DiscoverOptions): {
  candidates: PluginCandidate[]
  problems: DiscoveryProblem[]
} {
  const candidates: PluginCandidate[] = []
  const problems: DiscoveryProblem[] = []
  const seen = new Set<string>()
  const add = (dir: string, source: PluginCandidate['source']) => {
    if (seen.has(dir)) return
    seen.add(dir)
    try {
      const candidate = candidateFrom(dir, source)
      if (candidate) candidates.push(candidate)
      else if (source === 'configured') {
        problems.push({
          package: dir,
          reason: 'its package.json has no "hrsync": { "kind": "connector" } manifest',
        })
      }
    } catch (error) {
      problems.push({ package: dir, reason: `unreadable package.json: ${(error as Error).message}` })
    }
  }
  for (const spec of options.configured ?? []) {
    const dir = resolveConfigured(spec, options.resolveFrom ?? [process.cwd()])
    if (dir) add(dir, 'configured')
    else
      problems.push({ package: spec, reason: 'not installed: no package of that name or folder was found' })
  }
  for (const dir of options.installed ?? []) add(dir, 'installed')
  if (options.workspaceRoot) {
    for (const dir of subdirs(join(options.workspaceRoot, 'connectors'))) add(realpathSync(dir), 'workspace')
  }
  for (const nodeModules of options.nodeModulesDirs) {
    for (const dir of packagesIn(nodeModules)) add(dir, 'node_modules')
  }
  return { candidates, problems }
}

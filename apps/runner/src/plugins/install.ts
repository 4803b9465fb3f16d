import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { candidateFrom, nodeModulesChain } from './discover.js'
import { type LoadedConnector, loadCandidate, PluginLoadError } from './load.js'

// The data folder's plugin area: one folder per package and version, `<area>/<name>@<version>`, holding
// the package under node_modules and a ready marker written last. A folder without the marker is an
// install that did not finish: it is listed, never loaded. The runner's own @hrsync/core, kit and
// typebox are linked into `<area>/node_modules`, where every installed plugin resolves its peers.

const READY = '.hrsync-ready.json'
/** what the runner supplies to every plugin: one copy, the runner's */
const SUPPLIED = ['@hrsync/core', '@hrsync/connector-kit', '@sinclair/typebox']

/** What the ready marker records. */
export interface InstalledPlugin {
  package: string
  version: string
  connectorId: string
  /** what `plugins add` was given: an npm spec, a tarball or a folder */
  spec: string
  installedAt: string
}

export interface PluginAreaEntry extends Partial<InstalledPlugin> {
  folder: string
  state: 'ready' | 'incomplete'
}

export class PluginInstallError extends Error {
  constructor(
    readonly code: 'install_failed' | 'invalid_plugin' | 'plugin_in_use' | 'plugin_not_found',
    message: string,
  ) {
    super(message)
  }
}

export const pluginAreaOf = (dataDir: string): string => join(resolve(dataDir), 'plugins')

const folderName = (name: string, version: string) => `${name.replace('/', '+')}@${version}`
const packageDirIn = (folder: string, name: string) => join(folder, 'node_modules', ...name.split('/'))

function readMarker(folder: string): InstalledPlugin | null {
  const file = join(folder, READY)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as InstalledPlugin) : null
}

/** Every folder of the area, ready or not. */
export function listPluginArea(area: string): PluginAreaEntry[] {
  if (!existsSync(area)) return []
  return readdirSync(area)
    .filter((name) => name.includes('@') && !name.startsWith('.') && name !== 'node_modules')
    .map((name) => {
      const folder = join(area, name)
      const marker = readMarker(folder)
      return marker
        ? { folder, state: 'ready' as const, ...marker }
        : { folder, state: 'incomplete' as const }
    })
}

/** The package folders of the ready installs: what the registry loads at start. */
export function readyInstalls(area: string): string[] {
  linkSupplied(area)
  return listPluginArea(area)
    .filter((entry) => entry.state === 'ready' && entry.package)
    .map((entry) => packageDirIn(entry.folder, entry.package as string))
}

/** Where the runner resolves a package it supplies to plugins. */
function suppliedDir(name: string, from: string): string | null {
  for (const nodeModules of nodeModulesChain(from)) {
    const dir = join(nodeModules, ...name.split('/'))
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  return null
}

/** the runner package folder (src/plugins or dist/plugins → the package) */
const RUNNER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Links the runner's core, kit and typebox into the area, replacing links to an older runner. */
function linkSupplied(area: string): void {
  if (!existsSync(area)) return
  for (const name of SUPPLIED) {
    // the kit's own typebox when the runner hoists none of its own (pnpm)
    const target =
      suppliedDir(name, RUNNER_DIR) ??
      suppliedDir(name, suppliedDir('@hrsync/connector-kit', RUNNER_DIR) ?? RUNNER_DIR)
    if (!target) continue
    const link = join(area, 'node_modules', ...name.split('/'))
    mkdirSync(dirname(link), { recursive: true })
    if (existsSync(link) || isLink(link)) unlinkSync(link)
    symlinkSync(target, link, 'dir')
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    // nothing at the path: no link
    return false
  }
}

async function npm(args: string[], cwd: string): Promise<string> {
  const npmCli = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  try {
    const { stdout } = await promisify(execFile)(npmCli, args, { cwd, encoding: 'utf8', maxBuffer: 16 << 20 })
    return stdout
  } catch (error) {
    const failed = error as { stderr?: string; message: string }
    const detail = (failed.stderr ?? failed.message).split('\n').filter((line) => /err/i.test(line))
    throw new PluginInstallError(
      'install_failed',
      `npm ${args[0]} failed: ${detail.slice(0, 4).join(' ') || failed.message}`,
    )
  }
}

const looksLikePath = (spec: string) =>
  spec.startsWith('.') || isAbsolute(spec) || spec.endsWith('.tgz') || spec.startsWith('file:')

/**
 * Installs a connector plugin from an npm spec, a tarball or a package folder, and loads it: the
 * manifest, the core range and the definition are checked before the marker makes it ready. Nothing
 * is left behind when any step fails.
 */
export async function installPlugin(
  area: string,
  spec: string,
  coreVersion: string,
): Promise<{ installed: InstalledPlugin; loaded: LoadedConnector }> {
  mkdirSync(area, { recursive: true })
  linkSupplied(area)
  const staging = join(area, `.staging-${randomBytes(6).toString('hex')}`)
  mkdirSync(staging)
  let folder: string | null = null
  try {
    let source = looksLikePath(spec) ? resolve(spec.replace(/^file:/, '')) : spec
    if (looksLikePath(spec) && !existsSync(source))
      throw new PluginInstallError('install_failed', `${spec} does not exist`)
    // a folder is packed first: installing it would only link it, and the plugin must not change under the runner
    if (looksLikePath(spec) && !source.endsWith('.tgz')) {
      const packed = (await npm(['pack', source, '--pack-destination', staging, '--silent'], staging))
        .trim()
        .split('\n')
        .at(-1)
      source = join(staging, packed ?? '')
    }
    writeFileSync(join(staging, 'package.json'), '{ "private": true }\n')
    // peers are the runner's (linked above): never a second copy of core or the kit
    await npm(
      [
        'install',
        source,
        '--omit=dev',
        '--omit=peer',
        '--legacy-peer-deps',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      staging,
    )
    const dependencies = (
      JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>
      }
    ).dependencies
    const name = Object.keys(dependencies ?? {})[0]
    if (!name) throw new PluginInstallError('install_failed', `npm installed nothing from ${spec}`)
    const candidate = candidateFrom(packageDirIn(staging, name), 'installed')
    if (!candidate) {
      throw new PluginInstallError(
        'invalid_plugin',
        `${name} is not an hrsync connector: its package.json has no "hrsync": { "kind": "connector" } manifest`,
      )
    }
    folder = join(area, folderName(name, candidate.version))
    rmSync(folder, { recursive: true, force: true })
    renameSync(staging, folder)
    const installedCandidate = candidateFrom(packageDirIn(folder, name), 'installed')!
    const loaded = await loadCandidate(installedCandidate, coreVersion).catch((error: Error) => {
      const code = error instanceof PluginLoadError ? error.code : 'import_failed'
      throw new PluginInstallError(
        'invalid_plugin',
        `${name}@${candidate.version} cannot be used (${code}): ${error.message}`,
      )
    })
    const installed: InstalledPlugin = {
      package: name,
      version: candidate.version,
      connectorId: loaded.connector.id,
      spec,
      installedAt: new Date().toISOString(),
    }
    writeFileSync(join(folder, READY), `${JSON.stringify(installed, null, 2)}\n`)
    return { installed, loaded }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    if (folder && !readMarker(folder)) rmSync(folder, { recursive: true, force: true })
    throw error
  }
}

/** Removes every installed version of a package: the marker first, so a half-removed folder is never loaded. */
export function removeInstalled(area: string, packageName: string): InstalledPlugin[] {
  const removed: InstalledPlugin[] = []
  for (const entry of listPluginArea(area)) {
    if (entry.package !== packageName) continue
    unlinkSync(join(entry.folder, READY))
    rmSync(entry.folder, { recursive: true, force: true })
    removed.push(entry as InstalledPlugin)
  }
  return removed
}

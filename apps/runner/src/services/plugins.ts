import type { RunnerContext } from '../context.js'
import { RunnerError } from '../errors.js'
import { installPlugin, listPluginArea, PluginInstallError, removeInstalled } from '../plugins/install.js'
import type { Actor } from '../store/index.js'
import { connectedIntegrationsOf } from '../store/plugins.js'
import { disconnect } from './disconnect.js'

export interface PluginView {
  connectorId: string | null
  name: string | null
  package: string
  version: string | null
  /** builtin, configured (HRSYNC_PLUGINS), installed (plugins add), workspace or node_modules */
  source: string
  /** loaded and usable; failed with its reason; incomplete: an install that never finished */
  state: 'loaded' | 'failed' | 'incomplete'
  reason: string | null
}

function asRunnerError(error: unknown): never {
  if (error instanceof PluginInstallError) {
    const status = {
      install_failed: 422,
      invalid_plugin: 422,
      plugin_in_use: 409,
      plugin_not_found: 404,
    } as const
    throw new RunnerError(error.code, error.message, status[error.code])
  }
  throw error
}

/** Every plugin the runner knows of: loaded, failed, and unfinished installs of its plugin area. */
export function listPlugins(ctx: RunnerContext): PluginView[] {
  const loaded: PluginView[] = ctx.registry.list().map(({ connector, packageName, version, source }) => ({
    connectorId: connector.id,
    name: connector.name,
    package: packageName,
    version,
    source,
    state: 'loaded',
    reason: null,
  }))
  const failed: PluginView[] = ctx.registry.failures.map((failure) => ({
    connectorId: null,
    name: null,
    package: failure.package,
    version: failure.version,
    source: 'unknown',
    state: 'failed',
    reason: `${failure.code}: ${failure.reason}`,
  }))
  const incomplete: PluginView[] = listPluginArea(ctx.pluginArea)
    .filter((entry) => entry.state === 'incomplete')
    .map((entry) => ({
      connectorId: null,
      name: null,
      package: entry.folder,
      version: null,
      source: 'installed',
      state: 'incomplete',
      reason: 'the install did not finish: it is never loaded; add the plugin again',
    }))
  return [...loaded, ...failed, ...incomplete]
}

/** Installs a plugin into the data folder and makes its connector available at once. */
export async function addPlugin(ctx: RunnerContext, spec: string): Promise<PluginView> {
  const { loaded } = await installPlugin(ctx.pluginArea, spec, ctx.registry.coreVersion).catch(asRunnerError)
  ctx.registry.add(loaded)
  ctx.logger.info('connector plugin installed', { package: loaded.packageName, version: loaded.version })
  return {
    connectorId: loaded.connector.id,
    name: loaded.connector.name,
    package: loaded.packageName,
    version: loaded.version,
    source: loaded.source,
    state: 'loaded',
    reason: null,
  }
}

/**
 * Removes an installed plugin. While integrations sync through it, it is refused unless `disconnect`
 * says to disconnect them first (R7 for each: accepted users kept, the rest removed).
 */
export async function removePlugin(
  ctx: RunnerContext,
  packageName: string,
  options: { disconnect: boolean },
  actor: Actor | null,
): Promise<{ removed: string[]; disconnected: string[] }> {
  const entry = listPluginArea(ctx.pluginArea).find((e) => e.package === packageName && e.state === 'ready')
  if (!entry?.connectorId) {
    throw new RunnerError(
      'plugin_not_found',
      `${packageName} is not installed in the plugin area (hrsync plugins list)`,
      404,
    )
  }
  const using = await connectedIntegrationsOf(ctx.db, entry.connectorId)
  if (using.length > 0 && !options.disconnect) {
    throw new RunnerError(
      'plugin_in_use',
      `${packageName} is used by ${using.length} connected integration(s) (${using.join(', ')}): disconnect them first, or remove with disconnect`,
      409,
      { integrations: using },
    )
  }
  for (const id of using) await disconnect(ctx, id, actor)
  ctx.registry.remove(entry.connectorId)
  const removed = removeInstalled(ctx.pluginArea, packageName).map((p) => `${p.package}@${p.version}`)
  return { removed, disconnected: using }
}

import { resolve } from 'node:path'
import { dataOf, withAdminClient } from '../admin-client.js'
import type { PluginView } from '../services/plugins.js'

/**
 * `hrsync plugins add|list|remove`: through the admin API of the runner holding the data folder, else
 * of a runner started here for the length of the command.
 */
export async function pluginsCommand(
  action: string | undefined,
  arg: string | undefined,
  options: { disconnect: boolean },
) {
  switch (action) {
    case 'add': {
      if (!arg) throw new Error('name what to install: hrsync plugins add <npm spec | file.tgz | folder>')
      // a path is the runner's to read: made absolute here, where the operator typed it
      const spec = /^[./]|\.tgz$/.test(arg) ? resolve(arg) : arg
      return withAdminClient((client) => dataOf(client.POST('/api/plugins', { body: { spec } })))
    }
    case 'remove': {
      if (!arg) throw new Error('name the package to remove: hrsync plugins remove <package> [--disconnect]')
      const query = { package: arg, ...(options.disconnect ? { disconnect: true } : {}) }
      return withAdminClient((client) => dataOf(client.DELETE('/api/plugins', { params: { query } })))
    }
    case 'list':
    case undefined:
      return withAdminClient((client) => dataOf(client.GET('/api/plugins')))
    default:
      throw new Error(`unknown plugins command "${action}" (try: add, list, remove)`)
  }
}

/** One line per plugin: state, connector id, package@version, source, and why when it is not loaded. */
export function pluginLines(plugins: PluginView[]): string {
  return plugins
    .map((p) =>
      [
        p.state.padEnd(10),
        (p.connectorId ?? '-').padEnd(20),
        `${p.package}${p.version ? `@${p.version}` : ''}`.padEnd(48),
        p.source,
        p.reason ? ` ${p.reason}` : '',
      ].join(' '),
    )
    .join('\n')
}

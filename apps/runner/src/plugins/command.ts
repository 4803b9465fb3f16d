import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pino from 'pino'
import { readEnv } from '../config.js'
import { dataFolderHolder } from '../data-lock.js'
import { createLogger } from '../logger.js'
import type { PluginView } from '../services/plugins.js'

type Answer = PluginView | { plugins: PluginView[] } | { removed: string[]; disconnected: string[] }

/** `hrsync plugins add|list|remove`: through the admin API of the runner holding the data folder, else here. */
export async function pluginsCommand(
  action: string | undefined,
  arg: string | undefined,
  options: { disconnect: boolean },
): Promise<Answer> {
  const request = pluginRequest(action, arg, options)
  const env = readEnv()
  const holder = env.databaseUrl ? null : dataFolderHolder(resolve(env.dataDir))
  if (holder?.url) {
    const tokenFile = join(resolve(env.dataDir), 'admin-token')
    const token = env.adminToken ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '')
    const response = await fetch(`${holder.url}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(request.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body ? { body: JSON.stringify(request.body) } : {}),
    })
    const body = (await response.json()) as Answer & { error?: { message: string } }
    if (!response.ok) throw new Error(body.error?.message ?? `the runner answered ${response.status}`)
    return body
  }
  // no runner holds the data folder: one runs here, without listening, for the length of the command
  const { startRunner } = await import('../runner.js')
  const { addPlugin, listPlugins, removePlugin } = await import('../services/plugins.js')
  const runner = await startRunner({
    listen: false,
    scheduler: false,
    logger: createLogger('warn', pino.destination(2)),
  })
  try {
    const ctx = runner.services
    if (request.method === 'POST') return await addPlugin(ctx, arg as string)
    if (request.method === 'DELETE') return await removePlugin(ctx, arg as string, options, null)
    return { plugins: listPlugins(ctx) }
  } finally {
    await runner.close()
  }
}

function pluginRequest(
  action: string | undefined,
  arg: string | undefined,
  options: { disconnect: boolean },
) {
  switch (action) {
    case 'add':
      if (!arg) throw new Error('name what to install: hrsync plugins add <npm spec | file.tgz | folder>')
      // a path is the runner's to read: made absolute here, where the operator typed it
      return {
        method: 'POST',
        path: '/api/plugins',
        body: { spec: /^[./]|\.tgz$/.test(arg) ? resolve(arg) : arg },
      } as const
    case 'remove':
      if (!arg) throw new Error('name the package to remove: hrsync plugins remove <package> [--disconnect]')
      return {
        method: 'DELETE',
        path: `/api/plugins?package=${encodeURIComponent(arg)}${options.disconnect ? '&disconnect=true' : ''}`,
      } as const
    case 'list':
    case undefined:
      return { method: 'GET', path: '/api/plugins' } as const
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

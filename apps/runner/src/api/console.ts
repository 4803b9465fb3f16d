import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/**
 * Where the built admin console lives: HRSYNC_CONSOLE_DIR if set; in a runner installed from npm, the
 * package's own `console` folder (copied in when the package is packed); in this checkout,
 * apps/console/dist beside the runner.
 */
export function consoleDir(): string {
  const fromEnv = process.env.HRSYNC_CONSOLE_DIR
  if (fromEnv) return resolve(fromEnv)
  // src/api or dist/api -> the runner package's root
  const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
  const packaged = join(packageRoot, 'console')
  if (existsSync(join(packaged, 'index.html'))) return packaged
  return resolve(packageRoot, '..', 'console', 'dist')
}

/**
 * Serves the admin console (a static single-page app) at `/`. The console talks only to the admin
 * API with the admin token the operator gives it, so its files themselves need no token. When the
 * console is not built, `/` says how to build it instead.
 */
export async function registerConsole(app: FastifyInstance, dir = consoleDir()): Promise<void> {
  if (!existsSync(join(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .status(404)
        .type('text/plain; charset=utf-8')
        .send('The admin console is not built: run `pnpm turbo run build --filter @hrsync/console`.\n'),
    )
    return
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
    setHeaders: (reply, path) => {
      // hashed bundles never change; index.html must always be fresh
      if (/[\\/]assets[\\/]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable')
      else reply.header('cache-control', 'no-cache')
    },
  })
}

// `pnpm dev`: the runner from its TypeScript source with tsx, restarting on save, and the console
// through vite (http://localhost:5173, which proxies /api to the runner). Core, the kit, scim, the
// client and the connectors are built once first: the runner loads them from their dist.
import { execFileSync, spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
execFileSync(
  'pnpm',
  ['--silent', 'turbo', 'run', 'build', '--filter=@hrsync/runner^...', '--output-logs=errors-only'],
  {
    cwd: root,
    stdio: 'inherit',
  },
)

// the same data folder as `pnpm start`, whichever folder the runner runs in; the port vite proxies to
const env = {
  ...process.env,
  HRSYNC_DATA_DIR: resolve(root, process.env.HRSYNC_DATA_DIR ?? '.hrsync'),
  HRSYNC_PORT: '3030',
}
const children = [
  spawn('pnpm', ['--filter', '@hrsync/runner', 'exec', 'tsx', 'watch', 'src/cli.ts', 'serve'], {
    cwd: root,
    env,
    stdio: 'inherit',
  }),
  spawn('pnpm', ['--filter', '@hrsync/console', 'dev'], { cwd: root, env, stdio: 'inherit' }),
]
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
// one of them ending ends the other: a half-running loop is worse than none
for (const child of children) child.on('exit', stop)

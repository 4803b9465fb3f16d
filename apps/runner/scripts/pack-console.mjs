// Puts the built admin console inside the runner package before `pnpm pack` / `pnpm publish`, so a runner
// installed from npm serves it at `/` (src/api/console.ts looks there first); `--remove` takes the copy out
// again after packing, so a checkout keeps serving the fresh apps/console/dist.
import { cpSync, existsSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = fileURLToPath(new URL('../../console/dist', import.meta.url))
const packaged = fileURLToPath(new URL('../console', import.meta.url))

rmSync(packaged, { recursive: true, force: true })
if (process.argv.includes('--remove')) process.exit(0)

if (!existsSync(`${built}/index.html`)) {
  process.stderr.write(
    'The admin console is not built, so the runner package would ship without it: run `pnpm turbo run build` first.\n',
  )
  process.exit(1)
}
cpSync(built, packaged, { recursive: true })

// Prints the admin API's OpenAPI document (from the built runner): `pnpm --filter @hrsync/client generate` reads it.
import { startRunner } from '../dist/runner.js'

const runner = await startRunner({ inMemory: true, listen: false, scheduler: false, logger: false, env: {} })
try {
  const response = await runner.services.app.inject({ method: 'GET', url: '/docs/json' })
  process.stdout.write(`${JSON.stringify(response.json(), null, 2)}\n`)
} finally {
  await runner.close()
}

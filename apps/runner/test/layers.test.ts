import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The runner's layers: HTTP routes call services, services use the store. A route that reached the
// store itself would spread a use case over two layers, so the dependency is refused here.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')
const routesDir = join(src, 'api/routes')
const storeDir = join(src, 'store')

/** Every module a source file imports, static or dynamic, as written. */
function importedModules(source: string): string[] {
  const specifiers = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm
  return [...source.matchAll(specifiers)].map((match) => match[1]!)
}

/** What a route file does that only services may: import the store, or query the database itself. */
function layerBreaches(file: string, source: string): string[] {
  const fromStore = importedModules(source)
    .filter((module) => module.startsWith('.'))
    .filter((module) => !relative(storeDir, resolve(dirname(file), module)).startsWith('..'))
    .map((module) => `imports ${module}`)
  const database = /\bctx\.db\b/.test(source) ? ['uses ctx.db'] : []
  return [...fromStore, ...database].map((breach) => `${relative(src, file)} ${breach}`)
}

describe('layers: routes call services, never the store', () => {
  const routeFiles = readdirSync(routesDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(routesDir, name))

  it('no route imports from src/store or queries the database', () => {
    expect(routeFiles.length).toBeGreaterThan(5)
    const breaches = routeFiles.flatMap((file) => layerBreaches(file, readFileSync(file, 'utf8')))
    expect(breaches).toEqual([])
  })

  it('the check finds a store import, however it is written, and leaves services alone', () => {
    const file = join(routesDir, 'example.ts')
    const source = [
      "import { getRun } from '../../store/index.js'",
      "import type { Actor } from '../../store/runs.js'",
      "import { syncNow } from '../../services/runs.js'",
      "const later = await import('../../store/db.js')",
      'const run = await getRun(ctx.db, id)',
    ].join('\n')
    expect(layerBreaches(file, source)).toEqual([
      'api/routes/example.ts imports ../../store/index.js',
      'api/routes/example.ts imports ../../store/runs.js',
      'api/routes/example.ts imports ../../store/db.js',
      'api/routes/example.ts uses ctx.db',
    ])
  })
})

#!/usr/bin/env node
// Scaffolds connectors/<id> with the generator of `npm create hrsync-connector`, in the monorepo's
// layout (workspace dependencies, the shared tsconfig, a changeset), so the new package builds, lints
// and passes its tests before the first vendor fact is written.
// Usage: pnpm new-connector <id> [--name "Vendor"] [--auth bearer|basic|header] [--root dir]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  AUTH_TYPES,
  connectorFiles,
  firstReleaseChangeset,
  planProblem,
  titleCase,
} from '../packages/create-hrsync-connector/generate.mjs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    auth: { type: 'string', default: 'bearer' },
    'header-name': { type: 'string' },
    root: { type: 'string', default: resolve(dirname(fileURLToPath(import.meta.url)), '..') },
  },
})
const [id] = positionals
const plan = {
  id: id ?? '',
  name: values.name ?? titleCase(id ?? ''),
  packageName: `@hrsync/connector-${id}`,
  auth: values.auth,
  headerName: values['header-name'],
  layout: 'monorepo',
}
const problem = id ? planProblem(plan) : 'name the connector'
if (problem) {
  console.error(
    `${problem}\nusage: pnpm new-connector <id> [--name "Vendor name"] [--auth ${AUTH_TYPES.join('|')}]`,
  )
  process.exit(1)
}
const root = resolve(values.root)
const dir = join(root, 'connectors', plan.id)
if (existsSync(dir)) {
  console.error(`connectors/${plan.id} exists already`)
  process.exit(1)
}
for (const [path, content] of connectorFiles(plan)) {
  const target = join(dir, path)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, content)
}
mkdirSync(join(root, '.changeset'), { recursive: true })
writeFileSync(join(root, '.changeset', `connector-${plan.id}-first-release.md`), firstReleaseChangeset(plan))
console.log(
  `Created connectors/${plan.id} and .changeset/connector-${plan.id}-first-release.md.\n` +
    `Next: pnpm install, then replace the example API in connectors/${plan.id}/src/index.ts with ${plan.name}'s ` +
    '(docs/authoring-connectors.md), and run it against an account with\n' +
    `  pnpm hrsync dev connectors/${plan.id} --config connectors/${plan.id}/dev.json`,
)

#!/usr/bin/env node
// npm create hrsync-connector <name> [--id <id>] [--vendor "Vendor name"] [--auth bearer|basic|header]
//   [--header-name X-API-Key] [--dir <folder>] [--hrsync-tarballs <folder>] [--yes]
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { AUTH_TYPES, connectorFiles, idFromPackageName, planProblem, titleCase } from './generate.mjs'

const USAGE = `Usage: npm create hrsync-connector <package-name> [-- options]

  --id <id>                 the connector id (default: from the package name)
  --vendor "<name>"         the HR system's name, as customers read it
  --auth <type>             ${AUTH_TYPES.join(' | ')} (asked when interactive; default bearer)
  --header-name <name>      the header the API key travels in, with --auth header (default X-API-Key)
  --dir <folder>            where to write the package (default: ./<id>)
  --hrsync-tarballs <dir>   build against the @hrsync/*.tgz packed in <dir> instead of the registry
  --yes                     ask nothing: take the defaults`

function fail(message) {
  process.stderr.write(`create-hrsync-connector: ${message}\n`)
  process.exit(1)
}

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      vendor: { type: 'string' },
      auth: { type: 'string' },
      'header-name': { type: 'string' },
      dir: { type: 'string' },
      'hrsync-tarballs': { type: 'string' },
      yes: { type: 'boolean', short: 'y', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
} catch (error) {
  fail(`${error.message}\n\n${USAGE}`)
}
const { values, positionals } = parsed
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

const interactive = process.stdin.isTTY && !values.yes
const rl = interactive ? createInterface({ input: process.stdin, output: process.stdout }) : null
const ask = async (question, fallback) => {
  if (!rl) return fallback
  const answer = (await rl.question(`${question} (${fallback}): `)).trim()
  return answer || fallback
}

const packageName = positionals[0] ?? (await ask('Package name', 'hrsync-connector-acme-hr'))
const id = values.id ?? idFromPackageName(packageName)
const name = values.vendor ?? (await ask('The HR system, as customers name it', titleCase(id)))
const auth = values.auth ?? (await ask(`How the API authenticates: ${AUTH_TYPES.join(', ')}`, 'bearer'))
const headerName =
  auth === 'header'
    ? (values['header-name'] ?? (await ask('The header the API key goes in', 'X-API-Key')))
    : undefined
rl?.close()

/** `@hrsync/core` → file:<dir>/hrsync-core-1.0.0.tgz, for each @hrsync tarball in the folder. */
function localPackages(dir) {
  if (!dir) return undefined
  const folder = resolve(dir)
  const found = {}
  for (const file of readdirSync(folder)) {
    const match = /^hrsync-(core|connector-kit|connector-testing|runner|client|scim)-\d.*\.tgz$/.exec(file)
    if (match) found[`@hrsync/${match[1]}`] = `file:${join(folder, file)}`
  }
  return found
}

const plan = {
  id,
  name,
  packageName,
  auth,
  headerName,
  layout: 'standalone',
  localPackages: localPackages(values['hrsync-tarballs']),
}
const problem = planProblem(plan)
if (problem) fail(problem)
const dir = resolve(values.dir ?? id)
if (existsSync(dir) && readdirSync(dir).length > 0) fail(`${dir} exists and is not empty`)

for (const [path, content] of connectorFiles(plan)) {
  const target = join(dir, path)
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, content)
}
const where = relative(process.cwd(), dir) || '.'
process.stdout.write(`Created ${packageName} in ${where}: the ${name} connector (${auth} auth).

Next:
  cd ${where}
  npm install
  npm test                                    the contract suite on the fixtures in test/fixtures
  cp dev.example.json dev.json                then fill in a real or sandbox account
  npx hrsync dev . --config dev.json          the connector against that account
  npm pack                                    the tarball an operator installs with: hrsync plugins add <file>.tgz
`)

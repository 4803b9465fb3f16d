import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectorFiles, VERSIONS } from '../generate.mjs'

// `npm create hrsync-connector` in an empty folder outside the repository: each auth type, written by
// the bin as a partner runs it, typechecks and passes its tests as generated. The packages it needs are
// linked from the workspace here; apps/runner/test/partner-path.test.ts installs them from tarballs.
const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../../..')
const bin = join(here, '../bin.mjs')
const run = promisify(execFile)

let root: string
let created: string

function link(nodeModules: string, name: string, target: string): void {
  const at = join(nodeModules, name)
  mkdirSync(dirname(at), { recursive: true })
  symlinkSync(target, at, 'dir')
}

const packages = [
  ['bearer', 'hrsync-connector-acme-hr', []],
  ['basic', '@acme/hrsync-connector-basic-hr', ['--vendor', 'Basic HR']],
  ['header', 'hrsync-connector-header-hr', ['--header-name', 'X-Token']],
] as const

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'create-hrsync-connector-'))
  for (const [auth, name, extra] of packages) {
    const { stdout } = await run(process.execPath, [bin, name, '--auth', auth, '--yes', ...extra], {
      cwd: root,
    })
    created ||= stdout
  }
  const modules = join(root, 'node_modules')
  link(modules, '@hrsync/core', join(repo, 'packages/core'))
  link(modules, '@hrsync/connector-kit', join(repo, 'packages/connector-kit'))
  link(modules, '@hrsync/connector-testing', join(repo, 'packages/connector-testing'))
  link(modules, '@sinclair/typebox', join(repo, 'packages/connector-kit/node_modules/@sinclair/typebox'))
  link(modules, 'vitest', join(repo, 'packages/connector-testing/node_modules/vitest'))
  link(modules, '@types/node', join(repo, 'node_modules/@types/node'))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('issue 22 §2: npm create hrsync-connector', () => {
  it('writes a standalone package: manifest, peers the runner supplies, dev dependencies, own configs', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'acme-hr/package.json'), 'utf8'))
    expect(pkg).toMatchObject({
      name: 'hrsync-connector-acme-hr',
      hrsync: { kind: 'connector', id: 'acme-hr', apiVersion: 1 },
      peerDependencies: { '@hrsync/core': VERSIONS.core, '@hrsync/connector-kit': VERSIONS.kit },
      devDependencies: {
        '@hrsync/connector-testing': VERSIONS.testing,
        '@hrsync/runner': VERSIONS.runner,
        typescript: VERSIONS.typescript,
        vitest: VERSIONS.vitest,
      },
    })
    expect(pkg.dependencies).toBeUndefined()
    const tsconfig = readFileSync(join(root, 'acme-hr/tsconfig.json'), 'utf8')
    expect(tsconfig).not.toContain('extends')
    for (const scenario of [
      'happy-multipage',
      'auth-failure',
      'rate-limited',
      'server-error-mid-pagination',
      'statuses',
      'managers',
      'empty-tenant',
    ]) {
      expect(existsSync(join(root, `acme-hr/test/fixtures/${scenario}.json`)), scenario).toBe(true)
    }
    expect(readFileSync(join(root, 'basic-hr/src/index.ts'), 'utf8')).toContain("type: 'basic'")
    expect(readFileSync(join(root, 'header-hr/src/index.ts'), 'utf8')).toContain("name: 'X-Token'")
  })

  it('its caret ranges name the versions in this repository', () => {
    const version = (dir: string): string =>
      JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')).version
    // ^1.2.3 takes 1.x from 1.2.3 on, ^0.2.3 takes 0.2.x: the scaffold must accept the current release line
    const caret = (range: string, current: string) => {
      const [major, minor] = range.slice(1).split('.')
      const [curMajor, curMinor] = current.split('.')
      return major === curMajor && (major !== '0' || minor === curMinor)
    }
    expect(caret(VERSIONS.core, version('packages/core'))).toBe(true)
    expect(caret(VERSIONS.kit, version('packages/connector-kit'))).toBe(true)
    expect(caret(VERSIONS.testing, version('packages/connector-testing'))).toBe(true)
    expect(caret(VERSIONS.runner, version('apps/runner'))).toBe(true)
  })

  it('names no file that is not in the package or the repository', () => {
    const files = connectorFiles({
      id: 'x-hr',
      name: 'X HR',
      packageName: 'x',
      auth: 'bearer',
      layout: 'standalone',
    })
    const text = [...files.values(), created].join('\n')
    expect(text).not.toMatch(/shared\/vendors|\.env\.local/)
    for (const found of text.match(/[\w./-]+\.(?:json|ts|md)\b/g) ?? []) {
      const mention = found.replace(/^\.\//, '')
      // dist/ is what the build writes; dev.json is the copy of dev.example.json the partner fills in
      const built = mention.startsWith('dist/') || mention === 'dev.json' || mention.startsWith('.') // a glob's tail
      const known = built || files.has(mention) || existsSync(join(repo, mention))
      expect(known, mention).toBe(true)
    }
  })

  it('every generated package typechecks and passes its tests as created', { timeout: 240_000 }, async () => {
    // one compiler run over the three packages, each with its own generated settings
    writeFileSync(
      join(root, 'tsconfig.json'),
      JSON.stringify({
        extends: './acme-hr/tsconfig.json',
        compilerOptions: { rootDir: '.' },
        include: ['*/src', '*/test'],
      }),
    )
    const tsc = join(repo, 'node_modules/typescript/bin/tsc')
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root })
    const vitest = join(repo, 'packages/connector-testing/node_modules/vitest/vitest.mjs')
    const { stdout } = await run(process.execPath, [vitest, 'run', '--root', root], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    })
    expect(stdout).toMatch(/Test Files\s+3 passed \(3\)/)
  })
})

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../../..', import.meta.url))
const slug = 'acme-people'
let root: string
let dir: string

/** Links a package into a node_modules folder of the temporary copy. */
function link(nodeModules: string, name: string, target: string): void {
  const at = join(nodeModules, name)
  mkdirSync(dirname(at), { recursive: true })
  symlinkSync(target, at, 'dir')
}

function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: 'pipe',
      env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    })
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`)
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'hrsync-scaffold-'))
  writeFileSync(join(root, 'tsconfig.base.json'), readFileSync(join(repo, 'tsconfig.base.json')))
  const biome = JSON.parse(readFileSync(join(repo, 'biome.json'), 'utf8')) as Record<string, unknown>
  delete biome.vcs
  writeFileSync(join(root, 'biome.json'), JSON.stringify(biome))
  run(process.execPath, [join(repo, 'scripts/new-connector.mjs'), slug, '--root', root], repo)
  dir = join(root, 'connectors', slug)
  const modules = join(dir, 'node_modules')
  link(modules, '@hrsync/core', join(repo, 'packages/core'))
  link(modules, '@hrsync/connector-kit', join(repo, 'packages/connector-kit'))
  link(modules, '@hrsync/connector-testing', join(repo, 'packages/connector-testing'))
  link(modules, '@sinclair/typebox', join(repo, 'packages/connector-kit/node_modules/@sinclair/typebox'))
  link(join(root, 'node_modules'), 'vitest', join(repo, 'packages/connector-testing/node_modules/vitest'))
  link(join(root, 'node_modules'), '@types/node', join(repo, 'node_modules/@types/node'))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('scripts/new-connector.mjs', () => {
  it('writes the package with the connector manifest and a changeset', () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    expect(pkg).toMatchObject({
      name: `@hrsync/connector-${slug}`,
      type: 'module',
      files: ['dist', 'README.md'],
      peerDependencies: { '@hrsync/connector-kit': '^1.0.0', '@hrsync/core': '^1.0.0' },
      devDependencies: {
        '@hrsync/connector-kit': 'workspace:*',
        '@hrsync/connector-testing': 'workspace:*',
        '@hrsync/core': 'workspace:*',
      },
      hrsync: { kind: 'connector', id: slug, apiVersion: 1 },
    })
    expect(readFileSync(join(root, '.changeset', `connector-${slug}-first-release.md`), 'utf8')).toContain(
      `"@hrsync/connector-${slug}": minor`,
    )
  })

  it('typechecks', { timeout: 120_000 }, () => {
    run(
      process.execPath,
      [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
      dir,
    )
  })

  it('passes lint', { timeout: 60_000 }, () => {
    run(join(repo, 'node_modules/.bin/biome'), ['check', `connectors/${slug}`], root)
  })

  it('passes its own contract suite', { timeout: 120_000 }, () => {
    const out = run(
      process.execPath,
      [join(repo, 'packages/connector-testing/node_modules/vitest/vitest.mjs'), 'run', '--root', dir],
      dir,
    )
    expect(out).toMatch(/Tests\s+\d+ passed/)
  })

  it('refuses a slug that is not kebab-case or already exists', () => {
    expect(() =>
      run(process.execPath, [join(repo, 'scripts/new-connector.mjs'), 'Bad_Slug', '--root', root], repo),
    ).toThrow(/usage/)
    expect(() =>
      run(process.execPath, [join(repo, 'scripts/new-connector.mjs'), slug, '--root', root], repo),
    ).toThrow(/exists already/)
  })
})

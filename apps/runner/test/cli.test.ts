import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRunner } from '../src/runner.js'
import { createSecretBox, generateKey } from '../src/store/index.js'

// The built `hrsync` command, run as an operator runs it: a separate node process, the environment
// as its only configuration, the csv connector found in the workspace.
const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../dist/cli.js')
const repo = join(here, '../../..')
const csvPackage = JSON.parse(readFileSync(join(repo, 'connectors/csv/package.json'), 'utf8')) as {
  version: string
}

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

function hrsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: join(dir, 'data'), ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

const CSV = [
  'employee_id,email,first_name,last_name,status,manager_id',
  'E1,ceo@acme.test,Cleo,Oduya,active,',
  'E2,ann@acme.test,Ann,Berg,active,E1',
  'E3,bob@acme.test,Bob,Lind,leave,E2',
].join('\n')

let dir: string
let okConfig: string
let missingFileConfig: string
let integrationId: string
/** connected without autoApply: its first sync waits for review */
let reviewedId: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hrsync-cli-'))
  // csv exports are read from the import folder, `imports` in the data folder by default
  mkdirSync(join(dir, 'data', 'imports'), { recursive: true })
  writeFileSync(join(dir, 'data', 'imports', 'people.csv'), `${CSV}\n`)
  writeFileSync(join(dir, 'outside.csv'), `${CSV}\n`)
  okConfig = join(dir, 'csv.json')
  writeFileSync(okConfig, JSON.stringify({ path: 'people.csv' }))
  missingFileConfig = join(dir, 'missing.json')
  writeFileSync(missingFileConfig, JSON.stringify({ path: 'nowhere.csv' }))

  // a data folder prepared by the runner itself: a Beyond company with the csv connector connected
  const runner = await startRunner({
    dataDir: join(dir, 'data'),
    listen: false,
    scheduler: false,
    discoverPlugins: false,
    plugins: [join(repo, 'connectors/csv')],
    logger: false,
    env: {},
  })
  try {
    const call = async (method: 'POST', url: string, payload: Record<string, unknown>) => {
      const response = await runner.services.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${runner.adminToken}` },
        payload,
      })
      expect(response.statusCode, response.body).toBe(201)
      return response.json()
    }
    const company = await call('POST', '/api/companies', { name: 'Acme', plan: 'beyond', timeZone: 'UTC' })
    const connected = await call('POST', `/api/companies/${company.id}/integrations`, {
      connector: 'csv',
      autoApply: true,
      config: { path: 'people.csv' },
    })
    integrationId = connected.integration.id
    const other = await call('POST', '/api/companies', { name: 'Nordvik', plan: 'beyond', timeZone: 'UTC' })
    const inReview = await call('POST', `/api/companies/${other.id}/integrations`, {
      connector: 'csv',
      config: { path: 'people.csv' },
    })
    reviewedId = inReview.integration.id
  } finally {
    await runner.close()
  }
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the hrsync command', () => {
  it('connectors: lists the loaded plugins with their package and version', async () => {
    const { code, stdout, stderr } = await hrsync(['connectors'])
    expect(code, stderr).toBe(0)
    const csv = stdout.split('\n').find((line) => line.startsWith('csv '))
    expect(csv).toBeDefined()
    expect(csv).toContain('CSV export')
    expect(csv).toContain(`@hrsync/connector-csv@${csvPackage.version}`)
    expect(stdout).toMatch(/^personio\s+Personio\s+pull\s+@hrsync\/connector-personio@\d+\.\d+\.\d+$/m)
  })

  it('check: a working connection exits 0', async () => {
    const { code, stdout } = await hrsync(['check', 'csv', '--config', okConfig])
    expect(code).toBe(0)
    expect(stdout).toBe('CSV export: connection works\n')
  })

  it('check: a failing connection exits 1 with its code and reason, and no stack trace', async () => {
    const { code, stdout, stderr } = await hrsync(['check', 'csv', '--config', missingFileConfig])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'hrsync: unreachable: The export file nowhere.csv was not found in the import folder.\n',
    )
  })

  it('#18.9 check: a csv file outside the import folder answers like a missing one; HRSYNC_IMPORT_DIR moves the folder', async () => {
    const outside = join(dir, 'outside.json')
    writeFileSync(outside, JSON.stringify({ path: join(dir, 'outside.csv') }))
    const refused = await hrsync(['check', 'csv', '--config', outside])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toBe(
      `hrsync: unreachable: The export file ${join(dir, 'outside.csv')} was not found in the import folder.\n`,
    )
    const moved = await hrsync(['check', 'csv', '--config', outside], { HRSYNC_IMPORT_DIR: dir })
    expect(moved.code, moved.stderr).toBe(0)
  })

  it('#18.6 keys rotate: a new key in the key file, the old one kept in .previous, no key printed', async () => {
    const keyFile = join(dir, 'rotate', 'hrsync.key')
    mkdirSync(dirname(keyFile))
    writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600 })
    const old = readFileSync(keyFile, 'utf8').trim()
    const { code, stdout, stderr } = await hrsync(['keys', 'rotate'], { HRSYNC_SECRET_KEY_FILE: keyFile })
    expect(code, stderr).toBe(0)
    const current = readFileSync(keyFile, 'utf8').trim()
    expect(current).not.toBe(old)
    expect(readFileSync(`${keyFile}.previous`, 'utf8')).toBe(`${old}\n`)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(stdout).toContain(`new key ${createSecretBox(current).keyId} in ${keyFile}`)
    expect(stdout).not.toContain(current)
    expect(stdout).not.toContain(old)
    const fromEnv = await hrsync(['keys', 'rotate'], { HRSYNC_SECRET_KEY: generateKey() })
    expect(fromEnv.code).toBe(1)
    expect(fromEnv.stderr).toContain('the key comes from HRSYNC_SECRET_KEY')
  })

  it('check: an unreadable config file or an unknown connector is named, without a stack trace', async () => {
    writeFileSync(join(dir, 'broken.json'), '{ "path": ')
    const broken = await hrsync(['check', 'csv', '--config', join(dir, 'broken.json')])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toMatch(/^hrsync: cannot read .*broken\.json: /)
    const missing = await hrsync(['check', 'csv'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('--config <file> is required')
    const unknown = await hrsync(['check', 'acme-nope', '--config', okConfig])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^hrsync: no connector "acme-nope" is installed \(found: .*csv/)
    for (const { stderr } of [broken, missing, unknown]) expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('pull --json: prints every employee as JSON', async () => {
    const { code, stdout, stderr } = await hrsync(['pull', 'csv', '--config', okConfig, '--json'])
    expect(code, stderr).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.employees.map((e: { remoteId: string; status: string }) => [e.remoteId, e.status])).toEqual(
      [
        ['E1', 'active'],
        ['E2', 'active'],
        ['E3', 'leave'],
      ],
    )
    expect(result.employees[2]).toMatchObject({ email: 'bob@acme.test', managerRemoteId: 'E2' })
    expect(result).toMatchObject({ pages: 1, skipped: [], warnings: [] })
  })

  it('pull: without --json prints one line per person and a summary', async () => {
    const { code, stdout } = await hrsync(['pull', 'csv', '--config', okConfig])
    expect(code).toBe(0)
    expect(stdout.split('\n')).toEqual([
      'E1\tactive\tceo@acme.test\tCleo Oduya',
      'E2\tactive\tann@acme.test\tAnn Berg',
      'E3\tleave\tbob@acme.test\tBob Lind',
      '3 people in 1 pages, 0 skipped, 0 warnings',
      '',
    ])
  })

  it("issue 19 item 7 pull: the warnings are the sync's own, each once, and the summary counts the list", async () => {
    const messy = join(dir, 'data', 'imports', 'messy.csv')
    writeFileSync(
      messy,
      [
        'employee_id,email,first_name,last_name,status,manager_id',
        'A1,a@acme.test,Ana,Ruiz,active,B1',
        'B1,b@acme.test,Ben,Cole,active,A1',
        'C1,c@acme.test,Cy,Park,active,Z9',
        'C1,c2@acme.test,Cy,Park,active,',
      ].join('\n'),
    )
    const config = join(dir, 'messy.json')
    writeFileSync(config, JSON.stringify({ path: 'messy.csv' }))
    const { code, stdout, stderr } = await hrsync(['pull', 'csv', '--config', config])
    expect(code, stderr).toBe(0)
    expect(stdout.split('\n').slice(4)).toEqual([
      '4 people in 1 pages, 0 skipped, 3 warnings',
      'warning: C1 appears twice in CSV export; the first record is used',
      'warning: Cy Park: manager not in HR data (Z9)',
      'warning: Loop in the manager chain: Ana Ruiz -> Ben Cole -> Ana Ruiz',
      '',
    ])
  })

  it('sync --dry-run: plans against the data folder and applies nothing', async () => {
    const dry = await hrsync(['sync', integrationId, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    const first = JSON.parse(dry.stdout)
    expect(first.run).toMatchObject({ integrationId, dryRun: true, status: 'succeeded' })
    const creates = first.plan.changes.filter((c: { kind: string }) => c.kind === 'create_user')
    expect(creates).toHaveLength(3)
    // nothing was applied: a second dry run plans the same three users
    const again = JSON.parse((await hrsync(['sync', integrationId, '--dry-run'])).stdout)
    expect(again.plan.changes.filter((c: { kind: string }) => c.kind === 'create_user')).toHaveLength(3)
  })

  it('issue 20 §6 review and confirm: the first sync planned for review, then applied; reviewed again it is refused', async () => {
    const review = await hrsync(['review', reviewedId])
    expect(review.code, review.stderr).toBe(0)
    expect(review.stdout).toMatch(/^first sync planned .*, nothing applied \(run run_/)
    expect(review.stdout.split('\n').filter((line) => line.startsWith('create_user\t'))).toHaveLength(3)

    const confirmed = await hrsync(['confirm', reviewedId, '--json'])
    expect(confirmed.code, confirmed.stderr).toBe(0)
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ status: 'succeeded', dryRun: false, first: true })
    const again = await hrsync(['review', reviewedId])
    expect(again.code).toBe(1)
    expect(again.stderr).toBe('hrsync: this integration’s first sync was already confirmed\n')
  })

  it('sync: an unknown integration is a clear error', async () => {
    const { code, stdout, stderr } = await hrsync(['sync', 'int_nope'])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^hrsync: .*int_nope/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('an unknown command or option prints the usage and exits 2', async () => {
    const unknown = await hrsync(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('hrsync: unknown command "frobnicate"')
    expect(unknown.stderr).toContain('Usage:')
    const option = await hrsync(['pull', 'csv', '--bogus'])
    expect(option.code).toBe(2)
    expect(option.stderr).toContain("Unknown option '--bogus'")
    expect(option.stderr).toContain('Usage:')
    const help = await hrsync(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('hrsync check <connector> --config <file>')
  })
})

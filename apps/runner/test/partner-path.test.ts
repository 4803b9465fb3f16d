import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// issue 22, done when: the whole partner path in a folder outside the workspace, with the packages
// installed from their tarballs (npm fetches third-party dependencies from the registry), against a
// fake vendor API on 127.0.0.1. Each step's time is printed as it ends.
const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '../../..')
/** everything the docs tell someone to install: packed, then installed from the tarballs */
const installable = [
  ...readdirSync(join(repo, 'packages')).map((name) => `packages/${name}`),
  'apps/runner',
  ...readdirSync(join(repo, 'connectors')).map((slug) => `connectors/${slug}`),
]
// npm needs the registry for third-party dependencies: outside CI an offline machine skips, visibly
const registryReachable = await fetch('https://registry.npmjs.org/-/ping', {
  signal: AbortSignal.timeout(5000),
}).then(
  (response) => response.ok,
  () => false,
)
const API_KEY = 'acme-partner-path-key-3c9a'
const people = [
  {
    id: 1,
    email: 'ada@acme.example',
    first_name: 'Ada',
    last_name: 'Byron',
    status: 'active',
    manager_id: null,
    department: 'Board',
    position: 'CEO',
  },
  {
    id: 2,
    email: 'bo@acme.example',
    first_name: 'Bo',
    last_name: 'Ng',
    status: 'active',
    manager_id: 1,
    department: 'Ops',
    position: 'Lead',
  },
  {
    id: 3,
    email: 'cy@acme.example',
    first_name: 'Cy',
    last_name: 'Lo',
    status: 'on_leave',
    manager_id: 2,
    department: 'Ops',
    position: 'Analyst',
  },
]

let dir: string
let vendor: Server
let vendorUrl: string
let serve: ChildProcess | undefined
const timings: string[] = []

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await work()
  const line = `${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`
  timings.push(line)
  process.stdout.write(`partner path: ${line}\n`)
  return result
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, {
      cwd,
      encoding: 'utf8',
      maxBuffer: 32 << 20,
      env: { ...process.env, NO_COLOR: '1', ...env },
    })
    return stdout
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string }
    throw new Error(
      `${command} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    )
  }
}

beforeAll(async () => {
  vendor = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.headers.authorization !== `Bearer ${API_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid api key"}')
      return
    }
    const offset = Number(url.searchParams.get('offset'))
    const limit = Number(url.searchParams.get('limit'))
    // this vendor calls the job title `position`: the mapping edit below reads it
    const page = people
      .slice(offset, offset + limit)
      .map(({ position, ...person }) => ({ ...person, position }))
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ total: people.length, data: page }))
  })
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve))
  vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/api/v1`
  dir = mkdtempSync(join(tmpdir(), 'hrsync-partner-path-'))
})

afterAll(async () => {
  // npx runs the runner as a grandchild: the whole process group goes, or the runner outlives the test
  if (serve?.pid && serve.exitCode === null) {
    const exited = new Promise((resolve) => serve?.once('exit', resolve))
    process.kill(-serve.pid, 'SIGTERM')
    await exited
  }
  // the runner's HTTP client keeps connections alive: close() alone waits for them to time out
  vendor.closeAllConnections()
  await new Promise((resolve) => vendor.close(resolve))
  process.stdout.write(`partner path, step by step:\n  ${timings.join('\n  ')}\n`)
  rmSync(dir, { recursive: true, force: true })
})

describe('issue 22: from an empty folder to the connector syncing in the runner', () => {
  it.skipIf(!process.env.CI && !registryReachable)(
    'scaffold → edit → test → hrsync dev → pack → plugins add → connect → sync; every package installs from its tarball',
    { timeout: 900_000 },
    async () => {
      const tarballs = join(dir, 'tarballs')
      mkdirSync(tarballs)
      await step('pnpm pack core, kit, testing, client, scim, scaffold, runner, every connector', () =>
        run(
          'pnpm',
          [
            '--recursive',
            ...['./packages/*', './connectors/*', './apps/runner'].flatMap((f) => ['--filter', f]),
            'pack',
            '--pack-destination',
            tarballs,
          ],
          repo,
        ),
      )
      expect(readdirSync(tarballs)).toHaveLength(installable.length)
      // an operator's folder: every tarball in one npm install, and the runner's bin through npx
      const operator = join(dir, 'operator')
      mkdirSync(operator)
      writeFileSync(join(operator, 'package.json'), '{ "private": true }\n')
      await step('npm install every tarball in an empty folder', () =>
        run(
          'npm',
          [
            'install',
            '--no-audit',
            '--no-fund',
            '--prefer-offline',
            '--loglevel=error',
            ...readdirSync(tarballs).map((file) => join(tarballs, file)),
          ],
          operator,
        ),
      )
      expect(await run('npx', ['hrsync', '--help'], operator)).toContain('hrsync serve')
      // a connector takes core and the kit from the runner, and its testing helpers stay out of the install
      const personio = JSON.parse(
        readFileSync(join(operator, 'node_modules/@hrsync/connector-personio/package.json'), 'utf8'),
      )
      expect(Object.keys(personio.peerDependencies).sort()).toEqual(['@hrsync/connector-kit', '@hrsync/core'])
      expect(
        Object.keys(personio.dependencies ?? {}).filter(
          (name) => name.startsWith('@hrsync/') || name === 'nock',
        ),
      ).toEqual([])
      const partner = join(dir, 'acme-hr')
      await step('npm create hrsync-connector', () =>
        run(
          process.execPath,
          [
            join(repo, 'packages/create-hrsync-connector/bin.mjs'),
            'hrsync-connector-acme-hr',
            '--vendor',
            'Acme HR',
            '--auth',
            'bearer',
            '--yes',
            '--hrsync-tarballs',
            tarballs,
          ],
          dir,
        ),
      )
      await step('npm install (the runner from its tarball, the rest from the registry)', () =>
        run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], partner),
      )
      const source = join(partner, 'src/index.ts')
      await step('edit the mapping: the job title from `position`', async () => {
        const text = readFileSync(source, 'utf8')
          .replace(
            '  job_title?: string | null\n',
            '  job_title?: string | null\n  position?: string | null\n',
          )
          .replace(
            'jobTitle: cleanString(record.job_title),',
            'jobTitle: cleanString(record.job_title ?? record.position),',
          )
        writeFileSync(source, text)
      })
      const tested = await step('npm test', () => run('npm', ['test'], partner))
      expect(tested).toMatch(/Tests\s+\d+ passed/)
      const help = await run('npx', ['hrsync', '--help'], partner)
      expect(help).toContain('hrsync plugins add')

      writeFileSync(
        join(partner, 'dev.json'),
        JSON.stringify({ subdomain: 'acme', apiKey: API_KEY, baseUrl: vendorUrl, pageSize: 2 }),
      )
      const dev = await step('npx hrsync dev . --allow-host 127.0.0.1', () =>
        run('npx', ['hrsync', 'dev', '.', '--config', 'dev.json', '--allow-host', '127.0.0.1'], partner),
      )
      expect(dev).toMatch(/2\s+active\s+bo@acme\.example\s+Bo Ng\s+1\s+Ops\s+Lead/)
      expect(dev).toContain('3 people in 2 pages')

      // the fake vendor stands in for production: the released connector declares its host
      writeFileSync(
        source,
        readFileSync(source, 'utf8').replace("allowedHosts: ['", "allowedHosts: ['127.0.0.1', '"),
      )
      const packed = await step(
        'npm pack (builds first)',
        async () => (await run('npm', ['pack', '--silent'], partner)).trim().split('\n').at(-1) as string,
      )

      const env = { HRSYNC_DATA_DIR: join(dir, 'data'), HRSYNC_PORT: '0', HRSYNC_LOG_LEVEL: 'warn' }
      const url = await step('npx hrsync serve (in the operator folder)', async () => {
        serve = spawn('npx', ['hrsync', 'serve'], {
          cwd: operator,
          env: { ...process.env, ...env },
          detached: true,
        })
        let out = ''
        serve.stdout?.on('data', (chunk) => {
          out += chunk
        })
        while (!/admin API on (\S+)/.test(out)) {
          if (serve.exitCode !== null) throw new Error(`hrsync serve exited: ${out}`)
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        return /admin API on (\S+)/.exec(out)?.[1] as string
      })
      // the runner's tarball carries the built console: `/` is its page and the script it loads answers
      const consolePage = await fetch(`${url}/`)
      expect(consolePage.status).toBe(200)
      const page = await consolePage.text()
      expect(page).toBe(readFileSync(join(repo, 'apps/console/dist/index.html'), 'utf8'))
      const script = /<script[^>]* src="([^"]+)"/.exec(page)?.[1]
      expect((await fetch(`${url}${script}`)).status).toBe(200)
      const added = await step('npx hrsync plugins add <tarball> on the running runner', () =>
        run('npx', ['hrsync', 'plugins', 'add', join(partner, packed)], partner, env),
      )
      expect(added).toContain('installed hrsync-connector-acme-hr@0.1.0')
      expect(readdirSync(join(dir, 'data', 'plugins'))).toContain('hrsync-connector-acme-hr@0.1.0')

      const token = readFileSync(join(dir, 'data', 'admin-token'), 'utf8').trim()
      // biome-ignore lint/suspicious/noExplicitAny: response JSON
      const api = async (method: string, path: string, body?: unknown): Promise<any> => {
        const response = await fetch(`${url}${path}`, {
          method,
          // a runner that stops answering fails the step here, with the route it stopped on
          signal: AbortSignal.timeout(60_000),
          headers: {
            authorization: `Bearer ${token}`,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
        return response.json()
      }
      const users = await step('connect through the admin API, sync, read the users', async () => {
        const company = await api('POST', '/api/companies', { name: 'Acme', plan: 'beyond', timeZone: 'UTC' })
        const { integration } = await api('POST', `/api/companies/${company.id}/integrations`, {
          connector: 'acme-hr',
          config: { subdomain: 'acme', apiKey: API_KEY, baseUrl: vendorUrl },
          autoApply: true,
        })
        await api('POST', `/api/integrations/${integration.id}/sync`)
        return (await api('GET', `/api/companies/${company.id}/users`)).users
      })
      expect(users.map((u: { email: string }) => u.email).sort()).toEqual([
        'ada@acme.example',
        'bo@acme.example',
        'cy@acme.example',
      ])
      const health = await api('GET', '/api/health')
      expect(health.plugins.loaded).toContainEqual(
        expect.objectContaining({ id: 'acme-hr', version: '0.1.0', source: 'installed' }),
      )
      // the operator's npm-installed connectors load too, each with its source and version
      const bamboohr = JSON.parse(readFileSync(join(repo, 'connectors/bamboohr/package.json'), 'utf8'))
      expect(health.plugins.loaded).toContainEqual(
        expect.objectContaining({ id: 'bamboohr', version: bamboohr.version, source: 'node_modules' }),
      )
      expect(health.plugins.loaded).toHaveLength(readdirSync(join(repo, 'connectors')).length + 1)
      expect(health.plugins.failed).toEqual([])
    },
  )
})

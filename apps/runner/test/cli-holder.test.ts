import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DataFolderLock, lockDataFolder } from '../src/data-lock.js'

// The built `hrsync` command on a data folder another process holds, whose admin API address
// answers something other than the admin API: nothing at all, a proxy's error page, or a page
// where JSON was expected. The operator reads what happened, without a stack trace.
const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '../dist/cli.js')

function hrsync(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HRSYNC_DATA_DIR: dataDir },
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      },
    )
  })
}

/** An HTTP server answering every request with this status and HTML page. */
async function htmlServer(status: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' }).end('<h1>maintenance</h1>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

let dir: string
let folder: string
let lock: DataFolderLock

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hrsync-cli-holder-'))
  folder = join(dir, 'data')
  mkdirSync(folder)
  lock = lockDataFolder(folder)
})

afterAll(() => {
  lock?.release()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the CLI through the runner holding the data folder', () => {
  it('a holder that does not answer is named, with its pid and address', async () => {
    const { server, url } = await htmlServer(200)
    await new Promise((resolve) => server.close(resolve))
    lock.setUrl(url)
    for (const args of [
      ['sync', 'int_1'],
      ['api-keys', 'list'],
      ['review', 'int_1'],
      ['plugins', 'list'],
    ]) {
      const { code, stdout, stderr } = await hrsync(args, folder)
      expect(code, args.join(' ')).toBe(1)
      expect(stdout).toBe('')
      expect(stderr).toMatch(
        new RegExp(
          `^hrsync: the runner holding ${folder} \\(pid ${process.pid}\\) did not answer at ${url}: `,
        ),
      )
      expect(stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('an error page instead of the API tells the status; a page instead of the run says so', async () => {
    const proxy = await htmlServer(502)
    const page = await htmlServer(200)
    try {
      lock.setUrl(proxy.url)
      expect(await hrsync(['api-keys', 'list'], folder)).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'hrsync: the runner answered 502\n',
      })
      lock.setUrl(page.url)
      const synced = await hrsync(['sync', 'int_1'], folder)
      expect(synced).toMatchObject({ code: 1, stdout: '' })
      // the progress display reads the same page: it skips it and shows nothing
      expect(synced.stderr).toBe('hrsync: the runner answered 200 without the run\n')
    } finally {
      await Promise.all([proxy, page].map(({ server }) => new Promise((resolve) => server.close(resolve))))
    }
  })
})

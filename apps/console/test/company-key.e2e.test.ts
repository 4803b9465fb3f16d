// End to end: the console signed in with a company key (issue 20 §1), in headless Chromium against a
// runner on 127.0.0.1. The key opens its own company only: no company chooser, no other company.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import csv from '@hrsync/connector-csv'
import { type Runner, startRunner } from '@hrsync/runner'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityViolations } from './accessibility.js'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
]
const SHOTS = fileURLToPath(new URL('../../../docs/console/', import.meta.url))

const browserAvailable = existsSync(CHROMIUM)
if (!browserAvailable) {
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: CI installs it when .ci/browser exists`)
  console.warn(`console e2e: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`)
}

describe.skipIf(!browserAvailable)('issue 20 §1: the console signed in with a company key', () => {
  let runner: Runner
  let browser: Browser
  let page: Page
  let dataDir: string
  let acme: { id: string }
  let initech: { id: string }
  let key: { key: string; apiKey: { id: string } }

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${runner.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${runner.adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const answer = await response.json()
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`)
    return answer as T
  }
  const go = (hash: string) => page.goto(`${runner.url}/${hash}`)

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hrsync-console-key-'))
    runner = await startRunner({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      logger: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [csv],
      env: {},
    })
    acme = await api('POST', '/api/companies', {
      name: 'Acme Demo',
      plan: 'beyond',
      timeZone: 'Europe/Copenhagen',
    })
    initech = await api('POST', '/api/companies', {
      name: 'Initech',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    key = await api('POST', '/api/keys', { name: 'Spend app, production', companyId: acme.id })
    for (const [firstName, role] of [
      ['Olivia', 'admin'],
      ['Max', 'member'],
    ] as const) {
      await api('POST', `/api/companies/${acme.id}/users`, {
        email: `${firstName.toLowerCase()}@acme.example.com`,
        firstName,
        lastName: 'Berg',
        role,
        status: 'active',
      })
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })
    page = await context.newPage()
    page.on('dialog', (dialog) => dialog.accept())
  })

  afterAll(async () => {
    await browser?.close()
    await runner?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('signs in with the company key and opens its company, with no chooser and no other company', async () => {
    await go('')
    await page.getByLabel('Admin token or API key').fill(key.key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // straight to its company: the chooser never shows
    await page.getByRole('heading', { name: 'HR systems' }).waitFor()
    expect(page.url()).toContain(`#/c/${acme.id}/integrations`)
    await expect.poll(() => page.getByTestId('company-name').textContent()).toBe('Acme Demo')
    await page
      .getByTestId('company-key')
      .getByText('Signed in with the company key “Spend app, production”')
      .waitFor()
    expect(await page.getByRole('link', { name: 'Switch company' }).count()).toBe(0)
    // the connectors are listed: a company key connects its own HR system
    await page.getByRole('button', { name: 'Connect CSV export' }).waitFor()
    expect(await accessibilityViolations(page)).toEqual([])
    await page.screenshot({
      path: join(SHOTS, 'company-key-sign-in.png'),
      fullPage: true,
      animations: 'disabled',
    })

    // the chooser's address and another company's lead back to its own company
    for (const elsewhere of ['#/', `#/c/${initech.id}/users`]) {
      await go(elsewhere)
      await page.waitForURL(`**/#/c/${acme.id}/integrations`)
      await expect.poll(() => page.getByTestId('company-name').textContent()).toBe('Acme Demo')
    }
    expect(await page.getByText('Initech').count()).toBe(0)
  })

  it('issue 20 §5: an admin changes a role within R17 and deactivates a user ahead of HR from Users', async () => {
    await page.getByRole('link', { name: 'Users' }).click()
    const dialog = page.getByRole('dialog')
    // R17: the last active admin stays admin, and the runner says why
    await page.getByRole('button', { name: 'Access of Olivia Berg' }).click()
    await dialog.getByLabel('Role').selectOption('member')
    await dialog.getByRole('button', { name: 'Change role' }).click()
    await dialog.getByText(/Olivia Berg is the last active admin/).waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()

    await page.getByRole('button', { name: 'Access of Max Berg' }).click()
    await dialog.getByLabel('Role').selectOption('admin')
    await dialog.getByRole('button', { name: 'Change role' }).click()
    await page.getByText('Max Berg is now an admin.').waitFor()
    const max = page.locator('tr[data-email="max@acme.example.com"]')
    await max.getByText('Admin', { exact: true }).waitFor()

    await page.getByRole('button', { name: 'Access of Max Berg' }).click()
    await dialog.getByText('Ahead of HR: they stay deactivated until you invite them again.').waitFor()
    expect(await accessibilityViolations(page)).toEqual([])
    await page.screenshot({ path: join(SHOTS, 'user-access.png'), animations: 'disabled' })
    await dialog.getByRole('button', { name: 'Deactivate now' }).click()
    await page.getByText('Max Berg was deactivated.').waitFor()
    await max.getByText('Deactivated by an admin').waitFor()
    const users = await api<{ users: Array<{ email: string; status: string; role: string }> }>(
      'GET',
      `/api/companies/${acme.id}/users`,
    )
    expect(users.users.find((user) => user.email === 'max@acme.example.com')).toMatchObject({
      status: 'deactivated',
      role: 'admin',
    })
  })

  it('a revoked company key ends the session at its next request', async () => {
    await api('DELETE', `/api/keys/${key.apiKey.id}`)
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByText('Your session ended: sign in again.').waitFor()
    expect(await page.evaluate(() => sessionStorage.getItem('hrsync.adminToken'))).toBeNull()
    await page.getByLabel('Admin token or API key').fill(key.key)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page
      .getByText('This token is not the admin token of this runner. No live API key matches it either.')
      .waitFor()
  })
})

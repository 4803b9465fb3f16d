// End to end: the console in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against a runner on 127.0.0.1. Every page is checked with axe-core and saved as a screenshot in docs/console/.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import csv from '@hrsync/connector-csv'
import deel from '@hrsync/connector-deel'
import entraId from '@hrsync/connector-entra-id'
import eurecia from '@hrsync/connector-eurecia'
import okta from '@hrsync/connector-okta'
import { defineConnector, employee, Secret } from '@hrsync/core'
import { type Runner, startRunner } from '@hrsync/runner'
import { Type } from '@sinclair/typebox'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessibilityViolations } from './accessibility.js'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const DEMO_CSV = fileURLToPath(new URL('../../../examples/demo-org.csv', import.meta.url))
const SHOTS = fileURLToPath(new URL('../../../docs/console/', import.meta.url))
const APP_USERS = [
  { email: 'margit.lindqvist@acme.example.com', firstName: 'Margit', lastName: 'Lindqvist', role: 'admin' },
  { email: 'anna.becker@acme.example.com', firstName: 'Anna', lastName: 'Becker', role: 'admin' },
  { email: 'elif.garcia@acme.example.com', firstName: 'Elif', lastName: 'García' },
  { email: 'david.dubois@acme.example.com', firstName: 'David', lastName: 'Dubois' },
  { email: 'bookkeeper@outside-firm.example.com', firstName: 'Pat', lastName: 'Outside' },
]
/** The people who leave in the mass-removal step: 30 of the export's Operations people. */
const LEAVERS = Array.from({ length: 30 }, (_, i) => `E${1120 + i}`)

/**
 * An HR system that answers slowly: three pages of two people, saying it holds six, each page
 * after the test lets it go — so the page can be seen while a sync runs.
 */
const slowHr = {
  pagesRead: 0,
  /** set when the test ends: the pages left come at once */
  done: false,
  release: () => {},
  connector: defineConnector({
    id: 'slow-hr',
    name: 'Slow HR',
    apiVersion: 1,
    mode: 'pull',
    config: Type.Object({ apiToken: Secret(Type.String({ minLength: 1, title: 'API token' })) }),
    allowedHosts: ['slow-hr.example.com'],
    capabilities: {
      listEmployees: {
        includesTerminated: 'always',
        managerRef: 'remoteId',
        statuses: [],
        incremental: false,
      },
    },
    checkConnection: async () => {},
    async *listEmployees() {
      for (let page = 0; page < 3; page++) {
        const gate = new Promise<void>((resolve) => {
          slowHr.release = resolve
        })
        yield {
          total: 6,
          employees: [0, 1].map((i) =>
            employee({
              remoteId: `S${page * 2 + i}`,
              status: 'active',
              email: `slow${page * 2 + i}@globex.example.com`,
              firstName: 'Sam',
              lastName: `Slow ${page * 2 + i}`,
            }),
          ),
        }
        slowHr.pagesRead = page + 1
        if (!slowHr.done) await gate
      }
    },
  }),
}

const browserAvailable = existsSync(CHROMIUM)
if (!browserAvailable) {
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: CI installs it when .ci/browser exists`)
  console.warn(`console e2e: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`)
}

interface User {
  id: string
  email: string
  status: string
  label: string | null
}

describe.skipIf(!browserAvailable)('admin console in a real browser', () => {
  let runner: Runner
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dataDir: string
  let exportCopy: string
  let acme: { id: string }
  let starter: { id: string }
  let northwind: { id: string }

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${runner.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${runner.adminToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
    const answer = response.status === 204 ? null : await response.json()
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`)
    return answer as T
  }

  const users = async () =>
    (await api<{ users: User[] }>('GET', `/api/companies/${acme.id}/users?limit=500`)).users
  /** Acme's one HR integration. */
  const acmeIntegrationId = async () =>
    (await api<{ integrations: Array<{ id: string }> }>('GET', `/api/companies/${acme.id}`)).integrations[0]!
      .id
  /** Every page the test visits: axe finds nothing serious on it, and it is saved as a screenshot. */
  const shot = async (name: string, fullPage = true, on: Page = page) => {
    expect(await accessibilityViolations(on), `accessibility of ${name}`).toEqual([])
    await on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' })
  }
  const go = async (hash: string) => {
    await page.goto(`${runner.url}/${hash}`)
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hrsync-console-'))
    // the csv connector reads only the runner's import folder, `imports` in its data folder
    exportCopy = join(dataDir, 'runner', 'imports', 'acme-export.csv')
    await mkdir(join(dataDir, 'runner', 'imports'), { recursive: true })
    await writeFile(exportCopy, await readFile(DEMO_CSV, 'utf8'))
    await mkdir(SHOTS, { recursive: true })
    runner = await startRunner({
      dataDir: join(dataDir, 'runner'),
      host: '127.0.0.1',
      port: 0,
      logger: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [csv, deel, entraId, eurecia, okta],
      env: {},
    })
    acme = await api('POST', '/api/companies', {
      name: 'Acme Demo',
      plan: 'beyond',
      timeZone: 'Europe/Copenhagen',
    })
    for (const user of APP_USERS) await api('POST', `/api/companies/${acme.id}/users`, user)
    starter = await api('POST', '/api/companies', {
      name: 'Corner Shop',
      plan: 'starter',
      timeZone: 'Europe/London',
    })
    northwind = await api('POST', '/api/companies', {
      name: 'Northwind',
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })
    page = await context.newPage()
    page.on('dialog', (dialog) => dialog.accept())
  })

  afterAll(async () => {
    await browser?.close()
    await runner?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('asks for the admin token, refuses a wrong one, and takes the #token= link', async () => {
    await go('')
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor()
    await shot('sign-in')
    await page.getByLabel('Admin token').fill('not-the-token')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('This token is not the admin token of this runner.').waitFor()

    await go(`#token=${encodeURIComponent(runner.adminToken)}`)
    await page.getByRole('heading', { name: 'Choose a company' }).waitFor()
    expect(page.url()).not.toContain(runner.adminToken)
    expect(await page.evaluate(() => sessionStorage.getItem('hrsync.adminToken'))).toBe(runner.adminToken)
    await page.getByText('Corner Shop').waitFor()
    await shot('companies')
  })

  it('connects the HR system through the form generated from the connector schema', async () => {
    await page.getByRole('link', { name: /Acme Demo/ }).click()
    await page.getByRole('heading', { name: 'HR systems' }).waitFor()
    await page.getByRole('button', { name: 'Connect CSV export' }).waitFor()
    // by name, not by id: "Microsoft Entra ID" (entra-id) comes after "Eurécia"
    expect(await page.locator('.connector-card strong').allTextContents()).toEqual([
      'CSV export',
      'Deel',
      'Eurécia',
      'Microsoft Entra ID',
      'Okta',
    ])
    await shot('integrations')
    await page.getByRole('button', { name: 'Connect CSV export' }).click()
    // enums become selects with the schema's default; descriptions are the help
    expect(await page.locator('select#field-dateFormat').inputValue()).toBe('YYYY-MM-DD')
    await page.getByText("Name of the CSV export in the runner's import folder (HRSYNC_IMPORT_DIR)").waitFor()

    await page.locator('#field-path').fill('missing.csv')
    await page.getByRole('button', { name: 'Connect CSV export' }).click()
    await page.getByText('The connection check failed').waitFor()
    await page.getByText(/missing\.csv was not found in the import folder/).waitFor()
    await shot('connect-check-failed')

    await page.locator('#field-path').fill('acme-export.csv')
    await page.getByRole('button', { name: 'Connect CSV export' }).click()
    const status = page.getByTestId('integration-status')
    await status.waitFor()
    await status.getByText('First sync in review', { exact: true }).waitFor()
    expect(await page.getByRole('button', { name: 'Sync now' }).count()).toBe(0)
  })

  it('issue 20 §6: shows the first sync planned for review, every change with counts, and applies it once confirmed', async () => {
    const review = page.getByTestId('first-sync-review')
    await review.getByText('The first sync is not planned yet').waitFor()
    await review.getByRole('button', { name: 'Preview' }).click()
    const planned = review.getByTestId('planned-changes')
    await planned.getByText(/^\d{3} people added to Add people$/).waitFor()
    await planned.getByText(/^\d{3} people are new in HR and wait on Add people$/).waitFor()
    expect(await users()).toHaveLength(APP_USERS.length)
    await shot('first-sync-review')

    await review.getByRole('button', { name: 'Confirm and apply' }).click()
    await page.getByText('Sync finished').waitFor()
    const status = page.getByTestId('integration-status')
    await status.getByText('succeeded').waitFor()
    expect(await review.count()).toBe(0)
    await shot('integration-status')
    const linked = (await users()).filter((user) => user.label === 'added via CSV export')
    expect(linked.length).toBeGreaterThan(100)
  })

  it('issue 20 §6: Preview shows what a sync would do now and applies nothing', async () => {
    const before = await users()
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    const preview = page.getByTestId('sync-preview')
    await preview.getByText('No change: everyone is already in step with HR.').waitFor()
    await shot('sync-preview')
    await preview.getByRole('button', { name: 'Close' }).click()
    expect(await preview.count()).toBe(0)
    expect(await users()).toEqual(before)
  })

  it('lists users with labels and flags, filters them, invites two people and accepts one invitation', async () => {
    await page.getByRole('link', { name: 'Users' }).click()
    await page.locator('tr[data-email="anna.becker@acme.example.com"]').waitFor()
    const anna = page.locator('tr[data-email="anna.becker@acme.example.com"]')
    await anna.getByText('Added via CSV export').waitFor()
    await anna.getByText('Managed by HR').waitFor()
    expect(await anna.getByRole('button', { name: /Delete/ }).count()).toBe(0)
    const bookkeeper = page.locator('tr[data-email="bookkeeper@outside-firm.example.com"]')
    await bookkeeper.getByText('Added in the app').waitFor()
    await bookkeeper.getByRole('button', { name: 'Delete Pat Outside' }).waitFor()
    await page.locator('tr[data-email="noor.haddad@acme.example.com"]').getByText('1 Feb 2027').waitFor()
    await shot('users', false)

    await page.getByLabel('Filter by status').selectOption('active')
    await expect.poll(() => page.locator('tbody tr').count()).toBe(5)
    await page.getByLabel('Filter by source').selectOption('app')
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1)
    await page.getByLabel('Filter by status').selectOption('')
    await page.getByLabel('Filter by source').selectOption('')

    // a user added by hand can be deleted here
    await page.getByRole('button', { name: 'Add a user by hand' }).click()
    await page.getByRole('dialog').getByLabel('Email').fill('temp.auditor@outside-firm.example.com')
    await page.getByRole('dialog').getByRole('button', { name: 'Add user' }).click()
    await page.getByText('temp.auditor@outside-firm.example.com was added.').waitFor()
    await page.getByRole('button', { name: 'Delete temp.auditor@outside-firm.example.com' }).click()
    await page.getByText('temp.auditor@outside-firm.example.com was deleted.').waitFor()
    expect((await users()).some((user) => user.email === 'temp.auditor@outside-firm.example.com')).toBe(false)

    await page.getByRole('tab', { name: /Add people/ }).click()
    await page.getByLabel('Select Kaja Olsen').check()
    await page.getByLabel('Select Rosa Nowak').check()
    await page.getByRole('button', { name: 'Invite 2 people' }).click()
    const sent = page.getByTestId('invitations')
    await sent.getByText('2 invitations sent').waitFor()
    await sent
      .locator('li', { hasText: 'kaja.olsen@acme.example.com' })
      .getByRole('button', { name: 'Open invitation link' })
      .click()
    await sent.locator('li', { hasText: 'kaja.olsen@acme.example.com' }).getByText('Accepted').waitFor()
    await shot('add-people', false)
    const after = await users()
    expect(after.find((user) => user.email === 'kaja.olsen@acme.example.com')?.status).toBe('active')
    expect(after.find((user) => user.email === 'rosa.nowak@acme.example.com')?.status).toBe('invited')
  })

  it('is readable on a phone', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const small = await phone.newPage()
    await small.goto(`${runner.url}/#token=${encodeURIComponent(runner.adminToken)}`)
    // the console takes the token from the address once its script runs: wait for that before moving on
    await small.waitForFunction(() => !window.location.hash.includes('token='))
    await small.goto(`${runner.url}/#/c/${acme.id}/users`)
    await small.locator('tr[data-email="kaja.olsen@acme.example.com"]').waitFor()
    const width = await small.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(390)
    await shot('users-phone', false, small)
    await small.getByRole('button', { name: 'Menu' }).click()
    await small.getByRole('link', { name: 'Sync history' }).waitFor()
    await shot('menu-phone', false, small)
    await phone.close()
  })

  it('sets up team sync saying why a manager cannot review, lets a synced team be renamed and nothing more, and stops it', async () => {
    await page.getByRole('link', { name: 'Team sync' }).click()
    await page.getByRole('button', { name: 'Set up team sync' }).click()
    const wizard = page.getByTestId('team-sync-setup')
    await wizard.waitFor()
    await wizard.getByText("Margit Lindqvist's team").first().waitFor()
    // a team whose manager cannot review yet says why, and who reviews instead
    await wizard
      .locator('article', { hasText: "Farid Hansen's team" })
      .getByText('Farid Hansen is not invited yet: Anna Becker is the nearest eligible manager above')
      .waitFor()
    const review = page.getByTestId('unassigned-review')
    await review.getByRole('cell', { name: /Pat Outside/ }).waitFor()
    await page.getByLabel('Reviewer of Unassigned').selectOption({ label: 'Margit Lindqvist' })
    await shot('team-sync-setup')
    await page.getByRole('button', { name: 'Finish setup' }).click()
    await page.getByTestId('read-only-reason').waitFor()
    await page.getByText('move people by changing their manager in CSV export').waitFor()
    await shot('teams')

    // a synced team offers only what team sync allows: its name; Unassigned not even that
    const team = page.locator('article[data-team="Anna Becker\'s team"]')
    await team.getByText('Members and reviewer follow the manager chain in CSV export').waitFor()
    expect(await team.getByRole('button').allTextContents()).toEqual(['Rename'])
    const unassigned = page.locator('article[data-team="Unassigned"]')
    await unassigned.getByText('Who is here follows CSV export; the name stays Unassigned.').waitFor()
    expect(await unassigned.getByRole('button').count()).toBe(0)
    await team.getByRole('button', { name: 'Rename' }).click()
    await team.getByLabel('Team name').fill('Finance')
    await team.getByRole('button', { name: 'Save' }).click()
    const finance = page.locator('article[data-team="Finance"]')
    await finance.getByRole('heading', { name: 'Finance' }).waitFor()
    await shot('team-renamed')
    const teams = (
      await api<{ teams: Array<{ name: string; kind: string; nameOverridden: boolean }> }>(
        'GET',
        `/api/companies/${acme.id}/teams`,
      )
    ).teams
    expect(teams.find((t) => t.name === 'Finance')).toMatchObject({ kind: 'synced', nameOverridden: true })
    expect(teams.filter((t) => t.kind === 'synced').length).toBeGreaterThan(3)

    await page.getByRole('button', { name: 'Stop team sync' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Stop team sync' }).click()
    await page.getByText('Team sync is off.').waitFor()
    const stopped = (await api<{ teams: Array<{ kind: string }> }>('GET', `/api/companies/${acme.id}/teams`))
      .teams
    expect(stopped.every((t) => t.kind === 'ordinary')).toBe(true)
  })

  it('holds a mass removal and applies it once the admin approves', async () => {
    const lines = (await readFile(DEMO_CSV, 'utf8')).split('\n')
    await writeFile(
      exportCopy,
      lines.filter((line) => !LEAVERS.some((id) => line.startsWith(`${id},`))).join('\n'),
    )
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByText('30 removals held for your approval').waitFor()
    await page.getByRole('link', { name: 'See the details' }).click()
    const held = page.getByTestId('held-removals')
    await held.getByText('30 removals waiting for your decision').waitFor()
    await page.getByText(/30 users would lose access or be removed/).waitFor()
    await shot('run-held')
    // issue 20 §7: one person first, then everyone left
    const first = held.getByTestId('held-person').first()
    const firstName = (await first.locator('span').first().textContent()) ?? ''
    await first.getByRole('button', { name: /^Approve the removal of / }).click()
    await page.getByText('Approved: 1 removal applied.').waitFor()
    await held.getByText('29 removals waiting for your decision').waitFor()
    await page
      .getByTestId('held-decided')
      .getByText(/removal approved by key /)
      .waitFor()
    expect(await held.getByText(firstName).count()).toBe(0)
    await shot('run-held-one-decided')
    await held.getByRole('button', { name: 'Approve all 29 removals' }).click()
    await page.getByText('Approved: 29 removals applied.').waitFor()
    await page.getByTestId('held-decided').getByRole('heading', { name: 'Decided (30)' }).waitFor()
    const left = (await users()).filter((user) => user.email.match(/1(2\d|3\d|4\d)@acme/))
    expect(left).toEqual([])

    await page.getByRole('link', { name: 'Sync history' }).click()
    await page.getByText('Approved removals').first().waitFor()
    await page.getByText('Removals held', { exact: true }).waitFor()
    // runs say what started them: the plan reviewed, the first sync after connecting, then Sync now
    const rows = page.locator('tbody tr')
    await rows.last().getByText('First sync, planned for review', { exact: true }).waitFor()
    const firstSync = rows.filter({ has: page.getByText('First sync', { exact: true }) })
    await firstSync.waitFor()
    await rows.nth(2).getByText('Sync now', { exact: true }).waitFor()
    await shot('sync-history')
    // the first sync's warnings, in words, and its changes grouped by kind
    await firstSync.getByRole('link', { name: 'Details' }).click()
    await page.getByRole('heading', { name: /^First sync — / }).waitFor()
    await page.getByRole('heading', { name: /Warnings/ }).waitFor()
    // with team sync off the sync reports no manager loops (they matter only to team sync); the export's
    // person without a work email is reported
    await page
      .getByText(/No work email/)
      .first()
      .waitFor()
    expect(await page.getByText(/Loop in the manager chain/).count()).toBe(0)
    const created = page.getByTestId('changes').locator('details', { hasText: 'wait on Add people' })
    const summary = created.locator('summary')
    expect(await summary.textContent()).toMatch(/^\d{3} people are new in HR and wait on Add people$/)
    const line = created.getByText(
      'Noor Haddad (noor.haddad@acme.example.com) is new in HR and waits on Add people',
    )
    expect(await line.isVisible()).toBe(false)
    await shot('run-warnings')
    await summary.click()
    await line.waitFor()
  })

  it('holds a second mass removal and keeps everyone when the admin rejects it', async () => {
    const kept = await readFile(exportCopy, 'utf8')
    const rejected = Array.from({ length: 30 }, (_, i) => `E${1090 + i}`)
    const before = (await users()).filter((user) => user.status !== 'deactivated').length
    await writeFile(
      exportCopy,
      kept
        .split('\n')
        .filter((line) => !rejected.some((id) => line.startsWith(`${id},`)))
        .join('\n'),
    )
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByText('30 removals held for your approval').waitFor()
    await page.getByRole('link', { name: 'See the details' }).click()
    const held = page.getByTestId('held-removals')
    await held.getByRole('button', { name: 'Reject — keep everyone' }).click()
    await page.getByText(/^Rejected: everyone keeps their access/).waitFor()
    await page.getByTestId('held-decided').getByRole('heading', { name: 'Decided (30)' }).waitFor()
    expect(await held.count()).toBe(0)
    expect((await users()).filter((user) => user.status !== 'deactivated').length).toBe(before)
    // HR is put right: the next sync holds nothing and removes nobody
    await writeFile(exportCopy, kept)
    const { run } = await api<{ run: { status: string; counts: { held: number; removed: number } } }>(
      'POST',
      `/api/integrations/${await acmeIntegrationId()}/sync`,
    )
    expect(run).toMatchObject({ status: 'succeeded', counts: { held: 0, removed: 0 } })
    expect((await users()).filter((user) => user.status !== 'deactivated').length).toBe(before)
  })

  it('marks an integration whose syncs keep failing as needing attention, with the reason, until a sync succeeds', async () => {
    const kept = await readFile(exportCopy, 'utf8')
    // the export loses its email column: every sync fails, and nothing changes for anyone
    await writeFile(exportCopy, kept.replace('employee_id,email,', 'employee_id,mail,'))
    const before = await users()
    const integrationId = await acmeIntegrationId()
    for (let attempt = 0; attempt < 8; attempt++) {
      await fetch(`${runner.url}/api/integrations/${integrationId}/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runner.adminToken}` },
      })
    }
    await page.getByRole('link', { name: 'Sync history' }).click()
    await page.getByRole('link', { name: 'Integrations' }).click()
    const status = page.getByTestId('integration-status')
    await status.getByText('Needs attention', { exact: true }).waitFor()
    await status.getByText('This integration needs attention').waitFor()
    await status.getByText(/email/).first().waitFor()
    await shot('integration-needs-attention')
    expect(await users()).toEqual(before)
    await writeFile(exportCopy, kept)
    await page.getByRole('button', { name: 'Sync now' }).click()
    await status.getByText('Connected', { exact: true }).waitFor()
    expect(await status.getByText('This integration needs attention').count()).toBe(0)
  })

  it('shows a leaver whom HR takes back as returning on Add people, and re-invites them (R10)', async () => {
    const kept = await readFile(exportCopy, 'utf8')
    const integrationId = await acmeIntegrationId()
    const sync = () => api('POST', `/api/integrations/${integrationId}/sync`)
    const david = async () => (await users()).find((user) => user.email === 'david.dubois@acme.example.com')
    expect((await david())?.status).toBe('active')
    // David leaves at the end of January: access goes
    const line = kept.split('\n').find((row) => row.startsWith('E1004,'))!
    await writeFile(exportCopy, kept.replace(line, `${line.replace(',active,', ',terminated,')}2026-01-31`))
    await sync()
    expect((await david())?.status).toBe('deactivated')
    // HR takes him back: the sync does not give access back, Add people offers it
    await writeFile(exportCopy, kept)
    await sync()
    expect((await david())?.status).toBe('deactivated')
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByRole('tab', { name: /Add people/ }).click()
    await page.getByLabel('Search name or email').fill('david.dubois')
    const row = page.locator('tr[data-email="david.dubois@acme.example.com"]')
    await row.getByText('Returning', { exact: true }).waitFor()
    await row.getByText('Can be re-invited').waitFor()
    await shot('add-people-returning')
    await row.getByRole('checkbox', { name: 'Select David Dubois' }).check()
    await page.getByRole('button', { name: 'Invite 1 person' }).click()
    await expect.poll(async () => (await david())?.status).toBe('invited')
  })

  it('previews the disconnect (R7) before the admin confirms it', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click()
    await page.getByRole('button', { name: 'Disconnect' }).click()
    const preview = page.getByTestId('disconnect-preview')
    await preview.waitFor()
    await preview.getByText(/keep\s+access/).waitFor()
    await shot('disconnect-preview')
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect CSV export' }).click()
    await page.getByRole('heading', { name: 'HR systems' }).waitFor()
    const company = await api<{ integrations: Array<{ status: string }> }>('GET', `/api/companies/${acme.id}`)
    expect(company.integrations.map((i) => i.status)).toEqual(['disconnected'])
    const after = await users()
    expect(after.every((user) => user.label === null)).toBe(true)
    expect(after.find((user) => user.email === 'kaja.olsen@acme.example.com')?.status).toBe('active')
    expect(after.some((user) => user.email === 'rosa.nowak@acme.example.com')).toBe(false)
  })

  it('tells a Starter company why it cannot connect and which plan it needs', async () => {
    await go(`#/c/${starter.id}/integrations`)
    const gate = page.getByTestId('plan-gate')
    await gate.waitFor()
    await gate.getByText('Connecting an HR system needs the', { exact: false }).waitFor()
    expect(await page.getByRole('button', { name: /^Connect / }).count()).toBe(0)
    await shot('plan-gate')
  })

  it('shows the SCIM base URL and the token once for a push connector, with rotate', async () => {
    await go(`#/c/${northwind.id}/integrations`)
    await page.getByRole('button', { name: 'Connect Okta' }).click()
    await page.getByText('Nothing to fill in').waitFor()
    await page.getByRole('button', { name: 'Connect Okta' }).click()
    await page.getByTestId('scim-token').waitFor()
    const token = await page.getByTestId('scim-token').textContent()
    expect(token).toMatch(/^hrsync_scim_/)
    expect(await page.getByTestId('scim-base-url').textContent()).toBe(`${runner.url}/scim/v2`)
    await shot('scim')
    await page.getByRole('button', { name: 'Rotate token' }).click()
    // the rotate route may not exist on this runner yet: then the console says so in words
    await expect
      .poll(async () => {
        if (await page.getByText('This runner cannot rotate SCIM tokens yet').count()) return 'refused'
        const now = await page.getByTestId('scim-token').textContent()
        return now !== token && now?.startsWith('hrsync_scim_') ? 'rotated' : 'waiting'
      })
      .not.toBe('waiting')
    await shot('scim-rotate')
  })

  it("issue 24: shows a running sync's progress, people read of how many the HR system holds, until it ends", async () => {
    // a runner of its own, so the slow HR system stays out of the other pages
    const slow = await startRunner({
      inMemory: true,
      host: '127.0.0.1',
      port: 0,
      logger: false,
      scheduler: false,
      discoverPlugins: false,
      connectors: [slowHr.connector],
      env: {},
    })
    const tab = await context.newPage()
    try {
      const call = async (path: string, body: unknown) =>
        (
          await fetch(`${slow.url}${path}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${slow.adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json() as Promise<{ id: string }>
      const globex = await call('/api/companies', {
        name: 'Globex',
        plan: 'advanced',
        timeZone: 'Europe/Paris',
      })
      await call(`/api/companies/${globex.id}/integrations`, {
        connector: 'slow-hr',
        config: { apiToken: 'slow-token-1234' },
        autoApply: true,
      })
      await tab.goto(`${slow.url}/#token=${encodeURIComponent(slow.adminToken)}`)
      await tab.getByRole('heading', { name: 'Choose a company' }).waitFor()
      await tab.goto(`${slow.url}/#/c/${globex.id}/integrations`)
      await tab.getByRole('button', { name: 'Sync now' }).click()
      await expect.poll(() => slowHr.pagesRead).toBe(1)
      const progress = tab.getByTestId('sync-progress')
      await progress.getByText('Reading people from Slow HR: 2 of 6 people so far, 1 page').waitFor()
      expect(await progress.getByRole('progressbar').getAttribute('value')).toBe('2')
      await tab.getByTestId('integration-status').getByText('Syncing', { exact: true }).first().waitFor()
      await shot('integration-syncing', true, tab)
      slowHr.release()
      await progress.getByText('4 of 6 people so far, 2 pages', { exact: false }).waitFor()
      slowHr.release()
      await expect.poll(() => slowHr.pagesRead).toBe(3)
      slowHr.release()
      await tab.getByText('Sync finished').waitFor()
      await expect.poll(() => progress.count()).toBe(0)
    } finally {
      slowHr.done = true
      slowHr.release()
      await tab.close()
      await slow.close()
    }
  })
})

import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import okta from '@hrsync/connector-okta'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Runner, startRunner } from '../src/runner.js'
import { generateKey } from '../src/store/index.js'
import { oktaUser, patch } from './conformance/support.js'
import { dropSchema, freshSchema, POSTGRES_URL, postgresReachable } from './support/databases.js'
import { MemoryHr } from './support/memory-connector.js'
import { API_TOKEN } from './support/runner.js'

// biome-ignore lint/suspicious/noExplicitAny: the app reads the API's JSON field by field
type Json = Record<string, any>

interface Answer {
  status: number
  body: Json
}

/**
 * The test plays a spend app's backend against a runner listening on a port, through HTTP only:
 * its operator key makes companies and company keys; with a company key it registers a webhook
 * endpoint, connects HR, mirrors users and teams from the lists and then from the events alone,
 * and replays the event log to catch up. After each scripted change (HR, SCIM, an admin, a plan
 * downgrade) the mirror must equal what the API lists.
 *
 * On PostgreSQL when it answers (in CI it must); elsewhere on the embedded database, with the notice
 * postgresReachable prints.
 */
const onPostgres = await postgresReachable()

/**
 * The world's clock, shared by the runner and the app: real time plus an offset the test moves
 * forward to let a grace period run out. The app checks webhook signatures' age against it too.
 */
let offsetMs = 0
const clock = () => new Date(Date.now() + offsetMs)
const DAY_MS = 86_400_000

/** The calendar date in a time zone, as the runner reads `keepAccessUntil` (the company's date). */
function dateIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/** A client of the admin API holding one key, optionally naming the app user who acts. */
function apiWith(baseUrl: string, key: string) {
  return async (method: string, path: string, body?: unknown, actingUser?: string): Promise<Answer> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(actingUser ? { 'hrsync-acting-user': actingUser } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} }
  }
}
type Api = ReturnType<typeof apiWith>

/** Checks `X-Hrsync-Signature` on the raw body as docs/integrating-your-app.md says: any v1 matching, t recent. */
function verified(header: string, rawBody: string, secrets: string[], toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((part) => part.split('=', 2) as [string, string])
  const t = Number(parts.find(([name]) => name === 't')?.[1])
  if (!(Math.abs(clock().getTime() / 1000 - t) <= toleranceSeconds)) return false
  const given = parts.filter(([name]) => name === 'v1').map(([, value]) => Buffer.from(value, 'hex'))
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest()
    return given.some((value) => value.length === expected.length && timingSafeEqual(value, expected))
  })
}

/**
 * The app's copy of one company's users and teams. Each resource remembers the id of the event its
 * state came from, so an older state never overwrites a newer one: webhooks and a replay may bring
 * the same event twice, in any interleaving.
 */
class Mirror {
  readonly users = new Map<string, Json>()
  readonly teams = new Map<string, Json>()
  private readonly versions = new Map<string, number>()
  /** the highest event id applied */
  seen = 0
  /** events that lacked the state they promise: the receiver cannot fail a test, so it notes them */
  readonly problems: string[] = []

  /** The lists' rows, read after `cursor` was the newest event: events up to it are older than them. */
  load(users: Json[], teams: Json[], cursor: number): void {
    for (const user of users) this.put(this.users, user.id, user, cursor)
    for (const team of teams) this.put(this.teams, team.id, team, cursor)
  }

  /** An event about a user or a team carries its full state (null once deleted): take it as it is. */
  applyEvent(event: Json): void {
    const { payload } = event
    if (typeof payload.userId === 'string') {
      if (!('user' in payload)) this.problems.push(`${event.type} #${event.id} lacks the user's state`)
      else this.put(this.users, payload.userId, payload.user, event.id)
    }
    if (typeof payload.teamId === 'string') {
      if (!('team' in payload)) this.problems.push(`${event.type} #${event.id} lacks the team's state`)
      else this.put(this.teams, payload.teamId, payload.team, event.id)
    }
    this.seen = Math.max(this.seen, event.id)
  }

  private put(rows: Map<string, Json>, id: string, state: Json | null, eventId: number): void {
    if ((this.versions.get(id) ?? 0) >= eventId) return
    this.versions.set(id, eventId)
    if (state === null) rows.delete(id)
    else rows.set(id, state)
  }
}

/** Every row of a company's users or teams, `limit` at a time, following nextCursor to the end. */
async function listAll(
  api: Api,
  companyId: string,
  list: 'users' | 'teams',
  limit = 2,
): Promise<{ rows: Json[]; pages: number }> {
  const rows: Json[] = []
  let pages = 0
  let cursor: string | null = null
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) })
    const page = await api('GET', `/api/companies/${companyId}/${list}?${query}`)
    expect(page.status, `GET ${list}`).toBe(200)
    expect(page.body[list].length).toBeLessThanOrEqual(limit)
    rows.push(...page.body[list])
    pages++
    cursor = page.body.nextCursor
  } while (cursor)
  return { rows, pages }
}

/** Reads the event log after `after`, a page at a time, handing each event to `apply`; the last id read. */
async function replay(
  api: Api,
  companyId: string,
  after: number,
  apply: (event: Json) => void,
): Promise<number> {
  for (let cursor = after; ; ) {
    // five a page, so that following nextAfter is exercised as much as the lists' cursors
    const page = await api('GET', `/api/companies/${companyId}/events?after=${cursor}&limit=5`)
    expect(page.status).toBe(200)
    if (page.body.events.length === 0) return cursor
    for (const event of page.body.events) apply(event)
    cursor = page.body.nextAfter
  }
}

const byId = (rows: Iterable<Json>) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/**
 * The spend app's backend for one customer company: its company key, its webhook receiver (a local
 * HTTP server) and the mirror the receiver keeps.
 */
class SpendApp {
  readonly mirror = new Mirror()
  readonly api: Api
  /** the webhook endpoint's signing secret, shown once when the endpoint was made */
  secrets: string[] = []
  endpointId = ''
  /** the newest event when the endpoint was made: it is sent every event after this one */
  webhookFrom = 0
  /** deliveries to refuse with a 500, as if the app's own database had hiccuped */
  dropNext = 0
  /** where a replay must start to cover every delivery the app refused */
  replayFrom: number | null = null
  readonly eventTypes: string[] = []
  badSignatures = 0
  private server: Server | null = null
  url = ''

  constructor(
    baseUrl: string,
    readonly companyId: string,
    readonly key: string,
  ) {
    this.api = apiWith(baseUrl, key)
  }

  /** Starts the receiver: verify the signature on the raw body, then apply the event (or refuse it). */
  async listen(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        if (!verified(String(request.headers['x-hrsync-signature'] ?? ''), raw, this.secrets)) {
          this.badSignatures++
          response.statusCode = 401
        } else if (this.dropNext > 0) {
          this.dropNext--
          this.replayFrom = Math.min(this.replayFrom ?? this.mirror.seen, this.mirror.seen)
          response.statusCode = 500
        } else {
          const event = JSON.parse(raw) as Json
          this.eventTypes.push(event.type)
          this.mirror.applyEvent(event)
          response.statusCode = 200
        }
        response.end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/hrsync`
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve))
  }

  /** Registers the receiver for the company's events; keeps the secret, shown only now. */
  async registerWebhook(): Promise<void> {
    const created = await this.api('POST', `/api/companies/${this.companyId}/webhooks`, { url: this.url })
    expect(created.status).toBe(201)
    expect(created.body.secret).toMatch(/^whsec_/)
    this.secrets = [created.body.secret]
    this.endpointId = created.body.endpoint.id
    this.webhookFrom = await replay(this.api, this.companyId, 0, () => {})
  }

  /** The first copy: the newest event id first, then both lists page by page. */
  async buildMirror(): Promise<{ userPages: number; teamPages: number }> {
    const cursor = await replay(this.api, this.companyId, this.webhookFrom, () => {})
    const users = await listAll(this.api, this.companyId, 'users')
    const teams = await listAll(this.api, this.companyId, 'teams')
    this.mirror.load(users.rows, teams.rows, cursor)
    return { userPages: users.pages, teamPages: teams.pages }
  }

  /** Waits until the webhook has brought every event of the log: nothing after the newest one applied. */
  async caughtUp(): Promise<void> {
    await vi.waitFor(
      async () => {
        const rest = await this.api(
          'GET',
          `/api/companies/${this.companyId}/events?after=${Math.max(this.mirror.seen, this.webhookFrom)}`,
        )
        expect(rest.body.events.map((event: Json) => `${event.id} ${event.type}`)).toEqual([])
      },
      { timeout: 20_000, interval: 50 },
    )
  }

  /** The mirror, built from events only, equals what the API lists now, field by field. */
  async expectInStep(step: string): Promise<void> {
    await this.caughtUp()
    const users = await listAll(this.api, this.companyId, 'users')
    const teams = await listAll(this.api, this.companyId, 'teams')
    expect(byId(this.mirror.users.values()), `users after ${step}`).toEqual(byId(users.rows))
    expect(byId(this.mirror.teams.values()), `teams after ${step}`).toEqual(byId(teams.rows))
    expect(this.mirror.problems).toEqual([])
    expect(this.badSignatures).toBe(0)
  }

  user(email: string): Json {
    const found = [...this.mirror.users.values()].find((user) => user.email === email)
    if (!found) throw new Error(`${email} is not in the mirror`)
    return found
  }
}

describe("the spend app's side, end to end", () => {
  const hr = new MemoryHr()
  let runner: Runner
  let schema: string | undefined
  let operator: Api
  const apps: SpendApp[] = []

  beforeAll(async () => {
    schema = onPostgres ? freshSchema() : undefined
    runner = await startRunner({
      ...(onPostgres
        ? {
            databaseUrl: POSTGRES_URL,
            databaseSchema: schema,
            secretKey: generateKey(),
            adminToken: `hrsync_admin_${generateKey()}`,
          }
        : { inMemory: true }),
      host: '127.0.0.1',
      port: 0,
      // the app drives every sync with "sync now"; a SCIM change waits for it too
      scheduler: false,
      scimCoalesceMs: 3_600_000,
      discoverPlugins: false,
      connectors: [hr.connector, okta],
      // the receivers listen on 127.0.0.1 over http, which only an operator's opt-in allows
      webhookEndpoints: { allowPrivate: true, baseBackoffMs: 20, pollMs: 25 },
      logger: false,
      env: {},
      now: clock,
    })
  }, 120_000)
  afterAll(async () => {
    for (const app of apps) await app.close()
    await runner?.close()
    if (schema) await dropSchema(schema)
  })

  /** The app's backend signs up a customer: a company, then a key that opens that company only. */
  async function signUp(name: string): Promise<SpendApp> {
    const company = await operator('POST', '/api/companies', {
      name,
      plan: 'advanced',
      timeZone: 'Europe/Berlin',
    })
    expect(company.status).toBe(201)
    const key = await operator('POST', '/api/keys', {
      name: `spend app for ${name}`,
      companyId: company.body.id,
    })
    expect(key.status).toBe(201)
    expect(key.body.key).toMatch(/^hrsync_co_/)
    const app = new SpendApp(runner.url, company.body.id, key.body.key)
    apps.push(app)
    await app.listen()
    return app
  }

  let acme: SpendApp
  let nordvik: SpendApp
  let integrationId: string
  let scimIntegrationId: string
  /** the identity provider's side: SCIM requests with the token the connection answered once */
  let scim: (method: string, path: string, body: unknown) => Promise<Answer>
  const syncNow = async (app: SpendApp, id: string) => {
    const answer = await app.api('POST', `/api/integrations/${id}/sync`)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    expect(answer.body.run.status).toBe('succeeded')
    return answer.body.run as Json
  }
  /** the invitee follows the accept link the app emailed: no key, the token is the credential */
  const inviteAndAccept = async (app: SpendApp, emails: string[]) => {
    const userIds = emails.map((email) => app.user(email).id)
    const invited = await app.api('POST', `/api/companies/${app.companyId}/invitations`, { userIds })
    expect(invited.status).toBe(201)
    for (const { token } of invited.body.invitations) {
      const accepted = await fetch(`${runner.url}/api/invitations/${token}/accept`, { method: 'POST' })
      expect(accepted.status).toBe(200)
    }
  }

  it('1. an operator key makes the companies and their company keys (each shown once)', async () => {
    const admin = apiWith(runner.url, runner.adminToken)
    const made = await admin('POST', '/api/keys', { name: 'spend app backend' })
    expect(made.status).toBe(201)
    expect(made.body.key).toMatch(/^hrsync_op_/)
    operator = apiWith(runner.url, made.body.key)
    expect((await operator('GET', '/api/me')).body.key.kind).toBe('operator')

    acme = await signUp('Acme')
    nordvik = await signUp('Nordvik')
    const me = await acme.api('GET', '/api/me')
    expect(me.body).toMatchObject({ key: { kind: 'company' }, companyId: acme.companyId })
    const listed = await operator('GET', `/api/keys?companyId=${acme.companyId}`)
    expect(listed.status).toBe(200)
    expect(JSON.stringify(listed.body)).not.toContain(acme.key)
  })

  it('2. with its company key the app registers a webhook, connects HR, confirms the first sync and mirrors by pages', async () => {
    await acme.registerWebhook()
    hr.hire(
      { remoteId: 'ceo' },
      { remoteId: 'ann', managerRemoteId: 'ceo' },
      { remoteId: 'bob', managerRemoteId: 'ann' },
      { remoteId: 'cy', managerRemoteId: 'ann' },
      { remoteId: 'dan', managerRemoteId: 'ceo' },
      { remoteId: 'eve', managerRemoteId: 'dan' },
    )
    const connected = await acme.api('POST', `/api/companies/${acme.companyId}/integrations`, {
      connector: 'memory',
      config: { tenant: 'acme', apiToken: API_TOKEN },
    })
    expect(connected.status).toBe(201)
    expect(connected.body.integration.inReview).toBe(true)
    integrationId = connected.body.integration.id

    // an admin of the customer looks at the plan, then confirms it: only then is anything applied
    const planned = await acme.api('POST', `/api/integrations/${integrationId}/review`)
    expect(planned.status).toBe(200)
    const review = await acme.api('GET', `/api/integrations/${integrationId}/review`)
    expect(review.body).toMatchObject({ inReview: true, run: { dryRun: true, counts: { created: 6 } } })
    const confirmed = await acme.api(
      'POST',
      `/api/integrations/${integrationId}/review/confirm`,
      undefined,
      'spend-admin-1',
    )
    expect(confirmed.status).toBe(200)
    expect(confirmed.body.run).toMatchObject({
      first: true,
      status: 'succeeded',
      actor: { userId: 'spend-admin-1' },
    })

    const { userPages } = await acme.buildMirror()
    expect(userPages).toBeGreaterThanOrEqual(3)
    expect(acme.mirror.users.size).toBe(6)
    await acme.expectInStep('the first sync')
    expect(acme.eventTypes).toContain('integration.review_confirmed')

    await inviteAndAccept(acme, [
      'ceo@acme.test',
      'ann@acme.test',
      'bob@acme.test',
      'dan@acme.test',
      'eve@acme.test',
    ])
    await acme.expectInStep('the invitations')
    expect(acme.user('ann@acme.test').status).toBe('active')
  })

  it('2. team sync: set up through the API, one synced team per manager', async () => {
    const preview = await acme.api('POST', `/api/integrations/${integrationId}/team-sync/preview`)
    expect(preview.status).toBe(200)
    const finished = await acme.api('POST', `/api/integrations/${integrationId}/team-sync/finish`, {
      unassignedReviewerUserId: acme.user('ceo@acme.test').id,
    })
    expect(finished.status, JSON.stringify(finished.body)).toBe(200)
    await acme.expectInStep('team sync setup')
    const synced = [...acme.mirror.teams.values()].filter((team) => team.kind === 'synced')
    expect(synced.length).toBeGreaterThanOrEqual(3)
  })

  it('3. HR hires, renames, changes an email and a manager, and someone leaves; the app follows the events', async () => {
    // one delivery is refused on purpose: the endpoint retries it before the next, the replay covers it too
    acme.dropNext = 1
    hr.hire({ remoteId: 'fay', managerRemoteId: 'dan' })
    hr.update('bob', { firstName: 'Robert' })
    hr.update('cy', { email: 'cyrus@acme.test', managerRemoteId: 'dan' })
    hr.update('eve', {
      status: 'terminated',
      terminationDate: dateIn('Europe/Berlin', new Date(clock().getTime() - DAY_MS)),
    })
    const run = await syncNow(acme, integrationId)
    expect(run.counts.created).toBe(1)
    await acme.expectInStep('HR changes')

    expect(acme.user('fay@acme.test')).toMatchObject({ status: 'uninvited', origin: 'hr' })
    // HR's record is kept beside the user; the name and email the app shows stay the app's own
    expect(acme.user('bob@acme.test').person.firstName).toBe('Robert')
    expect(acme.user('eve@acme.test').status).toBe('deactivated')
    const cy = [...acme.mirror.users.values()].find((user) => user.link?.remoteId === 'cy')!
    const dansTeam = [...acme.mirror.teams.values()].find((team) => team.key === 'dan')!
    expect(dansTeam.memberUserIds).toContain(cy.id)
    expect(cy.flags.hrEmailDiffers).toBe(true)
    expect(cy.person.hrEmail).toBe('cyrus@acme.test')

    // the refused delivery was retried and taken: its attempts say so
    expect(acme.replayFrom).not.toBeNull()
    const log = await acme.api(
      'GET',
      `/api/companies/${acme.companyId}/webhooks/${acme.endpointId}/deliveries?limit=100`,
    )
    const retried = log.body.deliveries.find((delivery: Json) => delivery.attempts > 1)
    expect(retried).toMatchObject({ status: 'delivered', lastStatus: 200 })
    expect(retried.attemptLog[0].status).toBe(500)
  })

  it("3. an admin overrides HR: cuts a linked user's access ahead of HR and makes someone admin", async () => {
    const ceo = acme.user('ceo@acme.test')
    const dan = acme.user('dan@acme.test')
    const cut = await acme.api('PATCH', `/api/users/${dan.id}`, { status: 'deactivated' }, ceo.id)
    expect(cut.status).toBe(200)
    expect(cut.body).toMatchObject({ status: 'deactivated', adminDeactivated: true })
    const promoted = await acme.api(
      'PATCH',
      `/api/users/${acme.user('ann@acme.test').id}`,
      { role: 'admin' },
      ceo.id,
    )
    expect(promoted.body.role).toBe('admin')
    await acme.expectInStep('the admin overrides')
    // Dan reviews his team: without access he cannot, and the team's own event says so
    expect(acme.user('dan@acme.test')).toMatchObject({ adminDeactivated: true, flags: { returning: false } })
    const dansTeam = [...acme.mirror.teams.values()].find((team) => team.key === 'dan')!
    expect(dansTeam).toMatchObject({ reviewerUserId: dan.id, needsReviewer: true })
    expect(acme.eventTypes).toContain('team.reviewer_access_changed')

    // HR still lists Dan as active: the next sync gives no access back
    await syncNow(acme, integrationId)
    await acme.expectInStep('a sync after the overrides')
    expect(acme.user('dan@acme.test')).toMatchObject({ status: 'deactivated', adminDeactivated: true })
  })

  it('3. a leaver keeps access through the grace period, then the first sync after it removes them', async () => {
    const bob = acme.user('bob@acme.test')
    const until = dateIn('Europe/Berlin', new Date(clock().getTime() + 2 * DAY_MS))
    const graced = await acme.api('PATCH', `/api/users/${bob.id}`, { keepAccessUntil: until })
    expect(graced.status, JSON.stringify(graced.body)).toBe(200)
    const yesterday = dateIn('Europe/Berlin', new Date(clock().getTime() - DAY_MS))
    hr.update('bob', { status: 'terminated', terminationDate: yesterday })
    const during = await syncNow(acme, integrationId)
    expect(during.warnings).toContainEqual(expect.objectContaining({ code: 'access_kept_until' }))
    await acme.expectInStep('a sync within the grace period')
    expect(acme.user('bob@acme.test')).toMatchObject({ status: 'active', keepAccessUntil: until })

    offsetMs += 3 * DAY_MS
    await syncNow(acme, integrationId)
    await acme.expectInStep('a sync after the grace period')
    expect(acme.user('bob@acme.test').status).toBe('deactivated')
  })

  it('3. a SCIM burst, Okta-style: users created and changed in parallel reach the mirror', async () => {
    await nordvik.registerWebhook()
    const connected = await nordvik.api('POST', `/api/companies/${nordvik.companyId}/integrations`, {
      connector: 'okta',
      config: {},
    })
    expect(connected.status).toBe(201)
    const { baseUrl, token } = connected.body.scim
    scimIntegrationId = connected.body.integration.id
    scim = async (method, path, body) => {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as Json }
    }
    await nordvik.buildMirror()

    // the identity provider's first push: five people at once
    const created = await Promise.all([1, 2, 3, 4, 5].map((n) => scim('POST', '/Users', oktaUser(n))))
    expect(created.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201])
    await syncNow(nordvik, scimIntegrationId)
    await nordvik.expectInStep('the first SCIM burst')
    expect(nordvik.mirror.users.size).toBe(5)

    // then, at once, a deactivation (PATCH), a profile change (PUT) and one more person (POST)
    const [first, second] = created
    const changed = await Promise.all([
      scim('PATCH', `/Users/${first!.body.id}`, patch({ op: 'replace', value: { active: false } })),
      scim('PUT', `/Users/${second!.body.id}`, {
        ...oktaUser(2),
        name: { givenName: 'Astrid', familyName: 'Berg' },
      }),
      scim('POST', '/Users', oktaUser(6)),
    ])
    expect(changed.map((answer) => answer.status)).toEqual([200, 200, 201])
    await syncNow(nordvik, scimIntegrationId)
    await nordvik.expectInStep('the second SCIM burst')
    expect(nordvik.user('person6@nordvik.test').origin).toBe('hr')
    expect(nordvik.user('person2@nordvik.test').person.firstName).toBe('Astrid')
    // never invited, deactivated by the identity provider: removed, and its event's state is null
    expect(nordvik.eventTypes).toContain('user.removed')
    expect([...nordvik.mirror.users.values()].map((user) => user.email)).not.toContain('person1@nordvik.test')
  })

  it('3. a downgrade pauses syncs and SCIM writes with a clear state; the upgrade resumes both', async () => {
    for (const app of [acme, nordvik]) {
      const down = await operator('PATCH', `/api/companies/${app.companyId}`, { plan: 'essential' })
      expect(down.body).toMatchObject({ plan: 'essential', paused: 'plan' })
      // the plan is the operator's to change, never the company key's
      expect((await app.api('PATCH', `/api/companies/${app.companyId}`, { plan: 'beyond' })).status).toBe(403)
      expect((await app.api('GET', `/api/companies/${app.companyId}`)).body.paused).toBe('plan')
    }
    hr.hire({ remoteId: 'gus', managerRemoteId: 'ann' })
    const refused = await acme.api('POST', `/api/integrations/${integrationId}/sync`)
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'company_paused' } } })
    await acme.expectInStep('the downgrade')
    expect([...acme.mirror.users.values()].some((user) => user.email === 'gus@acme.test')).toBe(false)
    expect(acme.eventTypes).toContain('company.paused')
    // the identity provider is told why its write did not take; its reads go on
    const pausedWrite = await scim('POST', '/Users', oktaUser(7))
    expect(pausedWrite.status).toBe(403)
    expect(pausedWrite.body.detail).toContain('is paused')
    await nordvik.expectInStep('the downgrade')

    for (const app of [acme, nordvik]) {
      const up = await operator('PATCH', `/api/companies/${app.companyId}`, { plan: 'advanced' })
      expect(up.body.paused).toBeNull()
    }
    await syncNow(acme, integrationId)
    await acme.expectInStep('the upgrade')
    expect(acme.user('gus@acme.test').status).toBe('uninvited')
    expect(acme.eventTypes).toContain('company.resumed')
    expect((await scim('POST', '/Users', oktaUser(7))).status).toBe(201)
    await syncNow(nordvik, scimIntegrationId)
    await nordvik.expectInStep('the upgrade')
    expect(nordvik.user('person7@nordvik.test').status).toBe('uninvited')
  })

  it('4. a replay of the event log fills what the webhook never brought, and changes nothing else', async () => {
    // the delivery refused earlier was retried in order: replaying from there finds nothing new
    for (const app of [acme, nordvik]) {
      await app.caughtUp()
      const before = { users: byId(app.mirror.users.values()), teams: byId(app.mirror.teams.values()) }
      await replay(app.api, app.companyId, app.replayFrom ?? 0, (event) => app.mirror.applyEvent(event))
      expect({ users: byId(app.mirror.users.values()), teams: byId(app.mirror.teams.values()) }).toEqual(
        before,
      )
    }

    // the app switches its endpoint off for maintenance: what happens meanwhile is never sent, so
    // after switching it on again the app replays from the last event it applied
    const lastApplied = acme.mirror.seen
    const endpoint = `/api/companies/${acme.companyId}/webhooks/${acme.endpointId}`
    expect((await acme.api('PATCH', endpoint, { enabled: false })).body.enabled).toBe(false)
    hr.hire({ remoteId: 'hal', managerRemoteId: 'ann' })
    hr.update('fay', { lastName: 'Moved', managerRemoteId: 'ann' })
    await syncNow(acme, integrationId)
    expect((await acme.api('PATCH', endpoint, { enabled: true })).body.enabled).toBe(true)
    expect([...acme.mirror.users.values()].map((user) => user.email)).not.toContain('hal@acme.test')

    await replay(acme.api, acme.companyId, lastApplied, (event) => acme.mirror.applyEvent(event))
    await acme.expectInStep('the replay after maintenance')
    expect(acme.user('hal@acme.test').status).toBe('uninvited')
    expect(acme.user('fay@acme.test').person.lastName).toBe('Moved')

    // a mirror built from the events alone, from the first one, is the same too
    const fromScratch = new Mirror()
    await replay(acme.api, acme.companyId, 0, (event) => fromScratch.applyEvent(event))
    expect(byId(fromScratch.users.values())).toEqual(byId(acme.mirror.users.values()))
    expect(byId(fromScratch.teams.values())).toEqual(byId(acme.mirror.teams.values()))
  })

  it("5. another company's key sees nothing of it: 404 on its resources, and its own lists are empty", async () => {
    const globex = await signUp('Globex')
    const user = acme.user('ann@acme.test')
    const team = [...acme.mirror.teams.values()][0]!
    const theirs = `/api/companies/${acme.companyId}`
    for (const path of [
      theirs,
      `${theirs}/users`,
      `${theirs}/users/${user.id}`,
      `${theirs}/teams`,
      `${theirs}/teams/${team.id}`,
      `${theirs}/events`,
      `${theirs}/webhooks`,
      `${theirs}/webhooks/${acme.endpointId}`,
      `/api/integrations/${integrationId}`,
    ]) {
      const answer = await globex.api('GET', path)
      expect(answer.status, path).toBe(404)
      expect(JSON.stringify(answer.body), path).not.toContain('acme.test')
    }
    // its own company's path with Acme's ids in it
    for (const path of [`users/${user.id}`, `teams/${team.id}`, `webhooks/${acme.endpointId}`]) {
      expect((await globex.api('GET', `/api/companies/${globex.companyId}/${path}`)).status, path).toBe(404)
    }
    expect((await globex.api('PATCH', `/api/users/${user.id}`, { role: 'member' })).status).toBe(404)

    const own = `/api/companies/${globex.companyId}`
    expect((await globex.api('GET', '/api/companies')).body.companies.map((c: Json) => c.id)).toEqual([
      globex.companyId,
    ])
    expect((await listAll(globex.api, globex.companyId, 'users')).rows).toEqual([])
    expect((await listAll(globex.api, globex.companyId, 'teams')).rows).toEqual([])
    expect((await globex.api('GET', `${own}/webhooks`)).body.endpoints).toEqual([])
    const events = (await globex.api('GET', `${own}/events?limit=1000`)).body.events as Json[]
    expect(events.every((event) => event.companyId === globex.companyId)).toBe(true)
    expect(JSON.stringify(events)).not.toContain('acme.test')
  })
})

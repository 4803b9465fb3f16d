import entra from '@hrsync/connector-entra-id'
import okta from '@hrsync/connector-okta'
import { type Runner, startRunner } from '../../src/runner.js'

export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User'
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field
export type Json = Record<string, any>

export interface Answer {
  status: number
  headers: Headers
  body: Json
}

/** A company connected to Okta or Entra ID: its SCIM base URL and token, as the connect answer gave them. */
export interface PushCompany {
  companyId: string
  integrationId: string
  baseUrl: string
  token: string
  /** a SCIM request with this company's token (or `token: null` for none) */
  scim(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; contentType?: string; authorization?: string },
  ): Promise<Answer>
}

export interface ScimRunner {
  runner: Runner
  url: string
  /** an admin API request over HTTP */
  admin(method: string, path: string, body?: unknown): Promise<Answer>
  connect(connector: 'okta' | 'entra-id', name: string): Promise<PushCompany>
  /** waits until no SCIM-triggered sync is pending or running */
  settled(): Promise<void>
  close(): Promise<void>
}

async function call(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
  contentType = 'application/json',
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Json) : {} }
}

/** A runner on 127.0.0.1 (port 0, database in memory) with the Okta and Entra ID push connectors. */
export async function scimRunner(options: { coalesceMs?: number } = {}): Promise<ScimRunner> {
  const runner = await startRunner({
    inMemory: true,
    host: '127.0.0.1',
    port: 0,
    scheduler: false,
    discoverPlugins: false,
    connectors: [okta, entra],
    logger: false,
    env: {},
    scimCoalesceMs: options.coalesceMs ?? 50,
  })
  const url = runner.url
  const admin = (method: string, path: string, body?: unknown) =>
    call(`${url}${path}`, method, { authorization: `Bearer ${runner.adminToken}` }, body)
  return {
    runner,
    url,
    admin,
    async connect(connector, name) {
      const company = await admin('POST', '/api/companies', { name, plan: 'advanced', timeZone: 'UTC' })
      if (company.status !== 201) throw new Error(`company not created: ${JSON.stringify(company.body)}`)
      const connected = await admin('POST', `/api/companies/${company.body.id}/integrations`, {
        connector,
        config: {},
      })
      if (connected.status !== 201) throw new Error(`not connected: ${JSON.stringify(connected.body)}`)
      const { baseUrl, token } = connected.body.scim as { baseUrl: string; token: string }
      return {
        companyId: company.body.id,
        integrationId: connected.body.integration.id,
        baseUrl,
        token,
        scim(method, path, body, callOptions = {}) {
          const bearer = callOptions.token === undefined ? token : callOptions.token
          const authorization =
            callOptions.authorization ?? (bearer === null ? undefined : `Bearer ${bearer}`)
          return call(
            `${baseUrl}${path}`,
            method,
            authorization === undefined ? {} : { authorization },
            body,
            callOptions.contentType ?? 'application/scim+json; charset=utf-8',
          )
        },
      }
    },
    settled: () => runner.services.pushSyncs.idle(),
    close: () => runner.close(),
  }
}

export function oktaUser(n: number, extra: Json = {}): Json {
  const userName = `person${n}@nordvik.test`
  return {
    schemas: [CORE, ENTERPRISE],
    userName,
    name: { givenName: `Given${n}`, familyName: `Family${n}` },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `Given${n} Family${n}`,
    locale: 'sv-SE',
    externalId: `00u${String(n).padStart(6, '0')}`,
    groups: [],
    password: 'xT93kq2m',
    active: true,
    [ENTERPRISE]: { employeeNumber: `NV-${1000 + n}`, department: 'Finance' },
    ...extra,
  }
}

export function entraUser(n: number, extra: Json = {}): Json {
  const userName = `user${n}@contoso.test`
  return {
    schemas: [CORE, ENTERPRISE],
    externalId: `3d1f7a52-6c0e-4d7b-9b3a-${String(n).padStart(12, '0')}`,
    userName,
    active: true,
    displayName: `Priya${n} Ng`,
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: `Priya${n} Ng`, familyName: 'Ng', givenName: `Priya${n}` },
    title: null,
    phoneNumbers: null,
    addresses: null,
    roles: [],
    [ENTERPRISE]: { department: 'Treasury', employeeNumber: `C-${4400 + n}` },
    ...extra,
  }
}

export function patch(...operations: Json[]): Json {
  return { schemas: [PATCH_OP], Operations: operations }
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error(`not reached within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/** starting a runner loads the embedded database: slow on a busy machine, so hooks get room */
export const STARTUP_MS = 300_000

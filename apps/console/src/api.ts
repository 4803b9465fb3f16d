// The admin API client: bearer admin token kept in sessionStorage, errors as ApiError with the API's sentence.

import { allTeams, allUsers, createHrsyncClient, HrsyncApiError } from '@hrsync/client'

const TOKEN_KEY = 'hrsync.adminToken'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim())
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}

/** `#token=…` in the address (what `pnpm start` prints): keep it for this tab, then drop it from the address. */
export function takeTokenFromFragment(): boolean {
  const match = /^#token=([^&]+)/.exec(window.location.hash)
  if (!match?.[1]) return false
  setToken(decodeURIComponent(match[1]))
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`)
  return true
}

type Listener = () => void
const unauthorizedListeners = new Set<Listener>()
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

export async function api<T>(method: string, path: string, body?: unknown, token = getToken()): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    })
  } catch {
    throw new ApiError(0, 'unreachable', 'The hrsync runner cannot be reached. Is it running?')
  }
  if (response.status === 204) return undefined as T
  let answer: unknown = null
  try {
    answer = await response.json()
  } catch {
    answer = null
  }
  if (!response.ok) {
    const error = (answer as { error?: { code?: string; message?: string } } | null)?.error
    if (response.status === 401 && !path.startsWith('/api/invitations/')) {
      for (const listener of unauthorizedListeners) listener()
    }
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The runner answered ${response.status} ${response.statusText}`.trim(),
    )
  }
  return answer as T
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return 'Something went wrong'
}

// ---- the admin API's shapes (what the console reads) ----

export type Plan = 'starter' | 'essential' | 'advanced' | 'beyond'

export interface Company {
  id: string
  name: string
  plan: Plan
  timeZone: string
  createdAt?: string
}

export interface CompanyDetail extends Company {
  integrations: Array<{ id: string; connectorId: string; status: 'connected' | 'disconnected' }>
}

export interface JsonSchema {
  type?: string | string[]
  title?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  format?: string
  writeOnly?: boolean
  readOnly?: boolean
  minimum?: number
  maximum?: number
  minLength?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  [key: string]: unknown
}

export interface ConnectorInfo {
  id: string
  name: string
  mode: 'pull' | 'push'
  docsUrl: string | null
  package: string
  version: string
  /** builtin, configured (HRSYNC_PLUGINS), installed (plugins add), workspace or node_modules */
  source: string
  secretKeys: string[]
  configSchema: JsonSchema
}

export interface Integration {
  id: string
  companyId: string
  connectorId: string
  connectorName: string | null
  mode: 'pull' | 'push'
  status: 'connected' | 'disconnected'
  consecutiveFailures: number
  needsAttention: boolean
  attentionReason: string | null
  teamSync: 'off' | 'setup' | 'on'
  lastSyncAt: string | null
  lastSyncStatus: 'succeeded' | 'failed' | null
  nextSyncAt: string | null
  createdAt: string
  disconnectedAt: string | null
  config: Record<string, unknown>
  syncing: boolean
  /** its first sync is planned and waits for an admin to confirm it */
  inReview: boolean
  /** how far the running sync got; null when none runs */
  progress: SyncProgress | null
}

export interface SyncProgress {
  pages: number
  people: number
  /** how many people the HR system says it holds, when it says */
  totalPeople: number | null
  startedAt: string
}

export interface Scim {
  baseUrl: string
  token: string
}

export type UserStatus = 'uninvited' | 'invited' | 'active' | 'deactivated'

export interface PersonRecord {
  status: 'active' | 'leave' | 'pending' | 'terminated'
  hrEmail: string | null
  firstName: string | null
  lastName: string | null
  department: string | null
  jobTitle: string | null
  managerRemoteId: string | null
  startDate: string | null
  terminationDate: string | null
}

export interface User {
  id: string
  companyId: string
  email: string
  firstName: string | null
  lastName: string | null
  status: UserStatus
  role: 'admin' | 'member'
  link: { integrationId: string; remoteId: string } | null
  origin: 'hr' | 'manual'
  person: PersonRecord | null
  label: string | null
  flags: { returning: boolean; leavingOn: string | null; hrEmailDiffers: boolean }
  action: 'invite' | 'reactivate' | null
  /** an admin deactivated them ahead of HR */
  adminDeactivated: boolean
  /** a leaver's grace period: access kept through this date */
  keepAccessUntil: string | null
}

export interface Invitation {
  userId: string
  email: string
  token: string
}

export interface Team {
  id: string
  name: string
  kind: 'ordinary' | 'synced' | 'unassigned'
  key: string | null
  integrationId?: string | null
  nameOverridden: boolean
  reviewerUserId: string | null
  memberUserIds: string[]
  /** no reviewer, or one who no longer has access (e.g. left HR) */
  needsReviewer: boolean
}

export interface PreviewPerson {
  userId: string | null
  remoteId: string | null
  name: string
  email: string | null
}

export interface Warning {
  code: string
  message: string
  remoteIds: string[]
  email?: string
}

export interface TeamSyncPreview {
  teams: Array<{
    key: string
    name: string
    reviewer: PreviewPerson | null
    /** why the reviewer is not the team's manager; null when it is */
    reviewerNote: string | null
    members: PreviewPerson[]
  }>
  unassigned: { members: Array<PreviewPerson & { reason: string | null }>; reviewer: PreviewPerson | null }
  deletes: Array<{ teamId: string; name: string }>
  warnings: Warning[]
}

export type Change = { kind: string; userId?: string; teamId?: string; [key: string]: unknown }

export interface HeldRemoval {
  id: string
  runId: string
  userId: string
  change: Change
  reason: 'mass_removal' | 'admin'
  decision: 'approved' | 'rejected' | null
  decidedAt: string | null
  decidedBy: Actor | null
}

/** Who acted: the admin key, and the app user the app named (Hrsync-Acting-User). */
export interface Actor {
  keyId: string
  userId: string | null
}

/** A new integration's first sync as planned for review; `run` is null until one is planned. */
export interface FirstSyncReview {
  integrationId: string
  inReview: boolean
  run: Run | null
}

export interface RunSummary {
  id: string
  integrationId: string
  companyId: string
  trigger: 'schedule' | 'manual' | 'approval' | 'push' | 'review'
  status: 'succeeded' | 'failed'
  dryRun: boolean
  /** the integration's first sync (dry runs aside): the one after connecting */
  first: boolean
  startedAt: string
  finishedAt: string
  counts: Record<string, number>
  warnings: Warning[]
  failure: string | null
  changeCount?: number
}

export interface Run extends RunSummary {
  changes: Change[]
  held: HeldRemoval[]
}

export interface DisconnectPreview {
  keep: Array<{
    userId: string
    outcome: 'stays_active_unlinked' | 'stays_deactivated' | 'stays_invited_unlinked'
  }>
  remove: Array<{ userId: string; outcome: 'removed' | 'invitation_revoked_removed' }>
  untouched: number
  teamSyncStopped: boolean
}

// ---- lists that answer a page at a time, read whole through @hrsync/client ----

const client = createHrsyncClient({ baseUrl: window.location.origin, token: () => getToken() })

/** The client's errors as the console's: the same sentences, and a 401 signs out. */
async function viaClient<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (!(error instanceof HrsyncApiError)) throw error
    if (error.status === 401) for (const listener of unauthorizedListeners) listener()
    const message = error.status === 0 ? 'The hrsync runner cannot be reached. Is it running?' : error.message
    throw new ApiError(error.status, error.code, message)
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Every user of the company, by email as the console lists them. */
export async function listUsers(companyId: string): Promise<{ users: User[] }> {
  const users = (await viaClient(() => allUsers(client, companyId))) as User[]
  return {
    users: users.sort((a, b) => byText(a.email.toLowerCase(), b.email.toLowerCase()) || byText(a.id, b.id)),
  }
}

const KIND_ORDER = ['ordinary', 'synced', 'unassigned']

/** Every team of the company: ordinary, synced, then Unassigned, each by name. */
export async function listTeams(companyId: string): Promise<{ teams: Team[] }> {
  const teams = (await viaClient(() => allTeams(client, companyId))) as Team[]
  return {
    teams: teams.sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
        byText(a.name.toLowerCase(), b.name.toLowerCase()) ||
        byText(a.id, b.id),
    ),
  }
}

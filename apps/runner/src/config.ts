import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { SyncSettings } from '@hrsync/core'
import type pino from 'pino'
import { type ExtraAllowedHosts, extraAllowedHostsFromEnv } from './plugins/hosts.js'
import { pluginAreaOf } from './plugins/install.js'
import type { AnyConnector } from './plugins/registry.js'

/** Reads "3h", "90m", "45s", "500ms" or a number of milliseconds. */
export function parseDuration(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value)
  if (!match) throw new Error(`"${value}" is not a duration (use e.g. 3h, 90m, 45s or milliseconds)`)
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'ms') as 'ms']
  return Math.round(Number(match[1]) * unit)
}

export const DEFAULT_SYNC_INTERVAL_MS = 3 * 3_600_000

/** Everything the runner reads from its environment; `startRunner` options override each. */
export interface EnvConfig {
  dataDir: string
  databaseUrl?: string
  databaseSchema?: string
  secretKey?: string
  /** a file holding the key, e.g. outside the data folder (HRSYNC_SECRET_KEY_FILE) */
  secretKeyFile?: string
  previousSecretKeys: string[]
  /** the folder csv imports are read from (HRSYNC_IMPORT_DIR, default `<data folder>/imports`) */
  importDir?: string
  adminToken?: string
  host: string
  port: number
  publicUrl?: string
  syncIntervalMs: number
  jitter: number
  /** the most scheduled syncs one runner has in flight at once */
  syncConcurrency: number
  /** no new scheduled sync starts while the runner's resident memory is above this */
  syncMemoryLimitBytes: number
  scheduler: boolean
  queue?: 'pg-boss' | 'local'
  plugins: string[]
  /** hosts added to connectors that accept them (HRSYNC_ALLOWED_HOSTS_<CONNECTOR_ID>) */
  extraAllowedHosts: ExtraAllowedHosts
  webhookUrl?: string
  webhookSecret?: string
  /** company webhook endpoints may use http:// and internal addresses: development and tests only */
  webhookAllowPrivate: boolean
  /** the app's accept page, `{token}` replaced by the invitation token (HRSYNC_INVITE_URL_TEMPLATE) */
  inviteUrlTemplate?: string
  massRemoval?: { minCount: number; ratio: number }
  /** quiet time after a SCIM change before the pushing integration is planned (HRSYNC_SCIM_COALESCE_MS) */
  scimCoalesceMs: number
  logLevel: string
}

/** An accept-page template: an http(s) URL with `{token}` where the invitation token goes. */
export function validInviteTemplate(template: string): boolean {
  if (!template.includes('{token}')) return false
  try {
    return ['http:', 'https:'].includes(new URL(template.replaceAll('{token}', 'token')).protocol)
  } catch {
    // not a URL at all: the caller refuses it with the setting named
    return false
  }
}

/** The folder csv imports are read from: HRSYNC_IMPORT_DIR, else `imports` in the data folder. */
export function importDirOf(config: Pick<EnvConfig, 'importDir' | 'dataDir'>): string {
  return resolve(config.importDir ?? join(config.dataDir, 'imports'))
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
}

/** Plugin names from the optional JSON config file: `{ "plugins": ["@acme/hrsync-connector-x"] }`. */
function pluginsFromFile(file: string | undefined): string[] {
  if (!file) return []
  if (!existsSync(file)) throw new Error(`HRSYNC_CONFIG names ${file}, which does not exist`)
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { plugins?: unknown }
  if (!Array.isArray(parsed.plugins) || !parsed.plugins.every((p) => typeof p === 'string')) {
    throw new Error(`${file}: "plugins" must be a list of package names or folders`)
  }
  return parsed.plugins
}

/** Admin tokens shorter than this are refused at start: the token is the admin API's only lock. */
export const MIN_ADMIN_TOKEN_LENGTH = 32

export function checkAdminToken(token: string): void {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new Error(
      `HRSYNC_ADMIN_TOKEN is ${token.length} characters; use at least ${MIN_ADMIN_TOKEN_LENGTH} random ones ` +
        '(e.g. `openssl rand -base64 32`), or leave it unset on the embedded database to have one generated',
    )
  }
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const optional = (name: string) => (env[name] && env[name] !== '' ? env[name] : undefined)
  const minCount = optional('HRSYNC_MASS_REMOVAL_MIN')
  const ratio = optional('HRSYNC_MASS_REMOVAL_RATIO')
  const queue = optional('HRSYNC_QUEUE')
  if (queue && queue !== 'pg-boss' && queue !== 'local')
    throw new Error('HRSYNC_QUEUE must be pg-boss or local')
  const config: EnvConfig = {
    dataDir: optional('HRSYNC_DATA_DIR') ?? './.hrsync',
    previousSecretKeys: list(env.HRSYNC_SECRET_KEY_PREVIOUS),
    host: optional('HRSYNC_HOST') ?? '127.0.0.1',
    port: Number(optional('HRSYNC_PORT') ?? optional('PORT') ?? 3030),
    syncIntervalMs: parseDuration(optional('HRSYNC_SYNC_INTERVAL') ?? '3h'),
    jitter: Number(optional('HRSYNC_SYNC_JITTER') ?? 0.1),
    syncConcurrency: Number(optional('HRSYNC_SYNC_CONCURRENCY') ?? 200),
    syncMemoryLimitBytes: Number(optional('HRSYNC_SYNC_MEMORY_MB') ?? 768) * 1024 * 1024,
    scheduler: (optional('HRSYNC_SCHEDULER') ?? 'on') !== 'off',
    plugins: [...list(env.HRSYNC_PLUGINS), ...pluginsFromFile(optional('HRSYNC_CONFIG'))],
    extraAllowedHosts: extraAllowedHostsFromEnv(env),
    scimCoalesceMs: Number(optional('HRSYNC_SCIM_COALESCE_MS') ?? 300),
    logLevel: optional('HRSYNC_LOG_LEVEL') ?? 'info',
    webhookAllowPrivate: optional('HRSYNC_WEBHOOK_ALLOW_PRIVATE') === 'true',
  }
  const set = <K extends keyof EnvConfig>(key: K, value: EnvConfig[K] | undefined) => {
    if (value !== undefined) config[key] = value
  }
  set('databaseUrl', optional('DATABASE_URL'))
  set('databaseSchema', optional('HRSYNC_DATABASE_SCHEMA'))
  set('secretKey', optional('HRSYNC_SECRET_KEY'))
  set('secretKeyFile', optional('HRSYNC_SECRET_KEY_FILE'))
  set('importDir', optional('HRSYNC_IMPORT_DIR'))
  set('adminToken', optional('HRSYNC_ADMIN_TOKEN'))
  set('publicUrl', optional('HRSYNC_PUBLIC_URL'))
  set('queue', queue as EnvConfig['queue'])
  set('webhookUrl', optional('HRSYNC_WEBHOOK_URL'))
  set('webhookSecret', optional('HRSYNC_WEBHOOK_SECRET'))
  set('inviteUrlTemplate', optional('HRSYNC_INVITE_URL_TEMPLATE'))
  if (minCount || ratio) set('massRemoval', { minCount: Number(minCount ?? 3), ratio: Number(ratio ?? 0.2) })
  if (config.inviteUrlTemplate !== undefined && !validInviteTemplate(config.inviteUrlTemplate))
    throw new Error('HRSYNC_INVITE_URL_TEMPLATE must be an http(s) URL containing {token}')
  if (!Number.isFinite(config.port)) throw new Error('HRSYNC_PORT must be a number')
  if (!(Number.isInteger(config.syncConcurrency) && config.syncConcurrency >= 1))
    throw new Error('HRSYNC_SYNC_CONCURRENCY must be a whole number of syncs, 1 or more')
  if (!(Number.isFinite(config.syncMemoryLimitBytes) && config.syncMemoryLimitBytes > 0))
    throw new Error('HRSYNC_SYNC_MEMORY_MB must be a number of megabytes above 0')
  if (!(Number.isFinite(config.scimCoalesceMs) && config.scimCoalesceMs >= 0))
    throw new Error('HRSYNC_SCIM_COALESCE_MS must be a number of milliseconds')
  if (!(config.jitter >= 0 && config.jitter < 1))
    throw new Error('HRSYNC_SYNC_JITTER must be between 0 and 1')
  return config
}

/** What `startRunner` may be given; each option left out is read from the environment (`readEnv`). */
export interface RunnerOptions {
  /** folder of the embedded database, secret.key and admin-token (HRSYNC_DATA_DIR, default ./.hrsync) */
  dataDir?: string
  /** PostgreSQL instead of the embedded database (DATABASE_URL) */
  databaseUrl?: string
  /** PostgreSQL schema to use, created when missing (HRSYNC_DATABASE_SCHEMA) */
  databaseSchema?: string
  /** an embedded database in memory: nothing is written to disk (tests, demos) */
  inMemory?: boolean
  /** base64 of 32 bytes (HRSYNC_SECRET_KEY); generated into the data folder on the embedded default */
  secretKey?: string
  /** a file holding the key (HRSYNC_SECRET_KEY_FILE); older keys in `<file>.previous` */
  secretKeyFile?: string
  /** the only folder csv imports are read from (HRSYNC_IMPORT_DIR, default `<data folder>/imports`) */
  importDir?: string
  previousSecretKeys?: string[]
  /** the bearer token of the admin API (HRSYNC_ADMIN_TOKEN); generated on the embedded default */
  adminToken?: string
  host?: string
  /** 0 picks a free port */
  port?: number
  /** false: build everything but do not listen (use `services.app.inject`) */
  listen?: boolean
  publicUrl?: string
  syncIntervalMs?: number
  jitter?: number
  /** run scheduled syncs (default true) */
  scheduler?: boolean
  /** the most scheduled syncs this runner has in flight at once (HRSYNC_SYNC_CONCURRENCY, default 200) */
  syncConcurrency?: number
  /** how often the scheduler looks for due integrations (default: a minute, or a quarter of the interval) */
  schedulerTickMs?: number
  /** pg-boss (PostgreSQL only; the default there) or the in-process scheduler */
  queue?: 'pg-boss' | 'local'
  /** plugin package names or folders to load besides the installed ones (HRSYNC_PLUGINS) */
  plugins?: string[]
  /** scan installed packages and the workspace for plugins (default true) */
  discoverPlugins?: boolean
  /** connectors given directly, e.g. by tests or an embedding app */
  connectors?: AnyConnector[]
  /**
   * hosts added to the allowedHosts of connectors whose vendor gives each customer its own API root, by
   * connector id, e.g. `{ fourth: ['api.example.com'] }` (HRSYNC_ALLOWED_HOSTS_<CONNECTOR_ID>)
   */
  extraAllowedHosts?: ExtraAllowedHosts
  /** the app's accept page for invitations, `{token}` replaced (HRSYNC_INVITE_URL_TEMPLATE) */
  inviteUrlTemplate?: string
  webhook?: WebhookSettings
  /** the delivery of companies' webhook endpoints; allowPrivate: HRSYNC_WEBHOOK_ALLOW_PRIVATE */
  webhookEndpoints?: { allowPrivate?: boolean; baseBackoffMs?: number; maxAttempts?: number; pollMs?: number }
  massRemoval?: SyncSettings['massRemoval']
  /** quiet time after a SCIM change before the pushing integration is planned (HRSYNC_SCIM_COALESCE_MS, default 300) */
  scimCoalesceMs?: number
  /** a pino logger, a level name, or false for silence */
  logger?: pino.Logger | string | false
  now?: () => Date
  /** read options not given here from this environment (default process.env) */
  env?: NodeJS.ProcessEnv
}

/** The app's webhook: every event is posted to `url`, signed with `secret`. */
export interface WebhookSettings {
  url: string
  secret: string
  baseBackoffMs?: number
  maxBackoffMs?: number
  pollMs?: number
}

/**
 * Everything the runner starts from, with each option, environment variable and default already
 * weighed (an option beats the environment, which beats the default) and checked. `startRunner`
 * reads only this, so a setting has one place where its value is decided.
 */
export interface RunnerConfig {
  /** absolute */
  dataDir: string
  database: {
    /** PostgreSQL; undefined on the embedded database */
    url: string | undefined
    schema: string | undefined
    /** the embedded database: one process per data folder, admin token and key may be generated */
    embedded: boolean
    inMemory: boolean
  }
  /** absolute: the only folder connectors may read files from */
  importDir: string
  /** where `hrsync plugins add` installs connectors */
  pluginArea: string
  secretKeys: { key: string | undefined; keyFile: string | undefined; previous: string[] }
  /** undefined: generated (embedded database only) */
  adminToken: string | undefined
  /** publicUrl undefined: the address listened on */
  server: { listen: boolean; host: string; port: number; publicUrl: string | undefined }
  inviteUrlTemplate: string | undefined
  /** massRemoval undefined: the default guard of @hrsync/core */
  sync: { intervalMs: number; jitter: number; massRemoval: SyncSettings['massRemoval'] | undefined }
  /** null: no scheduled syncs on this runner */
  scheduler: {
    queue: 'pg-boss' | 'local'
    tickMs: number
    concurrency: number
    memoryLimitBytes: number
  } | null
  plugins: {
    configured: string[]
    builtin: AnyConnector[]
    discover: boolean
    extraAllowedHosts: ExtraAllowedHosts
  }
  /** undefined: no app webhook */
  webhook: WebhookSettings | undefined
  webhookEndpoints: { allowPrivate: boolean; baseBackoffMs?: number; maxAttempts?: number; pollMs?: number }
  scimCoalesceMs: number
  /** a pino logger, a level name, or false for silence */
  logger: pino.Logger | string | false
  now: () => Date
}

/**
 * Weighs `startRunner`'s options against the environment and the defaults, once, and checks the
 * result: a wrong setting throws here, before anything is opened.
 */
export function resolveConfig(options: RunnerOptions, environment: NodeJS.ProcessEnv): RunnerConfig {
  const env = readEnv(environment)
  const inviteUrlTemplate = inviteTemplateOf(options, env)
  const database = databaseOf(options, env)
  const adminToken = adminTokenOf(options, env, database.embedded)
  const webhook = webhookOf(options, env)
  const dataDir = resolve(options.dataDir ?? env.dataDir)
  const sync = {
    intervalMs: options.syncIntervalMs ?? env.syncIntervalMs,
    jitter: options.jitter ?? env.jitter,
    massRemoval: options.massRemoval ?? env.massRemoval,
  }
  return {
    dataDir,
    database,
    importDir: importDirOf({ importDir: options.importDir ?? env.importDir, dataDir }),
    pluginArea: pluginAreaOf(dataDir),
    secretKeys: secretKeysOf(options, env, database.inMemory),
    adminToken,
    server: {
      listen: options.listen ?? true,
      host: options.host ?? env.host,
      port: options.port ?? env.port,
      publicUrl: options.publicUrl ?? env.publicUrl,
    },
    inviteUrlTemplate,
    sync,
    scheduler: schedulerOf(options, env, database.embedded, sync.intervalMs),
    plugins: {
      configured: options.plugins ?? env.plugins,
      builtin: options.connectors ?? [],
      discover: options.discoverPlugins ?? true,
      extraAllowedHosts: options.extraAllowedHosts ?? env.extraAllowedHosts,
    },
    webhook,
    webhookEndpoints: {
      ...options.webhookEndpoints,
      allowPrivate: options.webhookEndpoints?.allowPrivate ?? env.webhookAllowPrivate,
    },
    scimCoalesceMs: options.scimCoalesceMs ?? env.scimCoalesceMs,
    logger: options.logger ?? env.logLevel,
    now: options.now ?? (() => new Date()),
  }
}

function databaseOf(options: RunnerOptions, env: EnvConfig): RunnerConfig['database'] {
  const url = options.databaseUrl ?? env.databaseUrl
  return {
    url,
    schema: options.databaseSchema ?? env.databaseSchema,
    embedded: !url,
    inMemory: options.inMemory ?? false,
  }
}

function secretKeysOf(options: RunnerOptions, env: EnvConfig, inMemory: boolean): RunnerConfig['secretKeys'] {
  // in memory nothing sealed outlives the process: a fresh key each start will do
  const key =
    options.secretKey ?? env.secretKey ?? (inMemory ? randomBytes(32).toString('base64') : undefined)
  return {
    key,
    keyFile: options.secretKeyFile ?? env.secretKeyFile,
    previous: options.previousSecretKeys ?? env.previousSecretKeys,
  }
}

function adminTokenOf(options: RunnerOptions, env: EnvConfig, embedded: boolean): string | undefined {
  const token = options.adminToken ?? env.adminToken
  if (token) checkAdminToken(token)
  else if (!embedded) throw new Error('HRSYNC_ADMIN_TOKEN is required with DATABASE_URL')
  return token || undefined
}

function inviteTemplateOf(options: RunnerOptions, env: EnvConfig): string | undefined {
  const template = options.inviteUrlTemplate ?? env.inviteUrlTemplate
  if (template !== undefined && !validInviteTemplate(template))
    throw new Error('inviteUrlTemplate must be an http(s) URL containing {token}')
  return template
}

function webhookOf(options: RunnerOptions, env: EnvConfig): WebhookSettings | undefined {
  const webhook =
    options.webhook ?? (env.webhookUrl ? { url: env.webhookUrl, secret: env.webhookSecret ?? '' } : undefined)
  if (webhook && !webhook.secret) throw new Error('HRSYNC_WEBHOOK_SECRET is required with HRSYNC_WEBHOOK_URL')
  return webhook
}

/** The scheduler's settings; pg-boss is the default queue on PostgreSQL and needs it. */
function schedulerOf(
  options: RunnerOptions,
  env: EnvConfig,
  embedded: boolean,
  intervalMs: number,
): RunnerConfig['scheduler'] {
  if (!(options.scheduler ?? env.scheduler)) return null
  const queue = options.queue ?? env.queue ?? (embedded ? 'local' : 'pg-boss')
  if (queue === 'pg-boss' && embedded) throw new Error('HRSYNC_QUEUE=pg-boss needs DATABASE_URL (PostgreSQL)')
  return {
    queue,
    tickMs: options.schedulerTickMs ?? Math.min(60_000, Math.max(100, Math.floor(intervalMs / 4))),
    concurrency: options.syncConcurrency ?? env.syncConcurrency,
    memoryLimitBytes: env.syncMemoryLimitBytes,
  }
}

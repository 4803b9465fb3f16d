import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type ExtraAllowedHosts, extraAllowedHostsFromEnv } from './plugins/hosts.js'

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
  logLevel: string
}

/** An accept-page template: an http(s) URL with `{token}` where the invitation token goes. */
export function validInviteTemplate(template: string): boolean {
  if (!template.includes('{token}')) return false
  try {
    return ['http:', 'https:'].includes(new URL(template.replaceAll('{token}', 'token')).protocol)
  } catch {
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
  if (!(config.jitter >= 0 && config.jitter < 1))
    throw new Error('HRSYNC_SYNC_JITTER must be between 0 and 1')
  return config
}

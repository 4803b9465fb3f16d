import { randomBytes } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import type { SyncSettings } from '@hrsync/core'
import type { FastifyInstance } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type pino from 'pino'
import { buildApi } from './api/server.js'
import { checkAdminToken, importDirOf, readEnv, validInviteTemplate } from './config.js'
import type { RunnerContext } from './context.js'
import { type DataFolderLock, lockDataFolder } from './data-lock.js'
import { EndpointDispatcher } from './events/endpoints.js'
import { EventLog } from './events/log.js'
import { withResourceState } from './events/state.js'
import { WebhookDispatcher } from './events/webhook.js'
import { createLogger, toCoreLogger } from './logger.js'
import { type ExtraAllowedHosts, withExtraAllowedHosts } from './plugins/hosts.js'
import { type AnyConnector, type ConnectorRegistry, loadPlugins, pluginAreaOf } from './plugins/index.js'
import { PushSyncs } from './scim/push.js'
import { SqlScimStore } from './scim/store.js'
import { ScimTokenCache } from './scim/tokens.js'
import {
  createSecretBox,
  type Database,
  defaultKeyFile,
  loadKeyRing,
  openDatabase,
  resealConfigs,
  resealWebhookSecrets,
  sealedConfigCount,
} from './store/index.js'
import { IntegrationLocks } from './sync/lock.js'
import { Scheduler } from './sync/scheduler.js'
import { SyncService } from './sync/service.js'

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
  webhook?: { url: string; secret: string; baseBackoffMs?: number; maxBackoffMs?: number; pollMs?: number }
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

export interface RunnerServices extends RunnerContext {
  app: FastifyInstance
  scheduler: Scheduler | null
  webhook: WebhookDispatcher | null
  webhookEndpoints: EndpointDispatcher
  boss: PgBoss | null
  registry: ConnectorRegistry
  db: Database
  /** the SCIM users of push integrations */
  scimStore: SqlScimStore
  /** the syncs SCIM changes schedule; `idle()` waits for them */
  pushSyncs: PushSyncs
}

export interface Runner {
  /** where the admin API listens (empty when `listen: false`) */
  url: string
  adminToken: string
  /** true when the admin token was generated now: show it to the operator once */
  adminTokenGenerated: boolean
  services: RunnerServices
  close(): Promise<void>
}

/** A port free right now on `host`, so the SCIM base URL is known before the API listens. */
function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function coalesceMs(value: string | undefined): number {
  if (value === undefined || value === '') return 300
  const ms = Number(value)
  if (!Number.isFinite(ms) || ms < 0)
    throw new Error('HRSYNC_SCIM_COALESCE_MS must be a number of milliseconds')
  return ms
}

function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false }
  const value = make()
  writeFileSync(file, `${value}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return { value, created: true }
}

/**
 * Starts the runner: database, plugins, sync service, scheduler, webhook and the admin API. An
 * embedded data folder is locked for this process first: a second process on it is refused.
 */
export async function startRunner(options: RunnerOptions = {}): Promise<Runner> {
  const folderLock = lockEmbeddedFolder(options)
  try {
    return await start(options, folderLock)
  } catch (error) {
    folderLock?.release()
    throw error
  }
}

/** The embedded data folder, locked; null in memory and on PostgreSQL, which replicas share. */
function lockEmbeddedFolder(options: RunnerOptions): DataFolderLock | null {
  const env = readEnv(options.env ?? process.env)
  if (options.databaseUrl ?? env.databaseUrl ?? options.inMemory) return null
  const dataDir = resolve(options.dataDir ?? env.dataDir)
  mkdirSync(dataDir, { recursive: true })
  return lockDataFolder(dataDir)
}

async function start(options: RunnerOptions, folderLock: DataFolderLock | null): Promise<Runner> {
  const env = readEnv(options.env ?? process.env)
  const inviteTemplate = options.inviteUrlTemplate ?? env.inviteUrlTemplate
  if (inviteTemplate !== undefined && !validInviteTemplate(inviteTemplate))
    throw new Error('inviteUrlTemplate must be an http(s) URL containing {token}')
  const databaseUrl = options.databaseUrl ?? env.databaseUrl
  const embedded = !databaseUrl
  const inMemory = options.inMemory ?? false
  const dataDir = resolve(options.dataDir ?? env.dataDir)
  if (embedded && !inMemory) mkdirSync(dataDir, { recursive: true })
  const importDir = importDirOf({ importDir: options.importDir ?? env.importDir, dataDir })
  // the embedded default makes its import folder; elsewhere the operator provides it
  if (embedded && !inMemory) mkdirSync(importDir, { recursive: true, mode: 0o700 })

  const log =
    options.logger === false
      ? createLogger('silent')
      : typeof options.logger === 'object'
        ? options.logger
        : createLogger(options.logger ?? env.logLevel)
  const logger = toCoreLogger(log)

  // the key is looked for once the database is open: a key file is only made when no config is sealed
  const openSecretBox = async (db: Database, events: EventLog) => {
    const keys = await loadKeyRing({
      key: options.secretKey ?? env.secretKey ?? (inMemory ? randomBytes(32).toString('base64') : undefined),
      keyFile: options.secretKeyFile ?? env.secretKeyFile,
      previous: options.previousSecretKeys ?? env.previousSecretKeys,
      defaultFile: embedded ? defaultKeyFile(dataDir) : null,
      mayCreate: embedded,
      sealedCount: () => sealedConfigCount(db),
    })
    if (keys.created) logger.info('created a new secret key', { file: keys.file })
    const box = createSecretBox(keys.current, keys.previous)
    const reseal = await db.transaction(async (tx) => {
      const outcome = await resealConfigs(tx, box)
      const secrets = await resealWebhookSecrets(tx, box)
      if (secrets.resealed > 0)
        logger.info('re-encrypted webhook endpoint secrets with the current key', { count: secrets.resealed })
      if (secrets.unreadable > 0)
        logger.warn('webhook endpoint secrets wait for their secret key', { count: secrets.unreadable })
      await events.append(
        tx,
        outcome.flagged.map(({ id, companyId, reason }) => ({
          companyId,
          integrationId: id,
          type: 'integration.needs_attention',
          payload: { reason },
        })),
      )
      return outcome
    })
    events.committed()
    if (reseal.resealed > 0)
      logger.info('re-encrypted integration configs with the current key', { count: reseal.resealed })
    // the rest serve: each integration whose config cannot be unsealed waits for its key
    for (const { id, reason } of reseal.flagged)
      logger.error('integration config cannot be unsealed: it needs attention', { integrationId: id, reason })
    if (reseal.unreadable > 0)
      logger.warn('integrations wait for their secret key', { count: reseal.unreadable })
    return box
  }

  let adminToken = options.adminToken ?? env.adminToken
  if (adminToken) checkAdminToken(adminToken)
  let adminTokenGenerated = false
  if (!adminToken) {
    if (!embedded) throw new Error('HRSYNC_ADMIN_TOKEN is required with DATABASE_URL')
    const make = () => `hrsync_admin_${randomBytes(24).toString('base64url')}`
    const token = inMemory
      ? { value: make(), created: true }
      : readOrCreate(join(dataDir, 'admin-token'), make)
    adminToken = token.value
    adminTokenGenerated = token.created
  }

  const db = await openDatabase({
    databaseUrl,
    schema: options.databaseSchema ?? env.databaseSchema,
    dataDir,
    inMemory,
  })
  const webhookConfig =
    options.webhook ?? (env.webhookUrl ? { url: env.webhookUrl, secret: env.webhookSecret ?? '' } : undefined)
  const events = new EventLog(webhookConfig !== undefined)
  const box = await openSecretBox(db, events).catch(async (error: unknown) => {
    await db.close()
    throw error
  })

  const loaded = await loadPlugins({
    configured: options.plugins ?? env.plugins,
    builtin: options.connectors ?? [],
    discover: options.discoverPlugins ?? true,
    pluginArea: pluginAreaOf(dataDir),
    onFailure: (failure) => logger.warn('connector plugin not loaded', { ...failure }),
  })
  let registry: ConnectorRegistry
  try {
    registry = withExtraAllowedHosts(loaded, options.extraAllowedHosts ?? env.extraAllowedHosts)
  } catch (error) {
    await db.close()
    throw error
  }

  if (webhookConfig && !webhookConfig.secret)
    throw new Error('HRSYNC_WEBHOOK_SECRET is required with HRSYNC_WEBHOOK_URL')
  const locks = new IntegrationLocks(db)
  const now = options.now ?? (() => new Date())
  const intervalMs = options.syncIntervalMs ?? env.syncIntervalMs
  const sync = new SyncService({
    db,
    box,
    registry,
    events,
    locks,
    intervalMs,
    jitter: options.jitter ?? env.jitter,
    logger,
    now,
    importDir,
    ...((options.massRemoval ?? env.massRemoval)
      ? { massRemoval: (options.massRemoval ?? env.massRemoval)! }
      : {}),
  })

  let url = ''
  const context: RunnerContext = {
    db,
    scimTokens: new ScimTokenCache(db),
    box,
    registry,
    events,
    locks,
    sync,
    logger,
    now,
    importDir,
    pluginArea: pluginAreaOf(dataDir),
    webhookAllowPrivate: options.webhookEndpoints?.allowPrivate ?? env.webhookAllowPrivate,
    publicUrl: () => options.publicUrl ?? env.publicUrl ?? url,
    inviteUrl: (token) => inviteTemplate?.replaceAll('{token}', encodeURIComponent(token)) ?? null,
  }
  events.enrichWith((q, appended) => withResourceState(context, q, appended))

  const listen = options.listen ?? true
  const host = options.host ?? env.host
  let port = options.port ?? env.port
  // the SCIM base URL goes into every resource's meta.location, so the address is known before
  // listening: with port 0, a free port is picked now
  if (listen && !(options.publicUrl ?? env.publicUrl)) {
    if (port === 0) port = await freePort(host)
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  }
  const scimStore = new SqlScimStore(db, now)
  const pushSyncs = new PushSyncs({
    sync,
    logger,
    coalesceMs: options.scimCoalesceMs ?? coalesceMs((options.env ?? process.env).HRSYNC_SCIM_COALESCE_MS),
  })
  const app = await buildApi(context, {
    adminToken,
    logger: options.logger === false ? false : log,
    scim: {
      store: scimStore,
      authenticate: (token) => context.scimTokens.lookup(token),
      onChange: (integrationId) => pushSyncs.changed(integrationId),
      baseUrl: `${context.publicUrl()}/scim/v2`,
    },
  })

  let boss: PgBoss | null = null
  let scheduler: Scheduler | null = null
  const schedulerOn = options.scheduler ?? env.scheduler
  if (schedulerOn) {
    const queue = options.queue ?? env.queue ?? (embedded ? 'local' : 'pg-boss')
    if (queue === 'pg-boss') {
      if (embedded) throw new Error('HRSYNC_QUEUE=pg-boss needs DATABASE_URL (PostgreSQL)')
      const { PgBoss } = await import('pg-boss')
      const schema = options.databaseSchema ?? env.databaseSchema
      boss = new PgBoss({
        connectionString: databaseUrl,
        schema: schema ? `${schema}_boss` : 'pgboss',
        // pg-boss hands its options to its pg pool: as in openPostgres, a connection cut as it
        // opens must find an 'error' listener, or the process ends
        ...{ onConnect: (client: EventEmitter) => client.on('error', () => {}) },
      })
      boss.on('error', (error) => logger.error('pg-boss error', { error: error.message }))
      await boss.start()
    }
    scheduler = new Scheduler(context, {
      intervalMs,
      tickMs: options.schedulerTickMs ?? Math.min(60_000, Math.max(100, Math.floor(intervalMs / 4))),
      concurrency: options.syncConcurrency ?? env.syncConcurrency,
      memoryLimitBytes: env.syncMemoryLimitBytes,
      boss,
    })
  }
  let webhook: WebhookDispatcher | null = null
  if (webhookConfig) {
    webhook = new WebhookDispatcher({ ...webhookConfig, db, events, logger })
    webhook.start()
  }
  const { allowPrivate: _allowPrivate, ...endpointTiming } = options.webhookEndpoints ?? {}
  const webhookEndpoints = new EndpointDispatcher({
    ...endpointTiming,
    db,
    box,
    events,
    logger,
    now,
    allowPrivate: context.webhookAllowPrivate,
  })
  webhookEndpoints.start()

  if (listen) {
    url = await app.listen({ host, port })
    folderLock?.setUrl(url)
  }
  await scheduler?.start()

  let closed = false
  return {
    get url() {
      return url
    },
    adminToken,
    adminTokenGenerated,
    services: {
      ...context,
      app,
      scheduler,
      webhook,
      webhookEndpoints,
      boss,
      registry,
      db,
      scimStore,
      pushSyncs,
    },
    async close() {
      if (closed) return
      closed = true
      await scheduler?.stop()
      await webhook?.stop()
      await webhookEndpoints.stop()
      await app.close()
      await pushSyncs.close()
      await boss?.stop({ graceful: true, close: true, timeout: 5000 }).catch(() => {})
      await db.close()
      folderLock?.release()
    },
  }
}

import { randomBytes } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Logger } from '@hrsync/core'
import type { FastifyInstance } from 'fastify'
import type { PgBoss } from 'pg-boss'
import type pino from 'pino'
import { buildApi } from './api/server.js'
import { type RunnerConfig, type RunnerOptions, resolveConfig } from './config.js'
import type { RunnerContext } from './context.js'
import { type DataFolderLock, lockDataFolder } from './data-lock.js'
import { EndpointDispatcher } from './events/endpoints.js'
import { EventLog } from './events/log.js'
import { withResourceState } from './events/state.js'
import { WebhookDispatcher } from './events/webhook.js'
import { createLogger, toCoreLogger } from './logger.js'
import { withExtraAllowedHosts } from './plugins/hosts.js'
import { type ConnectorRegistry, loadPlugins } from './plugins/index.js'
import { PushSyncs } from './scim/push.js'
import { SqlScimStore } from './scim/store.js'
import { ScimTokenCache } from './scim/tokens.js'
import {
  createSecretBox,
  type Database,
  defaultKeyFile,
  loadKeyRing,
  openDatabase,
  PostgresRateLimitStore,
  resealConfigs,
  resealWebhookSecrets,
  type SecretBox,
  sealedConfigCount,
} from './store/index.js'
import { IntegrationLocks } from './sync/lock.js'
import { Scheduler } from './sync/scheduler.js'
import { SyncService } from './sync/service.js'

export type { RunnerConfig, RunnerOptions } from './config.js'

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

function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(file)) return { value: readFileSync(file, 'utf8').trim(), created: false }
  const value = make()
  writeFileSync(file, `${value}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  return { value, created: true }
}

/**
 * Starts the runner: database, plugins, sync service, scheduler, webhook and the admin API. Options
 * and environment are weighed once (`resolveConfig`); an embedded data folder is then locked for this
 * process: a second process on it is refused.
 */
export async function startRunner(options: RunnerOptions = {}): Promise<Runner> {
  const config = resolveConfig(options, options.env ?? process.env)
  const folderLock = lockEmbeddedFolder(config)
  try {
    return await start(config, folderLock)
  } catch (error) {
    folderLock?.release()
    throw error
  }
}

/** The embedded data folder, locked; null in memory and on PostgreSQL, which replicas share. */
function lockEmbeddedFolder(config: RunnerConfig): DataFolderLock | null {
  if (!config.database.embedded || config.database.inMemory) return null
  mkdirSync(config.dataDir, { recursive: true })
  return lockDataFolder(config.dataDir)
}

function pinoLogger(setting: RunnerConfig['logger']): pino.Logger {
  if (setting === false) return createLogger('silent')
  return typeof setting === 'object' ? setting : createLogger(setting)
}

/** The admin token given, or one generated: kept in the data folder, or for this process in memory. */
function adminTokenOf(config: RunnerConfig): { value: string; created: boolean } {
  if (config.adminToken) return { value: config.adminToken, created: false }
  const make = () => `hrsync_admin_${randomBytes(24).toString('base64url')}`
  if (config.database.inMemory) return { value: make(), created: true }
  return readOrCreate(join(config.dataDir, 'admin-token'), make)
}

/**
 * The secret box, looked for once the database is open: a key file is only made when no config is
 * sealed. Configs and webhook secrets sealed with an older key are sealed again with the current one.
 */
async function openSecretBox(
  config: RunnerConfig,
  db: Database,
  events: EventLog,
  logger: Logger,
): Promise<SecretBox> {
  const { embedded } = config.database
  const keys = await loadKeyRing({
    key: config.secretKeys.key,
    keyFile: config.secretKeys.keyFile,
    previous: config.secretKeys.previous,
    defaultFile: embedded ? defaultKeyFile(config.dataDir) : null,
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

/** pg-boss on the runner's PostgreSQL, in a schema of its own beside the runner's. */
async function startBoss(config: RunnerConfig, logger: Logger): Promise<PgBoss> {
  const { PgBoss } = await import('pg-boss')
  const schema = config.database.schema
  const boss = new PgBoss({
    connectionString: config.database.url,
    schema: schema ? `${schema}_boss` : 'pgboss',
    // pg-boss hands its options to its pg pool: as in openPostgres, a connection cut as it
    // opens must find an 'error' listener, or the process ends
    ...{ onConnect: (client: EventEmitter) => client.on('error', () => {}) },
  })
  boss.on('error', (error) => logger.error('pg-boss error', { error: error.message }))
  await boss.start()
  return boss
}

async function start(config: RunnerConfig, folderLock: DataFolderLock | null): Promise<Runner> {
  const { embedded, inMemory } = config.database
  // the embedded default makes its data and import folders; elsewhere the operator provides them
  if (embedded && !inMemory) {
    mkdirSync(config.dataDir, { recursive: true })
    mkdirSync(config.importDir, { recursive: true, mode: 0o700 })
  }
  const log = pinoLogger(config.logger)
  const logger = toCoreLogger(log)
  const adminToken = adminTokenOf(config)

  const db = await openDatabase({
    databaseUrl: config.database.url,
    schema: config.database.schema,
    dataDir: config.dataDir,
    inMemory,
  })
  const events = new EventLog(config.webhook !== undefined)
  const box = await openSecretBox(config, db, events, logger).catch(async (error: unknown) => {
    await db.close()
    throw error
  })

  const loaded = await loadPlugins({
    configured: config.plugins.configured,
    builtin: config.plugins.builtin,
    discover: config.plugins.discover,
    pluginArea: config.pluginArea,
    onFailure: (failure) => logger.warn('connector plugin not loaded', { ...failure }),
  })
  let registry: ConnectorRegistry
  try {
    registry = withExtraAllowedHosts(loaded, config.plugins.extraAllowedHosts)
  } catch (error) {
    await db.close()
    throw error
  }

  const locks = new IntegrationLocks(db)
  const { now, importDir } = config
  // replicas share PostgreSQL, and with it the budgets vendors count per partner app; the embedded
  // database has one process, whose own limiter sees every request
  const rateLimitStore = db.kind === 'postgres' ? new PostgresRateLimitStore(db) : undefined
  const sync = new SyncService({
    db,
    box,
    registry,
    events,
    locks,
    intervalMs: config.sync.intervalMs,
    jitter: config.sync.jitter,
    logger,
    now,
    importDir,
    ...(rateLimitStore ? { rateLimitStore } : {}),
    ...(config.sync.massRemoval ? { massRemoval: config.sync.massRemoval } : {}),
  })

  let url = ''
  const { inviteUrlTemplate } = config
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
    pluginArea: config.pluginArea,
    ...(rateLimitStore ? { rateLimitStore } : {}),
    webhookAllowPrivate: config.webhookEndpoints.allowPrivate,
    publicUrl: () => config.server.publicUrl ?? url,
    inviteUrl: (token) => inviteUrlTemplate?.replaceAll('{token}', encodeURIComponent(token)) ?? null,
  }
  events.enrichWith((q, appended) => withResourceState(context, q, appended))

  const { listen, host } = config.server
  let port = config.server.port
  // the SCIM base URL goes into every resource's meta.location, so the address is known before
  // listening: with port 0, a free port is picked now
  if (listen && !config.server.publicUrl) {
    if (port === 0) port = await freePort(host)
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  }
  const scimStore = new SqlScimStore(db, now)
  const pushSyncs = new PushSyncs({ sync, logger, coalesceMs: config.scimCoalesceMs })
  const app = await buildApi(context, {
    adminToken: adminToken.value,
    logger: config.logger === false ? false : log,
    scim: {
      store: scimStore,
      authenticate: (token) => context.scimTokens.lookup(token),
      onChange: (integrationId) => pushSyncs.changed(integrationId),
      baseUrl: `${context.publicUrl()}/scim/v2`,
    },
  })

  let boss: PgBoss | null = null
  let scheduler: Scheduler | null = null
  if (config.scheduler) {
    if (config.scheduler.queue === 'pg-boss') boss = await startBoss(config, logger)
    scheduler = new Scheduler(context, {
      intervalMs: config.sync.intervalMs,
      tickMs: config.scheduler.tickMs,
      concurrency: config.scheduler.concurrency,
      memoryLimitBytes: config.scheduler.memoryLimitBytes,
      boss,
    })
  }
  let webhook: WebhookDispatcher | null = null
  if (config.webhook) {
    webhook = new WebhookDispatcher({ ...config.webhook, db, events, logger })
    webhook.start()
  }
  const webhookEndpoints = new EndpointDispatcher({
    ...config.webhookEndpoints,
    db,
    box,
    events,
    logger,
    now,
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
    adminToken: adminToken.value,
    adminTokenGenerated: adminToken.created,
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
      // closing goes on: the jobs are kept in PostgreSQL, for another replica or the next start
      await boss
        ?.stop({ graceful: true, close: true, timeout: 5000 })
        .catch((error: Error) => logger.warn('pg-boss did not stop cleanly', { error: error.message }))
      await db.close()
      folderLock?.release()
    },
  }
}

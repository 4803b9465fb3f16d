import type { RateLimitStore } from '@hrsync/connector-kit'
import type { Logger } from '@hrsync/core'
import type { EventLog } from './events/log.js'
import type { ConnectorRegistry } from './plugins/index.js'
import type { ScimTokenCache } from './scim/tokens.js'
import type { Database, SecretBox } from './store/index.js'
import type { IntegrationLocks } from './sync/lock.js'
import type { SyncService } from './sync/service.js'

/** What every service function works with: one per runner. */
export interface RunnerContext {
  db: Database
  box: SecretBox
  registry: ConnectorRegistry
  events: EventLog
  locks: IntegrationLocks
  sync: SyncService
  /** SCIM bearer tokens found lately; forget an integration's after changing its tokens */
  scimTokens: ScimTokenCache
  logger: Logger
  /** the URL the runner is reached at, for SCIM base URLs */
  publicUrl: () => string
  now: () => Date
  /** the app's accept-page URL for an invitation token; null when no template is configured */
  inviteUrl: (token: string) => string | null
  /** company webhook URLs may be http:// and reach internal addresses (HRSYNC_WEBHOOK_ALLOW_PRIVATE) */
  webhookAllowPrivate: boolean
  /** the only folder connectors may read files from (csv imports) */
  importDir: string
  /** the data folder's plugin area, where `hrsync plugins add` installs connectors */
  pluginArea: string
  /** where limits a vendor counts per partner app are shared with the other replicas; none on the embedded database */
  rateLimitStore?: RateLimitStore
}

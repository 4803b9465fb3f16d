import { defineConnector } from '@hrsync/core'
import type { ConnectorRegistry } from './registry.js'

/** Hosts an operator adds to connectors' allowedHosts, by connector id. */
export type ExtraAllowedHosts = Record<string, string[]>

const ENV_PREFIX = 'HRSYNC_ALLOWED_HOSTS_'
// a host name, or `*.` and a domain of at least two labels (`*.com` would allow everyone)
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const WILDCARD = /^\*\.(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/** The environment variable naming a connector's extra hosts: `fourth` → HRSYNC_ALLOWED_HOSTS_FOURTH. */
export function allowedHostsVariable(connectorId: string): string {
  return `${ENV_PREFIX}${connectorId.toUpperCase().replaceAll('-', '_')}`
}

/** Reads every HRSYNC_ALLOWED_HOSTS_<CONNECTOR_ID> (comma-separated hosts); the id is lower-cased, `_` → `-`. */
export function extraAllowedHostsFromEnv(env: NodeJS.ProcessEnv): ExtraAllowedHosts {
  const extra: ExtraAllowedHosts = {}
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || !value) continue
    const id = name.slice(ENV_PREFIX.length).toLowerCase().replaceAll('_', '-')
    extra[id] = value
      .split(',')
      .map((host) => host.trim())
      .filter(Boolean)
  }
  return extra
}

function checkHost(connectorId: string, host: string): string {
  const lower = host.toLowerCase()
  if (HOST.test(lower) || WILDCARD.test(lower)) return lower
  throw new Error(
    `${allowedHostsVariable(connectorId)}: "${host}" is not a host name or a "*.domain" pattern ` +
      '(no scheme, port or path, e.g. api.example.com or *.example.com)',
  )
}

/**
 * The registry with the operator's hosts added to the allowedHosts of the connectors that accept them. A host for
 * a connector that is not installed, or whose vendor publishes its hosts, stops the runner at start.
 */
export function withExtraAllowedHosts(
  registry: ConnectorRegistry,
  extra: ExtraAllowedHosts,
): ConnectorRegistry {
  const entries = Object.entries(extra).filter(([, hosts]) => hosts.length > 0)
  if (entries.length === 0) return registry
  const replaced = new Map<string, ReturnType<ConnectorRegistry['list']>[number]>()
  for (const [id, hosts] of entries) {
    const loaded = registry.get(id)
    if (!loaded)
      throw new Error(`${allowedHostsVariable(id)}: no connector "${id}" is installed on this runner`)
    if (loaded.connector.allowedHostsExtensible !== true) {
      throw new Error(
        `${allowedHostsVariable(id)}: the ${loaded.connector.name} connector only reaches the hosts its vendor publishes; it takes no extra hosts`,
      )
    }
    const allowedHosts = [...loaded.connector.allowedHosts, ...hosts.map((host) => checkHost(id, host))]
    replaced.set(id, { ...loaded, connector: defineConnector({ ...loaded.connector, allowedHosts }) })
  }
  return {
    ...registry,
    get: (id) => replaced.get(id) ?? registry.get(id),
    list: () => registry.list().map((loaded) => replaced.get(loaded.connector.id) ?? loaded),
  }
}

import { SECRET_KEYWORD, secretKeys } from '@hrsync/core'
import type { RunnerContext } from '../context.js'

/** A connector's config schema as JSON Schema: secret fields marked writeOnly and with the hrsync keyword. */
export function configJsonSchema(config: object): Record<string, unknown> {
  const schema = JSON.parse(JSON.stringify(config)) as {
    properties?: Record<string, Record<string, unknown>>
  }
  for (const property of Object.values(schema.properties ?? {})) {
    if (property[SECRET_KEYWORD] === true) {
      property.writeOnly = true
      property.format ??= 'password'
    }
  }
  return schema
}

/** Whether the database answers a query now: the runner is up only while it does. */
export function databaseAnswers(ctx: RunnerContext): Promise<boolean> {
  return ctx.db.query('SELECT 1').then(
    () => true,
    () => false,
  )
}

/** Status, database and plugins: degraded while a configured plugin failed to load, error without a database. */
export async function runnerHealth(ctx: RunnerContext) {
  const database = (await databaseAnswers(ctx)) ? ('ok' as const) : ('unreachable' as const)
  const status =
    database !== 'ok'
      ? ('error' as const)
      : ctx.registry.failures.length > 0
        ? ('degraded' as const)
        : ('ok' as const)
  return {
    status,
    database: { kind: ctx.db.kind, status: database },
    core: { version: ctx.registry.coreVersion },
    plugins: {
      loaded: ctx.registry.list().map((loaded) => ({
        id: loaded.connector.id,
        name: loaded.connector.name,
        package: loaded.packageName,
        version: loaded.version,
        source: loaded.source,
      })),
      failed: ctx.registry.failures,
    },
  }
}

/** The connectors this runner can connect, each with its config schema and which fields are secret. */
export function connectorList(ctx: RunnerContext) {
  return {
    connectors: ctx.registry.list().map(({ connector, packageName, version, source }) => ({
      id: connector.id,
      name: connector.name,
      mode: connector.mode,
      docsUrl: connector.docsUrl ?? null,
      package: packageName,
      version,
      source,
      secretKeys: secretKeys(connector.config),
      configSchema: configJsonSchema(connector.config),
    })),
  }
}

import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isConnector, validateDefinition } from '@hrsync/core'
import { tsImport } from 'tsx/esm/api'
import type { AnyConnector } from '../plugins/index.js'

/** A connector's TypeScript source, found from the folder or file `hrsync dev` was given. */
export interface Draft {
  entry: string
  /** the package folder (the one holding package.json), the entry's folder when there is none */
  packageDir: string
  packageJson: { name?: string; version?: string; hrsync?: { id?: string } } | null
}

function packageFolderOf(file: string): string {
  let current = dirname(file)
  for (;;) {
    if (existsSync(join(current, 'package.json'))) return current
    const parent = dirname(current)
    if (parent === current) return dirname(file)
    current = parent
  }
}

/** `<folder>` means `<folder>/src/index.ts`; a file is used as it is. */
export function findDraft(target: string): Draft {
  const path = resolve(target)
  if (!existsSync(path)) throw new Error(`${target} does not exist`)
  const entry = statSync(path).isDirectory() ? join(path, 'src', 'index.ts') : path
  if (!existsSync(entry)) throw new Error(`${target} has no src/index.ts: name the entry .ts file instead`)
  const packageDir = statSync(path).isDirectory() ? path : packageFolderOf(entry)
  const file = join(packageDir, 'package.json')
  const packageJson = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Draft['packageJson'])
    : null
  return { entry, packageDir, packageJson }
}

/**
 * Imports the draft from source with tsx: a fresh module graph on every call, so an edited file is
 * read again. Checks what the runner checks before it loads a plugin: the brand, the definition, the id.
 */
export async function importDraft(draft: Draft): Promise<AnyConnector> {
  const mod = (await tsImport(pathToFileURL(draft.entry).href, {
    parentURL: pathToFileURL(join(draft.packageDir, 'package.json')).href,
  })) as { default?: unknown }
  const value = mod.default
  if (!isConnector(value)) {
    throw new Error(
      `${draft.entry}: the default export is not a connector (export default defineConnector({...}) from @hrsync/core)`,
    )
  }
  const problems = validateDefinition(value)
  if (problems.length > 0) throw new Error(`the definition is invalid: ${problems.join('; ')}`)
  const manifestId = draft.packageJson?.hrsync?.id
  if (manifestId !== undefined && manifestId !== value.id) {
    throw new Error(
      `package.json's hrsync manifest says id "${manifestId}" but the connector's id is "${value.id}"`,
    )
  }
  return value
}

/**
 * The connector with extra hosts it may call: a sandbox or a local fake API. Only `hrsync dev` builds
 * this; a runner calls exactly the hosts a connector declares.
 */
export function withExtraHosts(connector: AnyConnector, hosts: string[]): AnyConnector {
  if (hosts.length === 0) return connector
  const widened = {
    ...connector,
    allowedHosts: [...connector.allowedHosts, ...hosts.map((h) => h.toLowerCase())],
  }
  return widened as AnyConnector
}

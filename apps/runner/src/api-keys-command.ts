import type { operations } from '@hrsync/client'
import { dataOf, withAdminClient } from './admin-client.js'

/** A key as the API shows it: its prefix, never the key. */
type ApiKey = operations['revokeKey']['responses'][200]['content']['application/json']

export const API_KEY_ACTIONS = ['create', 'list', 'revoke'] as const
export type ApiKeyAction = (typeof API_KEY_ACTIONS)[number]

export interface ApiKeysOptions {
  action: ApiKeyAction
  keyId?: string
  companyId?: string
  name?: string
  json: boolean
}

/** The label of a key created without --name. */
const DEFAULT_NAME = 'made with hrsync api-keys create'

function describe(key: ApiKey): string {
  const scope = key.companyId ? `company ${key.companyId}` : 'every company'
  return `${key.id}\t${key.kind}\t${scope}\t${key.prefix}…\t${key.name}\t${key.createdAt}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'live'}`
}

/** `hrsync api-keys create | list | revoke`: the admin API's key routes from the command line. */
export async function apiKeysCommand(options: ApiKeysOptions, out: NodeJS.WritableStream): Promise<void> {
  await withAdminClient(async (client) => {
    switch (options.action) {
      case 'create': {
        const body = { name: options.name ?? DEFAULT_NAME, companyId: options.companyId ?? null }
        const created = await dataOf(client.POST('/api/keys', { body }))
        if (options.json) {
          out.write(`${JSON.stringify(created, null, 2)}\n`)
          return
        }
        const { apiKey } = created
        const kind = apiKey.companyId
          ? `a company key for ${apiKey.companyId}`
          : 'an operator key (every company)'
        // the key last, on a line of its own: `| tail -n 1` hands it to a secret store
        out.write(
          `created ${apiKey.id}, ${kind}, "${apiKey.name}".\n` +
            'The key is shown this once (hrsync keeps only its SHA-256):\n' +
            `${created.key}\n`,
        )
        return
      }
      case 'list': {
        const query = options.companyId ? { companyId: options.companyId } : {}
        const { keys } = await dataOf(client.GET('/api/keys', { params: { query } }))
        if (options.json) out.write(`${JSON.stringify({ keys }, null, 2)}\n`)
        else out.write(keys.map((key) => `${describe(key)}\n`).join(''))
        return
      }
      case 'revoke': {
        const params = { path: { keyId: options.keyId ?? '' } }
        const revoked = await dataOf(client.DELETE('/api/keys/{keyId}', { params }))
        if (options.json) out.write(`${JSON.stringify(revoked, null, 2)}\n`)
        else out.write(`revoked ${revoked.id} ("${revoked.name}") at ${revoked.revokedAt}\n`)
        return
      }
    }
  })
}

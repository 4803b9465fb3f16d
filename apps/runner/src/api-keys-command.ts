import type { Static } from '@sinclair/typebox'
import { type AdminAnswer, openAdminApi } from './admin-call.js'
import type { CreatedKeyBody, KeyBody, KeyListBody } from './api/access-schemas.js'

type ApiKey = Static<typeof KeyBody>

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

/** The answer's body, or the API's own error message. */
function bodyOf<T>(answer: AdminAnswer): T {
  if (answer.status >= 400) {
    const { error } = answer.body as { error?: { message?: string } }
    throw new Error(error?.message ?? `the admin API answered ${answer.status}`)
  }
  return answer.body as T
}

function describe(key: ApiKey): string {
  const scope = key.companyId ? `company ${key.companyId}` : 'every company'
  return `${key.id}\t${key.kind}\t${scope}\t${key.prefix}…\t${key.name}\t${key.createdAt}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'live'}`
}

/** `hrsync api-keys create | list | revoke`: the admin API's key routes from the command line. */
export async function apiKeysCommand(options: ApiKeysOptions, out: NodeJS.WritableStream): Promise<void> {
  const api = await openAdminApi()
  try {
    switch (options.action) {
      case 'create': {
        const body = { name: options.name ?? DEFAULT_NAME, companyId: options.companyId ?? null }
        const created = bodyOf<Static<typeof CreatedKeyBody>>(await api.call('POST', '/api/keys', body))
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
        const query = options.companyId ? `?companyId=${encodeURIComponent(options.companyId)}` : ''
        const { keys } = bodyOf<Static<typeof KeyListBody>>(await api.call('GET', `/api/keys${query}`))
        if (options.json) out.write(`${JSON.stringify({ keys }, null, 2)}\n`)
        else out.write(keys.map((key) => `${describe(key)}\n`).join(''))
        return
      }
      case 'revoke': {
        const path = `/api/keys/${encodeURIComponent(options.keyId ?? '')}`
        const revoked = bodyOf<ApiKey>(await api.call('DELETE', path))
        if (options.json) out.write(`${JSON.stringify(revoked, null, 2)}\n`)
        else out.write(`revoked ${revoked.id} ("${revoked.name}") at ${revoked.revokedAt}\n`)
        return
      }
    }
  } finally {
    await api.close()
  }
}

import { dataOf, withAdminClient } from './admin-client.js'
import { showProgress } from './sync/progress-bar.js'

/**
 * `hrsync sync <integrationId> [--dry-run]`: syncs now through the admin API, its progress shown on
 * stderr while it runs (stdout carries only the run as JSON).
 */
export async function syncCommand(integrationId: string, dryRun: boolean) {
  return withAdminClient(async (client) => {
    const params = { path: { id: integrationId } }
    const stop = showProgress(
      async () => (await dataOf(client.GET('/api/integrations/{id}', { params }))).progress,
      process.stderr,
    )
    try {
      const query = dryRun ? { dryRun } : {}
      return await dataOf(
        client.POST('/api/integrations/{id}/sync', { params: { ...params, query } }),
        'the run',
      )
    } finally {
      stop()
    }
  })
}

import { dataOf, withAdminClient } from './admin-client.js'

/**
 * What the CLI prints of a planned run. The API document describes a run's core fields and leaves
 * the rest open, so the client types these as unknown; the runner writes them in this shape.
 */
interface PlannedRun {
  id: string
  status: 'succeeded' | 'failed'
  startedAt: string
  counts: Record<string, number>
  changes: Array<{ kind: string; email?: string; userId?: string; remoteId?: string }>
  failure: string | null
}

/** A run the API answered, read as the runner writes it. */
const planned = (run: object): PlannedRun => run as unknown as PlannedRun

/** A plan in lines: the counts, then one line per change. */
function describe(run: PlannedRun): string {
  if (run.status === 'failed') return `the HR system could not be read: ${run.failure}\n`
  const counts = Object.entries(run.counts)
    .filter(([, value]) => value > 0)
    .map(([key, value]) => `${key} ${value}`)
    .join(', ')
  const lines = run.changes.map(
    (change) => `${change.kind}\t${change.email ?? change.userId ?? change.remoteId ?? ''}`,
  )
  return `${counts || 'no change'}\n${lines.map((line) => `${line}\n`).join('')}`
}

/**
 * `hrsync review <integrationId>`: the first sync planned for review (planned now when none is);
 * `hrsync confirm <integrationId>`: applies it, planned again on HR as it is now.
 */
export async function reviewCommand(
  action: 'review' | 'confirm',
  integrationId: string,
  json: boolean,
  out: NodeJS.WritableStream,
): Promise<{ failed: boolean }> {
  return withAdminClient(async (client) => {
    const params = { path: { id: integrationId } }
    let run: PlannedRun
    if (action === 'confirm') {
      run = planned((await dataOf(client.POST('/api/integrations/{id}/review/confirm', { params }))).run)
    } else {
      const review = await dataOf(client.GET('/api/integrations/{id}/review', { params }))
      if (!review.inReview) throw new Error('this integration’s first sync was already confirmed')
      run = planned(
        review.run ?? (await dataOf(client.POST('/api/integrations/{id}/review', { params }))).run,
      )
    }
    if (json) out.write(`${JSON.stringify(run, null, 2)}\n`)
    else {
      const title = action === 'confirm' ? 'applied' : `planned ${run.startedAt}, nothing applied`
      out.write(`first sync ${title} (run ${run.id})\n${describe(run)}`)
    }
    return { failed: run.status === 'failed' }
  })
}

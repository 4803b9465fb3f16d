import { type AdminAnswer, openAdminApi } from './admin-call.js'

interface PlannedRun {
  id: string
  status: 'succeeded' | 'failed'
  startedAt: string
  counts: Record<string, number>
  changes: Array<{ kind: string; email?: string; userId?: string; remoteId?: string }>
  failure: string | null
}

/** The answer's body, or the API's own error message. */
function bodyOf<T>(answer: AdminAnswer): T {
  if (answer.status >= 400) {
    const { error } = answer.body as { error?: { message?: string } }
    throw new Error(error?.message ?? `the admin API answered ${answer.status}`)
  }
  return answer.body as T
}

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
  const api = await openAdminApi()
  const base = `/api/integrations/${encodeURIComponent(integrationId)}`
  try {
    let run: PlannedRun
    if (action === 'confirm') {
      run = bodyOf<{ run: PlannedRun }>(await api.call('POST', `${base}/review/confirm`)).run
    } else {
      const review = bodyOf<{ inReview: boolean; run: PlannedRun | null }>(
        await api.call('GET', `${base}/review`),
      )
      if (!review.inReview) throw new Error('this integration’s first sync was already confirmed')
      run = review.run ?? bodyOf<{ run: PlannedRun }>(await api.call('POST', `${base}/review`)).run
    }
    if (json) out.write(`${JSON.stringify(run, null, 2)}\n`)
    else {
      const title = action === 'confirm' ? 'applied' : `planned ${run.startedAt}, nothing applied`
      out.write(`first sync ${title} (run ${run.id})\n${describe(run)}`)
    }
    return { failed: run.status === 'failed' }
  } finally {
    await api.close()
  }
}

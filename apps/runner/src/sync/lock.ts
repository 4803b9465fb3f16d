import { RunnerError } from '../errors.js'
import type { Database } from '../store/index.js'

/**
 * Work on one integration (a sync, team sync setup, a disconnect) runs alone: an in-process lock
 * for this runner, and a database lock for the other replicas sharing the database.
 */
export class IntegrationLocks {
  private readonly held = new Set<string>()

  constructor(private readonly db: Database) {}

  isBusy(integrationId: string): boolean {
    return this.held.has(integrationId)
  }

  async exclusive<T>(integrationId: string, fn: () => Promise<T>): Promise<T> {
    if (this.held.has(integrationId)) throw busy()
    this.held.add(integrationId)
    try {
      const result = await this.db.withExclusiveLock(`integration:${integrationId}`, fn)
      if (!result.acquired) throw busy()
      return result.value
    } finally {
      this.held.delete(integrationId)
    }
  }
}

function busy(): RunnerError {
  return new RunnerError(
    'sync_in_progress',
    'A sync or another change of this integration is already running: try again when it has finished',
    409,
  )
}

import { RunnerError } from '../errors.js'
import { type Database, type Lease, LeaseLapsedError } from '../store/index.js'

/**
 * Work on one integration (a sync, team sync setup, a disconnect) runs alone: an in-process lock
 * for this runner, and a lease in the database for the other replicas sharing it. The work is handed
 * its lease, to confirm in the transaction that saves it.
 */
export class IntegrationLocks {
  private readonly held = new Set<string>()

  constructor(private readonly db: Database) {}

  isBusy(integrationId: string): boolean {
    return this.held.has(integrationId)
  }

  async exclusive<T>(integrationId: string, fn: (lease: Lease) => Promise<T>): Promise<T> {
    if (this.held.has(integrationId)) throw busy()
    this.held.add(integrationId)
    try {
      const result = await this.db.withExclusiveLock(`integration:${integrationId}`, fn)
      if (!result.acquired) throw busy()
      return result.value
    } catch (error) {
      if (error instanceof LeaseLapsedError) throw overtaken()
      throw error
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

function overtaken(): RunnerError {
  return new RunnerError(
    'sync_in_progress',
    'This work lost its hold on the integration while the database was out of reach, and another took it over: nothing of it was saved',
    409,
  )
}

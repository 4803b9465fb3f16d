import { type ScimUserRecord, scimUserColumns, UserNameTakenError } from '@hrsync/scim'
import type { Database } from '../store/index.js'

/** A user record to write if the row still has the version the change was computed from. */
export interface VersionedWrite {
  integrationId: string
  record: ScimUserRecord
  /** the version `record` was computed from */
  expected: number
  /** the write takes an active user's access away: recorded for R5 */
  deactivated: boolean
}

interface Waiting extends VersionedWrite {
  key: string
  resolve(written: boolean): void
  reject(error: unknown): void
}

/** A database error from the live-userName index: the userName is in use in the integration. */
export function violatesUniqueUserName(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  return code === '23505' || String(message).includes('scim_users_user_name')
}

/**
 * The statement failed on the data of one of its rows (SQLSTATE class 22, data exception, or 23,
 * integrity): nothing was written, and each write can be tried alone.
 */
function rowError(error: unknown): boolean {
  return /^2[23]/.test(String((error as { code?: unknown } | null)?.code ?? ''))
}

const SET = `user_name = i.user_name, external_id = i.external_id, display_name = i.display_name,
    given_name = i.given_name, family_name = i.family_name, active = i.active, employee_number = i.employee_number,
    emails = i.emails, resource = i.resource, version = i.version, last_modified = i.last_modified`

/** The columns of each write in $1. */
const COLUMNS = `integration_id text, id text, user_name text, external_id text, display_name text, given_name text,
    family_name text, active boolean, employee_number text, emails jsonb, resource jsonb, version integer,
    last_modified timestamptz, expected integer, deactivated boolean`

/**
 * Writes the rows of $1 (a JSON array) whose user still has the expected version; answers those written.
 * $2 lists their ids: PostgreSQL takes a set-returning function for 100 rows whatever it holds, so joined
 * on the rows alone it read every SCIM user of every integration to hash them. The statement does not
 * say "live" (`deleted_at IS NULL`): the indexes on live users would then look cheaper than the primary
 * key to a planner without statistics. It need not: deleting a user moves its version, so the version
 * check refuses a write to a deleted user.
 */
const WRITE_MANY = `WITH updated AS (
    UPDATE scim_users u SET ${SET} FROM jsonb_to_recordset($1::jsonb) AS i(${COLUMNS})
    WHERE u.id = ANY($2::text[]) AND u.integration_id = i.integration_id AND u.id = i.id
      AND u.version = i.expected
    RETURNING u.integration_id, u.id, u.last_modified, i.deactivated
  ),
  deactivation AS (
    INSERT INTO scim_deactivations (integration_id, scim_user_id, at)
    SELECT integration_id, id, last_modified FROM updated WHERE deactivated
  )
  SELECT integration_id, id FROM updated`

function asRow(write: VersionedWrite): Record<string, unknown> {
  const { created_at: _, ...columns } = scimUserColumns(write.record)
  return {
    ...columns,
    integration_id: write.integrationId,
    expected: write.expected,
    deactivated: write.deactivated,
  }
}

/**
 * Group commit for SCIM writes: the writes that arrive while a statement is in flight go to the
 * database together, as one statement in one transaction, each row with its own version check.
 * Under a burst of pushes this turns many commits into a few; a lone write goes out at once.
 * One user is written at most once per statement: a second write to it waits for the next.
 */
export class ScimWrites {
  private queue: Waiting[] = []
  private draining = false

  constructor(
    private readonly db: Database,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves true when written, false when the user was changed or deleted since `expected`. */
  write(write: VersionedWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...write, key: `${write.integrationId}/${write.record.id}`, resolve, reject })
      if (!this.draining) {
        this.draining = true
        setImmediate(() => void this.drain())
      }
    })
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.send(this.take())
    } finally {
      this.draining = false
    }
  }

  /** The next statement's writes: up to maxBatch, one per user, in arrival order. */
  private take(): Waiting[] {
    const keys = new Set<string>()
    const batch: Waiting[] = []
    const later: Waiting[] = []
    for (const waiting of this.queue) {
      if (batch.length < this.maxBatch && !keys.has(waiting.key)) {
        keys.add(waiting.key)
        batch.push(waiting)
      } else later.push(waiting)
    }
    this.queue = later
    return batch
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const written = await this.statement(batch)
      for (const waiting of batch) waiting.resolve(written.has(waiting.key))
    } catch (error) {
      if (batch.length > 1 && (violatesUniqueUserName(error) || rowError(error))) {
        // one of them cannot be written (a userName in use, say): each alone, so only that one fails
        for (const waiting of batch) await this.send([waiting])
        return
      }
      for (const waiting of batch) {
        waiting.reject(
          violatesUniqueUserName(error) ? new UserNameTakenError(waiting.record.user.userName) : error,
        )
      }
    }
  }

  private async statement(batch: Waiting[]): Promise<Set<string>> {
    const rows = await this.db.query<{ integration_id: string; id: string }>(WRITE_MANY, [
      JSON.stringify(batch.map(asRow)),
      batch.map((waiting) => waiting.record.id),
    ])
    return new Set(rows.map((row) => `${row.integration_id}/${row.id}`))
  }
}

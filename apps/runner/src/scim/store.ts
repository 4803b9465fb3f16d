import { randomUUID } from 'node:crypto'
import {
  cloneJson,
  SCIM_LIMITS,
  ScimError,
  type ScimListQuery,
  type ScimPage,
  type ScimStore,
  type ScimUser,
  type ScimUserRecord,
  scimUserRow,
  UserNameTakenError,
} from '@hrsync/scim'
import type { Database, Queryable } from '../store/index.js'
import { iso, json, unstorable } from '../store/rows.js'
import { setBounded } from './bounded.js'
import { ScimWrites, violatesUniqueUserName } from './writes.js'

interface ScimUserRow {
  id: string
  resource: unknown
  created_at: unknown
  last_modified: unknown
  version: number
  active?: boolean
}

const COLUMNS = 'id, resource, created_at, last_modified, version, active'
const SELECT = `SELECT ${COLUMNS} FROM scim_users`
const LIVE = 'integration_id = $1 AND deleted_at IS NULL'
/**
 * A live user of the integration by id, found by the primary key: the subquery (kept apart by OFFSET 0)
 * asks for the id alone, so PostgreSQL cannot choose an index on integration_id and test every user of
 * the integration for the id instead (it did, on a table without fresh statistics).
 */
const BY_ID = `SELECT ${COLUMNS} FROM (SELECT ${COLUMNS}, integration_id, deleted_at FROM scim_users WHERE id = $2 OFFSET 0) AS found WHERE ${LIVE}`

function fromRow(row: ScimUserRow): ScimUserRecord {
  return {
    id: row.id,
    created: iso(row.created_at)!,
    lastModified: iso(row.last_modified)!,
    version: row.version,
    user: json<ScimUser>(row.resource),
  }
}

/** A unique violation on the live-userName index: the userName is taken in the integration. */
function userNameTaken(error: unknown, userName: string): never {
  throw violatesUniqueUserName(error) ? new UserNameTakenError(userName) : error
}

/** PostgreSQL's text and jsonb cannot hold NUL or a lone surrogate: such a user is the client's mistake. */
function storable(user: ScimUser): ScimUser {
  // a custom extension sits one level deeper in a ScimUser (user.extensions[urn]) than in the body
  const problem = unstorable(user, 'user', SCIM_LIMITS.depth + 1)
  if (problem !== null) throw new ScimError(400, 'invalidValue', problem)
  return user
}

/** An id no stored id can equal (NUL, a lone surrogate) names no user, so nothing is asked of the database. */
const storableId = (id: string) => unstorable(id, 'id') === null

/** Optimistic writes of one user before it is locked for the write instead. */
const OPTIMISTIC_ATTEMPTS = 3

/** Writes a user record; $1 integration, $2 id, $3–$13 the columns (updateParams). */
const UPDATE = `UPDATE scim_users SET user_name = $3, external_id = $4, display_name = $5, given_name = $6,
    family_name = $7, active = $8, employee_number = $9, emails = $10, resource = $11, version = $12,
    last_modified = $13
  WHERE integration_id = $1 AND id = $2`

function updateParams(integrationId: string, record: ScimUserRecord): unknown[] {
  const values = scimUserRow(record)
  return [
    integrationId,
    record.id,
    values.user_name,
    values.external_id,
    values.display_name,
    values.given_name,
    values.family_name,
    values.active,
    values.employee_number,
    values.emails,
    values.resource,
    values.version,
    values.last_modified,
  ]
}

/** Records that a SCIM write took an active user's access away (R5 counts these over 24 hours). */
async function recordDeactivation(q: Queryable, integrationId: string, id: string, at: Date): Promise<void> {
  await q.query('INSERT INTO scim_deactivations (integration_id, scim_user_id, at) VALUES ($1, $2, $3)', [
    integrationId,
    id,
    at,
  ])
}

/** How many distinct users SCIM deactivated or deleted in the integration since `since`. */
export async function countScimDeactivations(
  q: Queryable,
  integrationId: string,
  since: Date,
): Promise<number> {
  const [row] = await q.query<{ n: number | string }>(
    'SELECT count(DISTINCT scim_user_id) AS n FROM scim_deactivations WHERE integration_id = $1 AND at > $2',
    [integrationId, since],
  )
  return Number(row?.n ?? 0)
}

/** Every live SCIM user of an integration, in creation order: what its snapshot is built from. */
export async function liveScimUsers(q: Queryable, integrationId: string): Promise<ScimUserRecord[]> {
  const rows = await q.query<ScimUserRow>(`${SELECT} WHERE ${LIVE} ORDER BY created_at, id`, [integrationId])
  return rows.map(fromRow)
}

/**
 * The SCIM users of every push integration, in the runner's database (PostgreSQL or PGlite).
 * Every write runs in one transaction; a write that deactivates or deletes an active user also
 * records the deactivation, so the sync can hold mass deactivations over a rolling window.
 */
export class SqlScimStore implements ScimStore {
  /**
   * The users this store wrote lately, each as of the version it wrote: the first guess of the next
   * write to that user, which then needs no read. The write's version check tells whether anyone
   * (another replica, a deletion) wrote in between; if so the user is read as usual.
   */
  private readonly recent = new Map<string, ScimUserRecord>()
  /** optimistic writes arriving together go to the database together */
  private readonly writes: ScimWrites

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
    private readonly recentMax = 10_000,
  ) {
    this.writes = new ScimWrites(db)
  }

  private remember(integrationId: string, record: ScimUserRecord): void {
    setBounded(this.recent, `${integrationId}/${record.id}`, record, this.recentMax)
  }

  async list(integrationId: string, query: ScimListQuery): Promise<ScimPage> {
    const fragment = query.filter?.toSql(2) ?? { sql: 'true', params: [] }
    const where = `${LIVE} AND (${fragment.sql})`
    const params = [integrationId, ...fragment.params]
    const counted = async () => {
      const [total] = await this.db.query<{ n: number | string }>(
        `SELECT count(*) AS n FROM scim_users WHERE ${where}`,
        params,
      )
      return Number(total?.n ?? 0)
    }
    const limit = Math.max(0, Math.floor(query.count))
    if (limit === 0) return { totalResults: await counted(), records: [] }
    const offset = Math.max(0, Math.floor(query.startIndex) - 1)
    // A filter on a key (the identity provider's `userName eq`) is answered from that key's index; asked
    // for the list's order at the same time, PostgreSQL may walk the integration's users in order and
    // test each one instead (it did, on a table without fresh statistics: every user read per lookup).
    // Selecting the few matches first (OFFSET 0 keeps the subquery apart) leaves only them to order.
    const matched = query.filter?.selective
      ? `SELECT ${COLUMNS} FROM (${SELECT} WHERE ${where} OFFSET 0) AS matched`
      : `${SELECT} WHERE ${where}`
    const records = (
      await this.db.query<ScimUserRow>(
        `${matched} ORDER BY created_at, id OFFSET ${offset} LIMIT ${limit}`,
        params,
      )
    ).map(fromRow)
    // A page that is not full ends the list, so it tells the total itself (a filtered lookup, the
    // usual question of an identity provider, is one statement); a full page or one past the end counts.
    const ends = records.length < limit && (records.length > 0 || offset === 0)
    return { totalResults: ends ? offset + records.length : await counted(), records }
  }

  async get(integrationId: string, id: string): Promise<ScimUserRecord | null> {
    if (!storableId(id)) return null
    const [row] = await this.db.query<ScimUserRow>(BY_ID, [integrationId, id])
    return row ? fromRow(row) : null
  }

  async create(integrationId: string, user: ScimUser): Promise<ScimUserRecord> {
    const at = this.now().toISOString()
    const record: ScimUserRecord = {
      id: randomUUID(),
      created: at,
      lastModified: at,
      version: 1,
      user: cloneJson(storable(user)),
    }
    const row = scimUserRow(record)
    await this.db
      .query(
        `INSERT INTO scim_users (integration_id, id, user_name, external_id, display_name, given_name, family_name,
           active, employee_number, emails, resource, version, created_at, last_modified)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          integrationId,
          row.id,
          row.user_name,
          row.external_id,
          row.display_name,
          row.given_name,
          row.family_name,
          row.active,
          row.employee_number,
          row.emails,
          row.resource,
          row.version,
          row.created_at,
          row.last_modified,
        ],
      )
      .catch((error: unknown) => userNameTaken(error, user.userName))
    this.remember(integrationId, record)
    return cloneJson(record)
  }

  async replace(integrationId: string, id: string, user: ScimUser): Promise<ScimUserRecord | null> {
    return this.patch(integrationId, id, () => cloneJson(user))
  }

  /**
   * Reads the user, applies `change` and writes it back if nobody wrote it in between (its version
   * is unchanged): no transaction held across the change, and the write goes to the database with
   * those that arrive with it (ScimWrites). The first try starts from
   * the version this store wrote last, when it knows one, and reads nothing. Under contention on
   * one user, a few rereads, then the user is locked for the write.
   */
  async patch(
    integrationId: string,
    id: string,
    change: (current: ScimUser) => ScimUser,
  ): Promise<ScimUserRecord | null> {
    if (!storableId(id)) return null
    const key = `${integrationId}/${id}`
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      let current = attempt === 0 ? this.recent.get(key) : undefined
      let next: ScimUser | undefined
      if (current !== undefined) {
        try {
          next = change(cloneJson(current.user))
        } catch {
          // the change may not fit an older version: decided on the user as it is now
          current = undefined
        }
      }
      if (current === undefined || next === undefined) {
        const [row] = await this.db.query<ScimUserRow>(BY_ID, [integrationId, id])
        if (!row) {
          this.recent.delete(key)
          return null
        }
        current = fromRow(row)
        next = change(cloneJson(current.user))
      }
      const record = this.changed(current, storable(next))
      const written = await this.writes.write({
        integrationId,
        record,
        expected: current.version,
        deactivated: current.user.active && !next.active,
      })
      if (written) {
        this.remember(integrationId, record)
        return cloneJson(record)
      }
      this.recent.delete(key)
    }
    return this.patchLocked(integrationId, id, change)
  }

  private changed(current: ScimUserRecord, next: ScimUser): ScimUserRecord {
    return { ...current, lastModified: this.now().toISOString(), version: current.version + 1, user: next }
  }

  /** The write under a row lock, for a user several writers keep changing at once. */
  private async patchLocked(
    integrationId: string,
    id: string,
    change: (current: ScimUser) => ScimUser,
  ): Promise<ScimUserRecord | null> {
    let next: ScimUser | null = null
    try {
      const written = await this.db.transaction(async (tx) => {
        const [row] = await tx.query<ScimUserRow>(`${SELECT} WHERE ${LIVE} AND id = $2 FOR UPDATE`, [
          integrationId,
          id,
        ])
        if (!row) return null
        const current = fromRow(row)
        next = change(cloneJson(current.user))
        const record = this.changed(current, storable(next))
        await tx.query(UPDATE, updateParams(integrationId, record))
        if (current.user.active && !next.active) {
          await recordDeactivation(tx, integrationId, id, new Date(record.lastModified))
        }
        return record
      })
      if (written === null) return null
      this.remember(integrationId, written)
      return cloneJson(written)
    } catch (error) {
      return userNameTaken(error, (next as ScimUser | null)?.userName ?? '')
    }
  }

  async tombstone(integrationId: string, id: string): Promise<boolean> {
    if (!storableId(id)) return false
    this.recent.delete(`${integrationId}/${id}`)
    return this.db.transaction(async (tx) => {
      const at = this.now()
      const [row] = await tx.query<{ active: boolean }>(
        // the version moves too: a write checked against the version it read fails on a deleted user
        `UPDATE scim_users SET deleted_at = $3, version = version + 1 WHERE ${LIVE} AND id = $2 RETURNING active`,
        [integrationId, id, at],
      )
      if (!row) return false
      if (row.active) await recordDeactivation(tx, integrationId, id, at)
      return true
    })
  }

  async users(integrationId: string): Promise<ScimUserRecord[]> {
    return liveScimUsers(this.db, integrationId)
  }
}

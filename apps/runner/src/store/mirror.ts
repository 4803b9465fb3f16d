import type { UserStatus } from '@hrsync/core'
import type { Queryable } from './db.js'
import {
  type StoredTeam,
  type StoredUser,
  TEAM_SELECT,
  type TeamRow,
  teamFromRow,
  type UserRow,
  userFromRow,
} from './directory.js'

/** Pages of users and teams in id order: ids never change, so a page boundary never moves. */
export interface PageQuery {
  /** the last id of the previous page */
  afterId: string | null
  limit: number
  updatedSince: Date | null
}

export interface UserFilter {
  status: UserStatus | null
  origin: 'hr' | 'manual' | null
  linked: boolean | null
}

export async function pageUsers(
  q: Queryable,
  companyId: string,
  page: PageQuery,
  filter: UserFilter,
): Promise<StoredUser[]> {
  const rows = await q.query<UserRow>(
    `SELECT * FROM users WHERE company_id = $1 AND ($2::text IS NULL OR id > $2)
       AND ($3::timestamptz IS NULL OR updated_at >= $3) AND ($4::text IS NULL OR status = $4)
       AND ($5::text IS NULL OR origin = $5)
       AND ($6::boolean IS NULL OR (link_remote_id IS NOT NULL) = $6)
     ORDER BY id LIMIT $7`,
    [companyId, page.afterId, page.updatedSince, filter.status, filter.origin, filter.linked, page.limit],
  )
  return rows.map(userFromRow)
}

export async function pageTeams(
  q: Queryable,
  companyId: string,
  page: PageQuery,
  filter: { kind: StoredTeam['kind'] | null },
): Promise<StoredTeam[]> {
  const rows = await q.query<TeamRow>(
    `${TEAM_SELECT} WHERE t.company_id = $1 AND ($2::text IS NULL OR t.id > $2)
       AND ($3::timestamptz IS NULL OR t.updated_at >= $3) AND ($4::text IS NULL OR t.kind = $4)
     ORDER BY t.id LIMIT $5`,
    [companyId, page.afterId, page.updatedSince, filter.kind, page.limit],
  )
  return rows.map(teamFromRow)
}

/** Users by id, for attaching their state to events. */
export async function usersByIds(q: Queryable, ids: readonly string[]): Promise<StoredUser[]> {
  if (ids.length === 0) return []
  const rows = await q.query<UserRow>('SELECT * FROM users WHERE id = ANY($1::text[])', [ids])
  return rows.map(userFromRow)
}

export async function teamsByIds(q: Queryable, ids: readonly string[]): Promise<StoredTeam[]> {
  if (ids.length === 0) return []
  const rows = await q.query<TeamRow>(`${TEAM_SELECT} WHERE t.id = ANY($1::text[])`, [ids])
  return rows.map(teamFromRow)
}

import type { Directory, DirectoryTeam, DirectoryUser, PersonRecord, UserStatus } from '@hrsync/core'
import type { Queryable } from './db.js'
import type { Actor } from './keys.js'
import { BATCH_ROWS, iso, json, newId, toJson } from './rows.js'

/** A directory user as the store keeps it: the core's view plus the company and timestamps. */
export interface StoredUser extends DirectoryUser {
  companyId: string
  adminDeactivated: boolean
  keepAccessUntil: string | null
  /** who deactivated them ahead of HR, while that override stands */
  deactivatedBy: Actor | null
  invitedAt: string | null
  acceptedAt: string | null
  createdAt: string
  /** when anything about the user last changed: mirrors fetch what changed since */
  updatedAt: string
}

export interface StoredTeam extends DirectoryTeam {
  companyId: string
  integrationId: string | null
  /** nobody reviews the team's expenses: no reviewer, or one without access any more */
  needsReviewer: boolean
  /** when the team, its reviewer or its members last changed */
  updatedAt: string
}

export interface UserRow {
  id: string
  company_id: string
  email: string
  first_name: string | null
  last_name: string | null
  status: UserStatus
  role: 'admin' | 'member'
  link_integration_id: string | null
  link_remote_id: string | null
  origin: 'hr' | 'manual'
  person: unknown
  pinned_team_key: string | null
  invited_at: unknown
  accepted_at: unknown
  created_at: unknown
  deactivated_by_admin?: unknown
  keep_access_until?: string | null
  updated_at: unknown
}

export function userFromRow(row: UserRow): StoredUser {
  return {
    id: row.id,
    companyId: row.company_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    role: row.role,
    link:
      row.link_integration_id && row.link_remote_id
        ? { integrationId: row.link_integration_id, remoteId: row.link_remote_id }
        : null,
    origin: row.origin,
    person: row.person ? json<PersonRecord>(row.person) : null,
    pinnedTeamKey: row.pinned_team_key,
    adminDeactivated: Boolean(row.deactivated_by_admin),
    deactivatedBy: row.deactivated_by_admin ? json<Actor>(row.deactivated_by_admin) : null,
    keepAccessUntil: row.keep_access_until ?? null,
    invitedAt: iso(row.invited_at),
    acceptedAt: iso(row.accepted_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  }
}

export interface TeamRow {
  id: string
  company_id: string
  integration_id: string | null
  name: string
  kind: DirectoryTeam['kind']
  key: string | null
  name_overridden: boolean
  reviewer_user_id: string | null
  members: unknown
  needs_reviewer: boolean
  updated_at: unknown
}

export function teamFromRow(row: TeamRow): StoredTeam {
  return {
    id: row.id,
    companyId: row.company_id,
    integrationId: row.integration_id,
    name: row.name,
    kind: row.kind,
    key: row.key,
    nameOverridden: row.name_overridden,
    reviewerUserId: row.reviewer_user_id,
    memberUserIds: json<string[] | null>(row.members) ?? [],
    needsReviewer: row.needs_reviewer,
    updatedAt: iso(row.updated_at)!,
  }
}

export const TEAM_SELECT = `SELECT t.*, (
    SELECT coalesce(json_agg(m.user_id ORDER BY m.position), '[]'::json) FROM team_members m WHERE m.team_id = t.id
  ) AS members, NOT EXISTS (
    SELECT 1 FROM users r WHERE r.id = t.reviewer_user_id AND r.status = 'active'
  ) AS needs_reviewer FROM teams t`

export async function listUsers(q: Queryable, companyId: string): Promise<StoredUser[]> {
  const rows = await q.query<UserRow>('SELECT * FROM users WHERE company_id = $1 ORDER BY lower(email), id', [
    companyId,
  ])
  return rows.map(userFromRow)
}

export async function getUser(q: Queryable, id: string): Promise<StoredUser | null> {
  const [row] = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])
  return row ? userFromRow(row) : null
}

export async function findUserByEmail(
  q: Queryable,
  companyId: string,
  email: string,
): Promise<StoredUser | null> {
  const [row] = await q.query<UserRow>(
    'SELECT * FROM users WHERE company_id = $1 AND lower(trim(email)) = lower(trim($2)) LIMIT 1',
    [companyId, email],
  )
  return row ? userFromRow(row) : null
}

export async function listTeams(q: Queryable, companyId: string): Promise<StoredTeam[]> {
  const rows = await q.query<TeamRow>(
    `${TEAM_SELECT} WHERE t.company_id = $1 ORDER BY t.kind, lower(t.name), t.id`,
    [companyId],
  )
  return rows.map(teamFromRow)
}

export async function getTeam(q: Queryable, id: string): Promise<StoredTeam | null> {
  const [row] = await q.query<TeamRow>(`${TEAM_SELECT} WHERE t.id = $1`, [id])
  return row ? teamFromRow(row) : null
}

/** The company's users and teams, as the sync rules read them. */
export async function loadDirectory(q: Queryable, companyId: string): Promise<Directory> {
  const [users, teams] = [await listUsers(q, companyId), await listTeams(q, companyId)]
  return { users, teams }
}

export interface NewUser {
  companyId: string
  email: string
  firstName: string | null
  lastName: string | null
  status: UserStatus
  role?: 'admin' | 'member'
  origin: 'hr' | 'manual'
  link?: { integrationId: string; remoteId: string } | null
  person?: PersonRecord | null
}

export async function insertUser(q: Queryable, user: NewUser): Promise<StoredUser> {
  const [row] = await q.query<UserRow>(
    `INSERT INTO users (id, company_id, email, first_name, last_name, status, role, origin,
       link_integration_id, link_remote_id, person, accepted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, CASE WHEN $6 = 'active' THEN now() END)
     RETURNING *`,
    [
      newId('usr'),
      user.companyId,
      user.email,
      user.firstName,
      user.lastName,
      user.status,
      user.role ?? 'member',
      user.origin,
      user.link?.integrationId ?? null,
      user.link?.remoteId ?? null,
      toJson(user.person),
    ],
  )
  return userFromRow(row!)
}

/**
 * Inserts users a sync creates, many rows per statement (a first sync creates thousands). Returns
 * their ids in the order given.
 */
export async function insertUsers(q: Queryable, users: readonly NewUser[]): Promise<string[]> {
  const ids = users.map(() => newId('usr'))
  for (let start = 0; start < users.length; start += BATCH_ROWS) {
    const batch = users.slice(start, start + BATCH_ROWS)
    const column = <T>(pick: (user: NewUser) => T) => batch.map(pick)
    await q.query(
      `INSERT INTO users (id, company_id, email, first_name, last_name, status, role, origin,
         link_integration_id, link_remote_id, person, accepted_at)
       SELECT id, company_id, email, first_name, last_name, status, role, origin,
         link_integration_id, link_remote_id, person::jsonb, CASE WHEN status = 'active' THEN now() END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::text[], $11::text[])
         AS new_user(id, company_id, email, first_name, last_name, status, role, origin,
           link_integration_id, link_remote_id, person)`,
      [
        ids.slice(start, start + BATCH_ROWS),
        column((user) => user.companyId),
        column((user) => user.email),
        column((user) => user.firstName),
        column((user) => user.lastName),
        column((user) => user.status),
        column((user) => user.role ?? 'member'),
        column((user) => user.origin),
        column((user) => user.link?.integrationId ?? null),
        column((user) => user.link?.remoteId ?? null),
        column((user) => toJson(user.person)),
      ],
    )
  }
  return ids
}

/** The last of several entries per user id, in their order: what writing them one by one leaves. */
function lastPerId<T extends { userId: string }>(entries: readonly T[]): T[] {
  const byId = new Map<string, T>()
  for (const entry of entries) {
    byId.delete(entry.userId)
    byId.set(entry.userId, entry)
  }
  return [...byId.values()]
}

/** Sets the HR record of many users, many rows per statement. */
export async function updatePersons(
  q: Queryable,
  updates: readonly { userId: string; person: PersonRecord | null }[],
): Promise<void> {
  const rows = lastPerId(updates)
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS)
    await q.query(
      `UPDATE users SET person = changed.person::jsonb, updated_at = now()
       FROM unnest($1::text[], $2::text[]) AS changed(id, person) WHERE users.id = changed.id`,
      [batch.map((row) => row.userId), batch.map((row) => toJson(row.person))],
    )
  }
}

/** Sets the names of many users, many rows per statement. */
export async function renameUsers(
  q: Queryable,
  names: readonly { userId: string; firstName: string | null; lastName: string | null }[],
): Promise<void> {
  const rows = lastPerId(names)
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS)
    await q.query(
      `UPDATE users SET first_name = changed.first_name, last_name = changed.last_name, updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[]) AS changed(id, first_name, last_name)
       WHERE users.id = changed.id`,
      [batch.map((row) => row.userId), batch.map((row) => row.firstName), batch.map((row) => row.lastName)],
    )
  }
}

/** Removes a user record and every team reference to it. */
export async function deleteUser(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE teams SET reviewer_user_id = NULL, updated_at = now() WHERE reviewer_user_id = $1', [
    id,
  ])
  await q.query(
    'UPDATE teams SET updated_at = now() WHERE id IN (SELECT team_id FROM team_members WHERE user_id = $1)',
    [id],
  )
  await q.query('DELETE FROM team_members WHERE user_id = $1', [id])
  await q.query('DELETE FROM users WHERE id = $1', [id])
}

export async function updateUser(
  q: Queryable,
  id: string,
  fields: Partial<{
    status: UserStatus
    firstName: string | null
    lastName: string | null
    link: { integrationId: string; remoteId: string } | null
    person: PersonRecord | null
    pinnedTeamKey: string | null
    invitationTokenHash: string | null
    invitedAt: Date | null
    acceptedAt: Date | null
    role: 'admin' | 'member'
    /** an admin's deactivation ahead of HR: who, or null once lifted */
    deactivatedByAdmin: Actor | null
    keepAccessUntil: string | null
  }>,
): Promise<void> {
  const sets: string[] = []
  const params: unknown[] = [id]
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value)
    sets.push(`${column} = $${params.length}${cast}`)
  }
  if (fields.status !== undefined) set('status', fields.status)
  if (fields.firstName !== undefined) set('first_name', fields.firstName)
  if (fields.lastName !== undefined) set('last_name', fields.lastName)
  if (fields.link !== undefined) {
    set('link_integration_id', fields.link?.integrationId ?? null)
    set('link_remote_id', fields.link?.remoteId ?? null)
  }
  if (fields.person !== undefined) set('person', toJson(fields.person), '::jsonb')
  if (fields.pinnedTeamKey !== undefined) set('pinned_team_key', fields.pinnedTeamKey)
  if (fields.invitationTokenHash !== undefined) set('invitation_token_hash', fields.invitationTokenHash)
  if (fields.invitedAt !== undefined) set('invited_at', fields.invitedAt)
  if (fields.acceptedAt !== undefined) set('accepted_at', fields.acceptedAt)
  if (fields.role !== undefined) set('role', fields.role)
  if (fields.deactivatedByAdmin !== undefined)
    set('deactivated_by_admin', toJson(fields.deactivatedByAdmin), '::jsonb')
  if (fields.keepAccessUntil !== undefined) set('keep_access_until', fields.keepAccessUntil)
  if (sets.length === 0) return
  await q.query(`UPDATE users SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params)
}

export async function userByInvitationHash(q: Queryable, hash: string): Promise<StoredUser | null> {
  const [row] = await q.query<UserRow>('SELECT * FROM users WHERE invitation_token_hash = $1 FOR UPDATE', [
    hash,
  ])
  return row ? userFromRow(row) : null
}

export async function insertTeam(
  q: Queryable,
  team: Omit<StoredTeam, 'id' | 'nameOverridden' | 'needsReviewer' | 'updatedAt'> & {
    nameOverridden?: boolean
  },
): Promise<StoredTeam> {
  const id = newId('team')
  await q.query(
    `INSERT INTO teams (id, company_id, integration_id, name, kind, key, name_overridden, reviewer_user_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      team.companyId,
      team.integrationId,
      team.name,
      team.kind,
      team.key,
      team.nameOverridden ?? false,
      team.reviewerUserId,
    ],
  )
  await setTeamMembers(q, id, team.memberUserIds)
  return (await getTeam(q, id))!
}

export async function updateTeam(
  q: Queryable,
  id: string,
  fields: Partial<{
    name: string
    nameOverridden: boolean
    reviewerUserId: string | null
    kind: DirectoryTeam['kind']
    key: string | null
    integrationId: string | null
  }>,
): Promise<void> {
  const columns: Record<string, string> = {
    name: 'name',
    nameOverridden: 'name_overridden',
    reviewerUserId: 'reviewer_user_id',
    kind: 'kind',
    key: 'key',
    integrationId: 'integration_id',
  }
  const params: unknown[] = [id]
  const sets: string[] = []
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue
    params.push(value)
    sets.push(`${columns[field]} = $${params.length}`)
  }
  if (sets.length > 0)
    await q.query(`UPDATE teams SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params)
}

export async function setTeamMembers(q: Queryable, teamId: string, userIds: string[]): Promise<void> {
  await q.query('DELETE FROM team_members WHERE team_id = $1', [teamId])
  await q.query('UPDATE teams SET updated_at = now() WHERE id = $1', [teamId])
  const unique = [...new Set(userIds)]
  for (const [position, userId] of unique.entries()) {
    await q.query('INSERT INTO team_members (team_id, user_id, position) VALUES ($1, $2, $3)', [
      teamId,
      userId,
      position,
    ])
  }
}

export async function deleteTeam(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM teams WHERE id = $1', [id])
}

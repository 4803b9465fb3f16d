import type { UserStatus } from '@hrsync/core'
import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Company,
  getCompany,
  getTeam,
  getUser,
  pageTeams,
  pageUsers,
  type StoredTeam,
} from '../store/index.js'
import { type UserView, userViews } from './people.js'

/** What a list answers: one page, and the cursor of the next (null on the last page). */
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export interface PageOptions {
  cursor?: string
  limit?: number
  updatedSince?: string
}

export const DEFAULT_PAGE = 100

/** Cursors are opaque to callers: the last id seen, so a page never skips or repeats a row. */
function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64url')
}

function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    const after = (decoded as { after?: unknown } | null)?.after
    if (typeof after === 'string' && after.length > 0) return after
  } catch {
    // falls through to the refusal
  }
  throw new RunnerError('invalid_cursor', 'query.cursor is not a cursor this API returned')
}

function pageQuery(options: PageOptions) {
  const updatedSince = options.updatedSince === undefined ? null : new Date(options.updatedSince)
  if (updatedSince && Number.isNaN(updatedSince.getTime())) {
    throw new RunnerError(
      'invalid_request',
      'query.updatedSince must be a date-time, e.g. 2025-01-31T00:00:00Z',
    )
  }
  const limit = options.limit ?? DEFAULT_PAGE
  // one row more than asked tells whether another page follows
  return { afterId: decodeCursor(options.cursor), limit: limit + 1, updatedSince, wanted: limit }
}

function paged<T extends { id: string }>(rows: T[], wanted: number): Page<T> {
  const items = rows.slice(0, wanted)
  return { items, nextCursor: rows.length > wanted ? encodeCursor(items.at(-1)!.id) : null }
}

async function companyOf(ctx: RunnerContext, companyId: string): Promise<Company> {
  const company = await getCompany(ctx.db, companyId)
  if (!company) throw notFound('company', companyId)
  return company
}

export async function listUsersPage(
  ctx: RunnerContext,
  companyId: string,
  options: PageOptions & { status?: UserStatus; source?: 'hr' | 'manual'; linked?: boolean },
): Promise<Page<UserView>> {
  const company = await companyOf(ctx, companyId)
  const { wanted, ...page } = pageQuery(options)
  const rows = await pageUsers(ctx.db, companyId, page, {
    status: options.status ?? null,
    origin: options.source ?? null,
    linked: options.linked ?? null,
  })
  const { items, nextCursor } = paged(rows, wanted)
  return { items: await userViews(ctx, company.timeZone, items), nextCursor }
}

export async function getCompanyUser(
  ctx: RunnerContext,
  companyId: string,
  userId: string,
): Promise<UserView> {
  const company = await companyOf(ctx, companyId)
  const user = await getUser(ctx.db, userId)
  if (!user || user.companyId !== companyId) throw notFound('user', userId)
  return (await userViews(ctx, company.timeZone, [user]))[0]!
}

export async function listTeamsPage(
  ctx: RunnerContext,
  companyId: string,
  options: PageOptions & { kind?: StoredTeam['kind'] },
): Promise<Page<StoredTeam>> {
  await companyOf(ctx, companyId)
  const { wanted, ...page } = pageQuery(options)
  return paged(await pageTeams(ctx.db, companyId, page, { kind: options.kind ?? null }), wanted)
}

export async function getCompanyTeam(
  ctx: RunnerContext,
  companyId: string,
  teamId: string,
): Promise<StoredTeam> {
  await companyOf(ctx, companyId)
  const team = await getTeam(ctx.db, teamId)
  if (!team || team.companyId !== companyId) throw notFound('team', teamId)
  return team
}

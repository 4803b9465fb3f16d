import { todayIn } from '@hrsync/core'
import { Value } from '@sinclair/typebox/value'
import { TeamBody, UserViewBody } from '../api/schemas.js'
import type { RunnerContext } from '../context.js'
import { connectorNames, view } from '../services/people.js'
import { getCompany, type NewEvent, type Queryable, teamsByIds, usersByIds } from '../store/index.js'

const idOf = (payload: Record<string, unknown>, key: 'userId' | 'teamId') =>
  typeof payload[key] === 'string' ? (payload[key] as string) : null

/** The user events that give access or take it away: a team's `needsReviewer` follows its reviewer's. */
const ACCESS_EVENTS = new Set(['user.accepted', 'user.deactivated'])

/**
 * The teams whose reviewer gains or loses access in `events` change with it (`needsReviewer`): each
 * is touched, so `updatedSince` finds it, and gets a `team.reviewer_access_changed` event, unless
 * the same events already say something about that team (a sync moving the reviewer, say).
 */
async function reviewedTeamEvents(q: Queryable, events: NewEvent[]): Promise<NewEvent[]> {
  const causes = new Map<string, NewEvent>()
  for (const event of events) {
    const userId = idOf(event.payload, 'userId')
    if (userId !== null && ACCESS_EVENTS.has(event.type)) causes.set(userId, event)
  }
  if (causes.size === 0) return []
  const told = events.flatMap((event) => idOf(event.payload, 'teamId') ?? [])
  const touched = await q.query<{
    id: string
    company_id: string
    integration_id: string | null
    reviewer_user_id: string
  }>(
    `UPDATE teams SET updated_at = now()
      WHERE reviewer_user_id = ANY($1::text[]) AND NOT (id = ANY($2::text[]))
      RETURNING id, company_id, integration_id, reviewer_user_id`,
    [[...causes.keys()], told],
  )
  return touched.map((team) => ({
    companyId: team.company_id,
    integrationId: team.integration_id,
    type: 'team.reviewer_access_changed',
    payload: { teamId: team.id, reviewerUserId: team.reviewer_user_id },
    actor: causes.get(team.reviewer_user_id)!.actor ?? null,
  }))
}

/**
 * Adds to each event about a user or a team that resource's full state as the API answers it
 * (`user`, `team`; null once deleted), read in the event's own transaction: a consumer mirrors
 * from the event alone. A sync's events carry the state after the whole run. A reviewer's access
 * changing adds an event for each team they review (see reviewedTeamEvents).
 */
export async function withResourceState(
  ctx: Pick<RunnerContext, 'db' | 'registry' | 'now'>,
  q: Queryable,
  given: NewEvent[],
): Promise<NewEvent[]> {
  const events = [...given, ...(await reviewedTeamEvents(q, given))]
  const userIds = new Set(events.flatMap((event) => idOf(event.payload, 'userId') ?? []))
  const teamIds = new Set(events.flatMap((event) => idOf(event.payload, 'teamId') ?? []))
  if (userIds.size === 0 && teamIds.size === 0) return events
  const users = await usersByIds(q, [...userIds])
  const names = await connectorNames(ctx, users, q)
  const todays = new Map<string, string>()
  for (const companyId of new Set(users.map((user) => user.companyId))) {
    const company = await getCompany(q, companyId)
    todays.set(companyId, todayIn(company?.timeZone ?? 'UTC', ctx.now()))
  }
  const userStates = new Map(
    users.map((user) => [
      user.id,
      Value.Clean(UserViewBody, view(user, names, todays.get(user.companyId)!)) as Record<string, unknown>,
    ]),
  )
  const teamStates = new Map(
    (await teamsByIds(q, [...teamIds])).map((team) => [team.id, Value.Clean(TeamBody, { ...team })]),
  )
  return events.map((event) => {
    const userId = idOf(event.payload, 'userId')
    const teamId = idOf(event.payload, 'teamId')
    if (userId === null && teamId === null) return event
    return {
      ...event,
      payload: {
        ...event.payload,
        ...(userId !== null ? { user: userStates.get(userId) ?? null } : {}),
        ...(teamId !== null ? { team: teamStates.get(teamId) ?? null } : {}),
      },
    }
  })
}

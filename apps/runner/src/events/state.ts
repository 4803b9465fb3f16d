import { todayIn } from '@hrsync/core'
import { Value } from '@sinclair/typebox/value'
import { TeamBody, UserViewBody } from '../api/schemas.js'
import type { RunnerContext } from '../context.js'
import { connectorNames, view } from '../services/people.js'
import { getCompany, type NewEvent, type Queryable, teamsByIds, usersByIds } from '../store/index.js'

const idOf = (payload: Record<string, unknown>, key: 'userId' | 'teamId') =>
  typeof payload[key] === 'string' ? (payload[key] as string) : null

/**
 * Adds to each event about a user or a team that resource's full state as the API answers it
 * (`user`, `team`; null once deleted), read in the event's own transaction: a consumer mirrors
 * from the event alone. A sync's events carry the state after the whole run.
 */
export async function withResourceState(
  ctx: Pick<RunnerContext, 'db' | 'registry' | 'now'>,
  q: Queryable,
  events: NewEvent[],
): Promise<NewEvent[]> {
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

import type { RunnerContext } from '../context.js'
import { notFound, RunnerError } from '../errors.js'
import {
  type Actor,
  type Company,
  createCompany,
  eraseCompany,
  getCompany,
  type HrsyncEvent,
  listCompanies,
  listEvents,
  listIntegrations,
  type Plan,
  pausedBy,
  updateCompany,
} from '../store/index.js'
import { disconnect } from './disconnect.js'

/** A company as the API shows it: `paused: 'plan'` while its plan has no HR integration. */
export interface CompanyView extends Company {
  paused: 'plan' | null
}

const viewOf = (company: Company): CompanyView => ({ ...company, paused: pausedBy(company) })

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new RunnerError('invalid_request', `body.timeZone "${timeZone}" is not an IANA time zone`)
  }
}

export async function addCompany(
  ctx: RunnerContext,
  body: { name: string; plan: Plan; timeZone: string },
  actor: Actor,
): Promise<CompanyView> {
  checkTimeZone(body.timeZone)
  const company = await ctx.db.transaction(async (tx) => {
    const company = await createCompany(tx, body)
    await ctx.events.append(tx, [
      { companyId: company.id, integrationId: null, type: 'company.created', payload: { ...company }, actor },
    ])
    return company
  })
  ctx.events.committed()
  return viewOf(company)
}

/** Every company for an operator key; a company key's own company only. */
export async function companiesFor(ctx: RunnerContext, only: string | null): Promise<CompanyView[]> {
  const companies = await listCompanies(ctx.db)
  return companies.filter((company) => only === null || company.id === only).map(viewOf)
}

export async function companyDetail(ctx: RunnerContext, companyId: string) {
  const company = await getCompany(ctx.db, companyId)
  if (!company) throw notFound('company', companyId)
  const integrations = await listIntegrations(ctx.db, company.id)
  return {
    ...viewOf(company),
    integrations: integrations.map(({ id, connectorId, status }) => ({ id, connectorId, status })),
  }
}

/**
 * A page of a company's event log, oldest first. `nextAfter` is the cursor for the next page: the
 * last event's id, or the cursor given when the page is empty, so polling never moves backwards.
 */
export async function companyEvents(
  ctx: RunnerContext,
  companyId: string,
  query: { after?: number; limit?: number; type?: string },
): Promise<{ events: HrsyncEvent[]; nextAfter: number }> {
  if (!(await getCompany(ctx.db, companyId))) throw notFound('company', companyId)
  const events = await listEvents(ctx.db, companyId, query)
  return { events, nextAfter: events.at(-1)?.id ?? query.after ?? 0 }
}

/**
 * Changes a company's name, plan or time zone. A plan without HR integrations pauses its syncs and
 * SCIM writes (`paused: 'plan'`); an eligible plan again resumes them: the scheduler takes the
 * integrations that fell due meanwhile at once.
 */
export async function changeCompany(
  ctx: RunnerContext,
  companyId: string,
  body: Partial<{ name: string; plan: Plan; timeZone: string }>,
  actor: Actor,
): Promise<CompanyView> {
  if (body.timeZone !== undefined) checkTimeZone(body.timeZone)
  const updated = await ctx.db.transaction(async (tx) => {
    const before = await getCompany(tx, companyId)
    if (!before) throw notFound('company', companyId)
    const after = (await updateCompany(tx, companyId, body))!
    const [was, is] = [pausedBy(before), pausedBy(after)]
    await ctx.events.append(tx, [
      { companyId, integrationId: null, type: 'company.updated', payload: { ...body }, actor },
      ...(was === is
        ? []
        : [
            {
              companyId,
              integrationId: null,
              type: is === null ? 'company.resumed' : 'company.paused',
              payload: { reason: 'plan', plan: after.plan },
              actor,
            },
          ]),
    ])
    return after
  })
  ctx.events.committed()
  return viewOf(updated)
}

/**
 * Removes a company for good: every integration is disconnected first (R7, stopping its syncs and
 * SCIM tokens), then everything kept about the company is erased but one `company.deleted` event
 * with its id. `confirm` must repeat the company's id or its exact name.
 */
export async function removeCompany(
  ctx: RunnerContext,
  companyId: string,
  confirm: string,
  actor: Actor,
): Promise<{ deleted: true; disconnected: number }> {
  const company = await getCompany(ctx.db, companyId)
  if (!company) throw notFound('company', companyId)
  if (confirm !== company.id && confirm !== company.name) {
    throw new RunnerError(
      'confirmation_mismatch',
      `Deleting erases everything hrsync keeps about ${company.name}: send body.confirm with the company's id or exact name`,
    )
  }
  const connected = (await listIntegrations(ctx.db, companyId)).filter(
    (integration) => integration.status === 'connected',
  )
  for (const integration of connected) await disconnect(ctx, integration.id, actor)
  const all = await listIntegrations(ctx.db, companyId)
  // a sync of an integration waits for its lock; none may write while the rows go
  await lockAll(
    ctx,
    all.map((integration) => integration.id),
    () =>
      ctx.db.transaction(async (tx) => {
        await eraseCompany(tx, companyId)
        // the one trace left: the app's webhook learns the company is gone
        await ctx.events.append(tx, [
          { companyId, integrationId: null, type: 'company.deleted', payload: { companyId }, actor },
        ])
      }),
  )
  ctx.events.committed()
  for (const integration of all) ctx.scimTokens.forget(integration.id)
  ctx.logger.info('company deleted', { companyId, by: actor.keyId })
  return { deleted: true, disconnected: connected.length }
}

function lockAll(ctx: RunnerContext, ids: string[], fn: () => Promise<void>): Promise<void> {
  const [first, ...rest] = ids
  if (first === undefined) return fn()
  return ctx.locks.exclusive(first, () => lockAll(ctx, rest, fn))
}

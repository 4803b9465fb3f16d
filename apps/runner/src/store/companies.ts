import type { Queryable } from './db.js'
import { iso, newId } from './rows.js'

export const PLANS = ['starter', 'essential', 'advanced', 'beyond'] as const
export type Plan = (typeof PLANS)[number]
/** The plans that include an HR integration. */
export const HR_PLANS: readonly Plan[] = ['advanced', 'beyond']

export interface Company {
  id: string
  name: string
  plan: Plan
  timeZone: string
  createdAt: string
}

interface CompanyRow {
  id: string
  name: string
  plan: Plan
  time_zone: string
  created_at: unknown
}

function fromRow(row: CompanyRow): Company {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    timeZone: row.time_zone,
    createdAt: iso(row.created_at)!,
  }
}

export async function createCompany(
  q: Queryable,
  fields: { name: string; plan: Plan; timeZone: string },
): Promise<Company> {
  const [row] = await q.query<CompanyRow>(
    'INSERT INTO companies (id, name, plan, time_zone) VALUES ($1, $2, $3, $4) RETURNING *',
    [newId('cmp'), fields.name, fields.plan, fields.timeZone],
  )
  return fromRow(row!)
}

export async function getCompany(q: Queryable, id: string): Promise<Company | null> {
  const [row] = await q.query<CompanyRow>('SELECT * FROM companies WHERE id = $1', [id])
  return row ? fromRow(row) : null
}

export async function listCompanies(q: Queryable): Promise<Company[]> {
  const rows = await q.query<CompanyRow>('SELECT * FROM companies ORDER BY created_at, id')
  return rows.map(fromRow)
}

/** Why a company's syncs and SCIM writes wait: `plan` when its plan has no HR integration. */
export function pausedBy(company: Pick<Company, 'plan'>): 'plan' | null {
  return HR_PLANS.includes(company.plan) ? null : 'plan'
}

/** The company an integration belongs to, or null when there is no such integration. */
export async function companyOfIntegration(q: Queryable, integrationId: string): Promise<Company | null> {
  const [row] = await q.query<CompanyRow>(
    'SELECT c.* FROM companies c JOIN integrations i ON i.company_id = c.id WHERE i.id = $1',
    [integrationId],
  )
  return row ? fromRow(row) : null
}

export async function updateCompany(
  q: Queryable,
  id: string,
  fields: Partial<{ name: string; plan: Plan; timeZone: string }>,
): Promise<Company | null> {
  const [row] = await q.query<CompanyRow>(
    `UPDATE companies SET name = coalesce($2, name), plan = coalesce($3, plan), time_zone = coalesce($4, time_zone)
     WHERE id = $1 RETURNING *`,
    [id, fields.name ?? null, fields.plan ?? null, fields.timeZone ?? null],
  )
  return row ? fromRow(row) : null
}

/**
 * Erases a company and everything kept about it, children first. Its integrations must be
 * disconnected already (no sync may be writing). The event log keeps nothing of it either.
 */
export async function eraseCompany(q: Queryable, id: string): Promise<void> {
  const integrations = 'SELECT id FROM integrations WHERE company_id = $1'
  for (const statement of [
    `DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM events WHERE company_id = $1)`,
    'DELETE FROM webhook_endpoints WHERE company_id = $1',
    'DELETE FROM events WHERE company_id = $1',
    `DELETE FROM held_removals WHERE integration_id IN (${integrations})`,
    'DELETE FROM sync_runs WHERE company_id = $1',
    'DELETE FROM team_members WHERE team_id IN (SELECT id FROM teams WHERE company_id = $1)',
    'DELETE FROM teams WHERE company_id = $1',
    'DELETE FROM users WHERE company_id = $1',
    `DELETE FROM scim_deactivations WHERE integration_id IN (${integrations})`,
    `DELETE FROM scim_users WHERE integration_id IN (${integrations})`,
    'DELETE FROM integrations WHERE company_id = $1',
    'DELETE FROM api_keys WHERE company_id = $1',
    'DELETE FROM companies WHERE id = $1',
  ]) {
    await q.query(statement, [id])
  }
}

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

import { api } from './api.js'

/**
 * The key the console signed in with (GET /api/me): an operator key or the admin token opens every
 * company (companyId null); a company key opens its one company.
 */
export interface Me {
  key: { id: string; kind: 'operator' | 'company'; name: string; prefix: string }
  companyId: string | null
}

/** The signed-in key's scope; with `token`, the scope of that key instead (signing in checks it). */
export const fetchMe = (token?: string): Promise<Me> => api<Me>('GET', '/api/me', undefined, token)

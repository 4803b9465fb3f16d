import personio from '@hrsync/connector-personio'
import nock from 'nock'

export { personio }
export const PERSONIO = 'https://api.personio.de'
export const PERSONIO_CONFIG = { clientId: 'client-id', clientSecret: 'client-secret-8d1f0c' }

const attr = (key: string, value: unknown) => ({ label: key, value, type: 'standard', universal_id: key })

/** One Personio employee record as the v1 API lists it. */
export function record(i: number, title = 'Engineer') {
  return {
    type: 'Employee',
    attributes: {
      id: attr('id', i),
      first_name: attr('first_name', `First${i}`),
      last_name: attr('last_name', `Last${i}`),
      email: attr('email', `person${i}@acme.test`),
      status: attr('status', 'active'),
      position: attr('position', title),
      supervisor: attr(
        'supervisor',
        i === 1 ? null : { type: 'Employee', attributes: { id: attr('id', 1) } },
      ),
      department: attr('department', null),
      hire_date: attr('hire_date', '2020-01-07T00:00:00+01:00'),
      termination_date: attr('termination_date', null),
    },
  }
}

export type Fault = '500' | 'timeout' | 'malformed JSON' | 'HTML error page'

/**
 * Personio on nock: the token exchange and `count` people in pages of 100. `fault` breaks the page
 * at `faultPage` (0-based) on every attempt.
 */
export function personioServing(
  count: number,
  options: { title?: string; fault?: Fault; faultPage?: number } = {},
): void {
  nock.cleanAll()
  nock(PERSONIO)
    .persist()
    .post('/v1/auth')
    .reply(200, { success: true, data: { token: 'personio-token-31b7' } })
  if (options.fault === 'timeout') {
    // what the kit sees when the vendor never answers: the transport's timeout over the whole exchange
    nock(PERSONIO)
      .persist()
      .get('/v1/company/employees')
      .query((q) => q.limit !== '1' && Number(q.offset) === (options.faultPage ?? 0) * 100)
      .replyWithError(Object.assign(new Error('Timeout awaiting request'), { code: 'ETIMEDOUT' }))
  }
  nock(PERSONIO)
    .persist()
    .get('/v1/company/employees')
    .query(true)
    .reply((uri) => {
      const url = new URL(uri, PERSONIO)
      const limit = Number(url.searchParams.get('limit'))
      const offset = Number(url.searchParams.get('offset'))
      const page = Math.floor(offset / 100)
      if (options.fault && limit > 1 && page === options.faultPage) {
        switch (options.fault) {
          case '500':
            return [500, { success: false, error: { message: 'Internal error' } }]
          case 'malformed JSON':
            return [
              200,
              '{"success": true, "data": [{"type": "Employee", "attri',
              { 'content-type': 'application/json' },
            ]
          case 'HTML error page':
            return [
              502,
              '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
              { 'content-type': 'text/html' },
            ]
        }
      }
      const data = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) =>
        record(offset + i + 1, options.title),
      )
      return [
        200,
        { success: true, metadata: { total_elements: count }, offset, limit, data },
        { 'content-type': 'application/json' },
      ]
    })
}

import { inPages, mapRecords } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import { identify, type PeopleHrEmployee, STATUS, toEmployee } from './mapping.js'

export { dv, identify, type PeopleHrEmployee, type PeopleHrStatus, STATUS, toEmployee } from './mapping.js'

export const PeopleHrConfig = Type.Object({
  apiKey: Secret(
    Type.String({
      minLength: 1,
      title: 'API key',
      description: 'Settings > API in People HR, with the Employee actions ticked',
    }),
  ),
})
export type PeopleHrConfig = Static<typeof PeopleHrConfig>

/** Every answer of the People HR API, errors included (those usually come with HTTP 200). */
interface Envelope<T> {
  isError?: boolean
  Status?: number
  Message?: string
  Result?: T | null
}

/** People HR answers with everyone at once; the connector passes them on this many at a time. */
export const PAGE_SIZE = 25

/** People HR puts application errors in the body; the wording decides which of our codes fits. */
function envelopeError(body: Envelope<unknown>): ConnectorError {
  const said = body.Message?.trim() || 'no message'
  const details = { status: body.Status }
  if (/api\s*key/i.test(said) && /invalid|not valid|incorrect|expired|disabled|deleted|wrong/i.test(said)) {
    return new ConnectorError(
      'invalid_credentials',
      `People HR rejected the API key: "${said}". Check the key under Settings > API; a deleted key stops working at once.`,
      details,
    )
  }
  if (/permission|not authori[sz]ed|not allowed|access/i.test(said)) {
    return new ConnectorError(
      'missing_scope',
      `People HR accepted the API key but refused to list employees: "${said}". Edit the key under Settings > API and tick the Employee "Get" actions (GetAllEmployeeDetail).`,
      details,
    )
  }
  return new ConnectorError('vendor_error', `People HR answered with an error: "${said}"`, details)
}

async function allEmployees(ctx: ConnectorContext<PeopleHrConfig>, includeLeavers: boolean) {
  const { body } = await ctx.http.request<Envelope<PeopleHrEmployee[]>>({
    method: 'POST',
    url: 'Employee',
    // IncludeLeavers as text ("true"), the form most public People HR clients send
    json: {
      APIKey: ctx.config.apiKey,
      Action: 'GetAllEmployeeDetail',
      IncludeLeavers: String(includeLeavers),
    },
  })
  if (body === null || typeof body !== 'object') {
    throw new ConnectorError('malformed_response', 'People HR answered without a body')
  }
  if (body.isError === true) throw envelopeError(body)
  if (!Array.isArray(body.Result)) {
    throw new ConnectorError(
      'malformed_response',
      'People HR answered GetAllEmployeeDetail without a Result list',
    )
  }
  return body.Result
}

export default defineConnector({
  id: 'peoplehr',
  name: 'People HR',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://apidocs.peoplehr.com/',
  config: PeopleHrConfig,
  allowedHosts: ['api.peoplehr.net'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'param',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  // the read is a POST with the key in the body; one answer holds everyone, so allow it time
  http: { retryMethods: ['POST'], timeoutMs: 120_000 },
  baseUrl: () => 'https://api.peoplehr.net',
  auth: () => ({ type: 'none' }),

  errorHints: {
    unreachable: 'Check that outbound HTTPS to api.peoplehr.net is allowed.',
  },

  async checkConnection(ctx: ConnectorContext<PeopleHrConfig>) {
    // no lighter read proves the Employee permission; current staff only keeps it small
    await allEmployees(ctx, false)
  },

  async *listEmployees(ctx: ConnectorContext<PeopleHrConfig>) {
    // with leavers: without them a leaver would look like a deleted record
    const records = await allEmployees(ctx, true)
    for (const page of inPages(records, PAGE_SIZE)) {
      yield mapRecords(page, (record) => toEmployee(record, ctx.now), { identify })
    }
  },
})

import { mapRecords, paginateOData } from '@hrsync/connector-kit'
import { type ConnectorContext, ConnectorError, defineConnector, Secret } from '@hrsync/core'
import { type Static, Type } from '@sinclair/typebox'
import {
  type CascadeEmployee,
  type CascadeJob,
  currentJob,
  type HierarchyNode,
  identify,
  STATUS,
  toEmployee,
} from './mapping.js'

export {
  type CascadeEmployee,
  type CascadeJob,
  type CascadeStatus,
  currentJob,
  type HierarchyNode,
  identify,
  STATUS,
  toEmployee,
  workEmail,
} from './mapping.js'

export const IrisCascadeConfig = Type.Object({
  clientId: Type.String({
    minLength: 1,
    title: 'Client ID',
    description: 'Issued by IRIS when the company signs up for the Cascade HR API',
  }),
  clientSecret: Secret(Type.String({ minLength: 1, title: 'Client secret' })),
})
export type IrisCascadeConfig = Static<typeof IrisCascadeConfig>

export const API_BASE = 'https://api.iris.co.uk/hr/v2'
const TOKEN_URL = 'https://api.iris.co.uk/oauth2/v1/token'
const PAGE_SIZE = 100

/**
 * Every record of one collection, page by page: `@odata.nextLink` is followed, a full `$top` window
 * without a link goes on with `$skip`, and the pull fails when fewer records arrived than `@odata.count`
 * announced, rather than use a partial list.
 */
function collection<T>(ctx: ConnectorContext<IrisCascadeConfig>, path: string): AsyncGenerator<T[]> {
  return paginateOData<T>(ctx, {
    url: path,
    searchParams: { $count: 'true' },
    window: { pageSize: PAGE_SIZE },
    checkCount: true,
    what: `/${path}`,
    vendor: 'IRIS Cascade',
  })
}

async function all<T>(ctx: ConnectorContext<IrisCascadeConfig>, path: string): Promise<T[]> {
  const records: T[] = []
  for await (const items of collection<T>(ctx, path)) records.push(...items)
  return records
}

export default defineConnector({
  id: 'iris-cascade',
  name: 'IRIS Cascade',
  apiVersion: 1,
  mode: 'pull',
  docsUrl: 'https://help.iris.co.uk/hr/cascade/api/',
  config: IrisCascadeConfig,
  allowedHosts: ['api.iris.co.uk'],
  capabilities: {
    listEmployees: {
      includesTerminated: 'always',
      managerRef: 'remoteId',
      statuses: Object.keys(STATUS),
      incremental: false,
    },
  },
  baseUrl: () => API_BASE,
  auth: (c) => ({
    type: 'oauth2-client-credentials',
    tokenUrl: TOKEN_URL,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    credentialsIn: 'basic',
  }),

  errorHints: {
    invalid_credentials:
      'Copy the client ID and secret again from the email IRIS sent when the company signed up for the Cascade HR API, or ask IRIS for new ones.',
    missing_scope:
      'Ask IRIS to enable the employees, jobs and hierarchy HR API resources for the API client.',
    unreachable: 'Check that outbound HTTPS to api.iris.co.uk is allowed.',
  },

  async checkConnection(ctx: ConnectorContext<IrisCascadeConfig>) {
    const { body } = await ctx.http.request<{ value?: unknown }>({
      url: 'employees',
      searchParams: { $top: 1 },
    })
    if (!Array.isArray(body?.value)) {
      throw new ConnectorError('malformed_response', 'IRIS Cascade answered /employees without a value list')
    }
  },

  async *listEmployees(ctx: ConnectorContext<IrisCascadeConfig>) {
    // manager, department and job title live on jobs and the hierarchy: read both before the people
    const departments = new Map<string, string>()
    for (const node of await all<HierarchyNode>(ctx, 'hierarchy')) {
      if (node.Id && node.Title) departments.set(node.Id, node.Title)
    }
    const jobsOf = new Map<string, CascadeJob[]>()
    for (const job of await all<CascadeJob>(ctx, 'jobs')) {
      if (!job.EmployeeId) continue
      jobsOf.set(job.EmployeeId, [...(jobsOf.get(job.EmployeeId) ?? []), job])
    }
    for await (const people of collection<CascadeEmployee>(ctx, 'employees')) {
      yield mapRecords(
        people,
        (person) => toEmployee(person, currentJob(jobsOf.get(person.Id ?? '') ?? []), departments, ctx.now),
        { identify },
      )
    }
  },
})

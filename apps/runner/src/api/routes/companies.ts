import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { RunnerContext } from '../../context.js'
import { notFound, RunnerError } from '../../errors.js'
import { createCompany, getCompany, listCompanies, listEvents, listIntegrations } from '../../store/index.js'
import {
  CompanyBody,
  CompanyDetailBody,
  CompanyListBody,
  CompanyParams,
  CreateCompanyBody,
  EventListBody,
  EventsQuery,
  errors,
} from '../schemas.js'

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

export function companyRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/companies',
      {
        schema: {
          tags: ['companies'],
          summary: 'Create a company',
          body: CreateCompanyBody,
          response: { 201: CompanyBody, ...errors(400) },
        },
      },
      async (request, reply) => {
        if (!validTimeZone(request.body.timeZone)) {
          throw new RunnerError(
            'invalid_request',
            `body.timeZone "${request.body.timeZone}" is not an IANA time zone`,
          )
        }
        const company = await ctx.db.transaction(async (tx) => {
          const company = await createCompany(tx, request.body)
          await ctx.events.append(tx, [
            { companyId: company.id, integrationId: null, type: 'company.created', payload: { ...company } },
          ])
          return company
        })
        ctx.events.committed()
        return reply.status(201).send(company)
      },
    )

    app.get(
      '/api/companies',
      { schema: { tags: ['companies'], summary: 'List companies', response: { 200: CompanyListBody } } },
      async () => ({
        companies: await listCompanies(ctx.db),
      }),
    )

    app.get(
      '/api/companies/:companyId',
      {
        schema: {
          tags: ['companies'],
          summary: 'A company and its integrations',
          params: CompanyParams,
          response: { 200: CompanyDetailBody, ...errors(404) },
        },
      },
      async (request) => {
        const company = await getCompany(ctx.db, request.params.companyId)
        if (!company) throw notFound('company', request.params.companyId)
        const integrations = await listIntegrations(ctx.db, company.id)
        return {
          ...company,
          integrations: integrations.map(({ id, connectorId, status }) => ({ id, connectorId, status })),
        }
      },
    )

    app.get(
      '/api/companies/:companyId/events',
      {
        schema: {
          tags: ['events'],
          summary: 'The event log',
          params: CompanyParams,
          querystring: EventsQuery,
          response: { 200: EventListBody, ...errors(404) },
        },
      },
      async (request) => {
        if (!(await getCompany(ctx.db, request.params.companyId)))
          throw notFound('company', request.params.companyId)
        const events = await listEvents(ctx.db, request.params.companyId, request.query)
        return { events, nextAfter: events.at(-1)?.id ?? request.query.after ?? 0 }
      },
    )
  }
}

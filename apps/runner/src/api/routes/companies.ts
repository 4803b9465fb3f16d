import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import type { RunnerContext } from '../../context.js'
import {
  addCompany,
  changeCompany,
  companiesFor,
  companyDetail,
  companyEvents,
  removeCompany,
} from '../../services/companies.js'
import {
  CompanyViewBody,
  DeleteCompanyBody,
  DeletedCompanyBody,
  PatchCompanyBody,
  PausedField,
} from '../access-schemas.js'
import { actorOf, callerOf } from '../auth.js'
import {
  CompanyDetailBody,
  CompanyParams,
  CreateCompanyBody,
  EventListBody,
  EventsQuery,
  errors,
} from '../schemas.js'

const CompanyListBody = Type.Object({ companies: Type.Array(CompanyViewBody) })
const CompanyDetailView = Type.Composite([CompanyDetailBody, Type.Object({ paused: PausedField })])

export function companyRoutes(ctx: RunnerContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/companies',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['companies'],
          summary: 'Create a company',
          operationId: 'createCompany',
          body: CreateCompanyBody,
          response: { 201: CompanyViewBody, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => reply.status(201).send(await addCompany(ctx, request.body, actorOf(request))),
    )

    app.get(
      '/api/companies',
      {
        config: { companyKeys: 'own' },
        schema: {
          tags: ['companies'],
          summary: 'List companies (a company key sees its own only)',
          operationId: 'listCompanies',
          response: { 200: CompanyListBody, ...errors(401) },
        },
      },
      async (request) => ({ companies: await companiesFor(ctx, callerOf(request).key.companyId) }),
    )

    app.get(
      '/api/companies/:companyId',
      {
        schema: {
          tags: ['companies'],
          summary: 'A company and its integrations',
          operationId: 'getCompany',
          params: CompanyParams,
          response: { 200: CompanyDetailView, ...errors(401, 404) },
        },
      },
      async (request) => companyDetail(ctx, request.params.companyId),
    )

    app.patch(
      '/api/companies/:companyId',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['companies'],
          summary: 'Change the name, plan or time zone of a company',
          description:
            'A plan without HR integrations (Starter, Essential) pauses the company: its syncs and SCIM writes wait (paused: plan) until it moves to Advanced or Beyond again.',
          operationId: 'updateCompany',
          params: CompanyParams,
          body: PatchCompanyBody,
          response: { 200: CompanyViewBody, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => changeCompany(ctx, request.params.companyId, request.body, actorOf(request)),
    )

    app.delete(
      '/api/companies/:companyId',
      {
        config: { companyKeys: 'refused' },
        schema: {
          tags: ['companies'],
          summary: 'Delete a company: disconnect its integrations and erase its data',
          description:
            "Disconnects every integration (R7), then erases the company's users, teams, runs, events and keys. body.confirm must repeat the company's id or exact name.",
          operationId: 'deleteCompany',
          params: CompanyParams,
          body: DeleteCompanyBody,
          response: { 200: DeletedCompanyBody, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => removeCompany(ctx, request.params.companyId, request.body.confirm, actorOf(request)),
    )

    app.get(
      '/api/companies/:companyId/events',
      {
        schema: {
          tags: ['events'],
          summary: 'The event log',
          operationId: 'listEvents',
          params: CompanyParams,
          querystring: EventsQuery,
          response: { 200: EventListBody, ...errors(401, 404) },
        },
      },
      async (request) => companyEvents(ctx, request.params.companyId, request.query),
    )
  }
}

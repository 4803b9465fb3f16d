// The connector families of the vendor benchmark: each one's documented limit (its README's "A sync at
// the documented limit"), its share of companies, and bench connectors making its requests.
import { createRequire } from 'node:module'
import { fetchDetails, paginateOffset } from '../packages/connector-kit/dist/index.js'
import { defineConnector, employee, Secret } from '../packages/core/dist/index.js'

const { Type } = createRequire(new URL('../packages/core/package.json', import.meta.url))('@sinclair/typebox')

export const FAMILIES = {
  // 1 auth + a page per 100 people; 300 a minute
  personio: { share: 0.3, limits: [{ requests: 300, seconds: 60 }] },
  // one search for every id, then one per batch of 50; 50 a minute. Its searches are POSTs that
  // only read, retried as the HiBob connector declares (`retryMethods`)
  hibob: { share: 0.25, limits: [{ requests: 50, seconds: 60 }], retryMethods: ['POST'] },
  // a page per 1,000 people; no published limit
  bamboohr: { share: 0.3, limits: [] },
  // a page per 100 employments, a page per 100 offboardings, a detail call per person; 20 a minute
  remote: { share: 0.15, limits: [{ requests: 20, seconds: 60 }] },
}

// `renamed`: HR changed since the last sync, one person in a hundred has a new last name
const person = (account, renamed) => (id) =>
  employee({
    remoteId: String(id),
    status: 'active',
    email: `p${id}@${account}.test`,
    firstName: `First${id}`,
    lastName: renamed && id % 100 === 0 ? `Renamed${id}` : `Last${id}`,
  })

const pulls = {
  async *personio(ctx, toPerson) {
    await ctx.http.request({ url: 'v1/auth', method: 'POST' })
    for await (const ids of paginateOffset(ctx, {
      url: 'v1/company/employees',
      limit: 100,
      items: (body) => body.data,
      total: (body) => body.metadata.total_elements,
      fetchAhead: 3,
    })) {
      yield ids.map(toPerson)
    }
  },
  async *hibob(ctx, toPerson) {
    const { body } = await ctx.http.request({ url: 'v1/people/search', method: 'POST' })
    for (let batch = 0; batch * 50 < body.employees.length; batch++) {
      const page = await ctx.http.request({
        url: 'v1/people/search',
        method: 'POST',
        searchParams: { batch },
      })
      yield page.body.employees.map(toPerson)
    }
  },
  async *bamboohr(ctx, toPerson) {
    for (let page = 0, pages = 1; page < pages; page++) {
      const { body } = await ctx.http.request({ url: 'v1/employees', searchParams: { page } })
      pages = body.pagination.total_pages
      yield body.data.map(toPerson)
    }
  },
  async *remote(ctx, toPerson) {
    const employments = []
    for (let page = 0, pages = 1; page < pages; page++) {
      const { body } = await ctx.http.request({ url: 'v1/employments', searchParams: { page } })
      pages = body.data.total_pages
      employments.push(...body.data.employments)
    }
    for (let page = 0, pages = 1; page < pages; page++) {
      const { body } = await ctx.http.request({ url: 'v1/offboardings', searchParams: { page } })
      pages = body.data.total_pages
    }
    for (let from = 0; from < employments.length; from += 100) {
      const details = await fetchDetails(ctx, employments.slice(from, from + 100), {
        concurrency: 4,
        fetch: async (id) =>
          (await ctx.http.request({ url: `v1/employments/${id}` })).body.data.employment.id,
      })
      yield details.map(toPerson)
    }
  },
}

/**
 * The bench connectors against the simulator at `simUrl`, their limits divided by `compression`
 * (`paced: false`: none, for a simulator answering at once); `renamed`: see `person`.
 */
export function vendorConnectors(simUrl, compression, { paced = true, renamed = false } = {}) {
  return Object.entries(FAMILIES).map(([family, { limits, retryMethods = [] }]) =>
    defineConnector({
      id: `bench-${family}`,
      name: `${family} (simulated)`,
      apiVersion: 1,
      mode: 'pull',
      config: Type.Object({ token: Secret(Type.String({ minLength: 1 })), account: Type.String() }),
      allowedHosts: ['127.0.0.1'],
      capabilities: {
        listEmployees: {
          includesTerminated: 'always',
          managerRef: 'remoteId',
          statuses: [],
          incremental: false,
        },
      },
      http: {
        retryMethods,
        ...(paced && limits.length > 0
          ? { requestLimits: limits.map((l) => ({ requests: l.requests, seconds: l.seconds / compression })) }
          : {}),
      },
      baseUrl: (config) => `${simUrl}/${family}/${config.account}/`,
      checkConnection: async () => {},
      listEmployees: (ctx) => pulls[family](ctx, person(ctx.config.account, renamed)),
    }),
  )
}

import type { OutgoingHttpHeaders } from 'node:http'
import type { FastifyInstance, InjectOptions } from 'fastify'

/** Statuses a Response may not carry a body with. */
const BODILESS = new Set([101, 204, 205, 304])

/**
 * A function with fetch's signature that hands each request to `app.inject` instead of the network:
 * a client made for HTTP (the typed admin API client) then works on a runner started in this process,
 * its requests passing the same authentication, validation and serialization as over HTTP.
 * Only the path and query of the URL count; its origin is never contacted.
 */
export function injectFetch(app: Pick<FastifyInstance, 'inject'>): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const { pathname, search } = new URL(request.url)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const reply = await app.inject({
      method: request.method as InjectOptions['method'],
      url: `${pathname}${search}`,
      headers: Object.fromEntries(request.headers),
      ...(body ? { payload: body } : {}),
    })
    return new Response(BODILESS.has(reply.statusCode) ? null : reply.rawPayload, {
      status: reply.statusCode,
      statusText: reply.statusMessage,
      headers: toHeaders(reply.headers),
    })
  }
}

/** Node's header record (numbers, repeated headers as arrays) as fetch's Headers. */
function toHeaders(headers: OutgoingHttpHeaders): Headers {
  const result = new Headers()
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) result.append(name, String(one))
  }
  return result
}

// the modules, not their functions: `request` is looked up at each call, so interceptors installed after
// this module loaded (nock in fixture tests) still see every request
import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { brotliDecompress, gunzip, inflate } from 'node:zlib'

/** One HTTP exchange as the kit's client asks for it: no retries, no redirects, no auth. */
export interface TransportRequest {
  method: string
  /** names in any case; a later name overrides an earlier one that differs only in case */
  headers: Record<string, string>
  body?: string
  /** sent as `content-type` unless the headers name one */
  contentType?: string
  /** the whole exchange, from sending to the last byte of the answer */
  timeoutMs: number
  signal: AbortSignal
  /** the most an answer's body may hold, as sent and decompressed (default `MAX_BODY_BYTES`) */
  maxBodyBytes?: number
}

export interface TransportResponse {
  statusCode: number
  headers: IncomingHttpHeaders
  /** the body decompressed and decoded as UTF-8 */
  body: string
}

/** No complete answer within the request's time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  readonly code = 'ETIMEDOUT'
}

/** The answer's body cannot be read: not in the content coding its headers name, or too large. */
export class UnreadableBodyError extends Error {
  override readonly name = 'UnreadableBodyError'
}

/** No page of people comes near this; a body past it is refused rather than held in memory. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024

/** The content codings the kit asks for and undoes. */
export const ACCEPT_ENCODING = 'gzip, deflate, br'

type Decoder = (
  input: Buffer,
  options: { maxOutputLength: number },
  done: (error: Error | null, result: Buffer) => void,
) => void
const decoders: Record<string, Decoder> = {
  gzip: gunzip,
  'x-gzip': gunzip,
  deflate: inflate,
  br: brotliDecompress,
}

const tooLarge = (limit: number) =>
  new UnreadableBodyError(`a body larger than ${Math.floor(limit / 1048576)} MB`)

function decode(
  raw: Buffer,
  coding: string | undefined,
  limit: number,
  done: (error: Error | null, body?: string) => void,
): void {
  const name = coding?.trim().toLowerCase()
  const decoder = name && name !== 'identity' ? decoders[name] : undefined
  if (!decoder || raw.length === 0) {
    done(null, raw.toString('utf8'))
    return
  }
  decoder(raw, { maxOutputLength: limit }, (error, plain) => {
    if (!error) done(null, plain.toString('utf8'))
    else if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') done(tooLarge(limit))
    else done(new UnreadableBodyError(`a body that is not valid ${name}`))
  })
}

/**
 * Sends one request with Node's own `http`/`https` (their default keep-alive agents) and reads the whole
 * answer. Fails with the socket's error (its `code`: ECONNREFUSED, ECONNRESET…), a `TimeoutError`, or the
 * signal's reason when it is aborted; an answer of any status resolves. Nothing outlives the exchange: its
 * timer and its listener on the signal are removed when it settles.
 */
export function send(url: URL, request: TransportRequest): Promise<TransportResponse> {
  const { signal } = request
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    let settled = false
    let req: ClientRequest | undefined
    const finish = (error: unknown, response?: TransportResponse) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      if (error !== null) reject(error)
      else resolve(response as TransportResponse)
    }
    const fail = (error: unknown) => {
      finish(error)
      req?.destroy()
    }
    const onAbort = () => fail(signal.reason)
    const timer = setTimeout(
      () => fail(new TimeoutError(`No complete answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    )
    signal.addEventListener('abort', onAbort, { once: true })
    const headers: Record<string, string> = { 'accept-encoding': ACCEPT_ENCODING }
    for (const name in request.headers) headers[name.toLowerCase()] = request.headers[name] as string
    if (request.contentType && headers['content-type'] === undefined)
      headers['content-type'] = request.contentType
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body))
    const limit = request.maxBodyBytes ?? MAX_BODY_BYTES
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > limit) fail(tooLarge(limit))
        else chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('end', () => {
        if (settled) return
        const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
        decode(raw, res.headers['content-encoding'], limit, (error, body) => {
          if (error) return finish(error)
          finish(null, { statusCode: res.statusCode ?? 0, headers: res.headers, body: body as string })
        })
      })
    }
    try {
      req = (url.protocol === 'https:' ? https : http).request(
        url,
        { method: request.method, headers },
        onResponse,
      )
    } catch (error) {
      return finish(error)
    }
    req.on('error', fail)
    req.end(request.body)
  })
}

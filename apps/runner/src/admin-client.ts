import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createHrsyncClient, type ErrorBody, HrsyncApiError, type HrsyncClient } from '@hrsync/client'
import pino from 'pino'
import { readEnv } from './config.js'
import { DataFolderInUse } from './data-lock.js'
import { injectFetch } from './inject-fetch.js'
import { createLogger } from './logger.js'
import { startRunner } from './runner.js'

/** The origin the in-process client names: never contacted, every request goes to `app.inject`. */
const IN_PROCESS_ORIGIN = 'http://hrsync.in-process'

/** The admin token of the runner holding a data folder: the environment's, or the folder's admin-token file. */
export function holderToken(inUse: DataFolderInUse): string {
  const file = join(inUse.dataDir, 'admin-token')
  return readEnv().adminToken ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : '')
}

/**
 * Runs `work` with the typed admin API client, holding the operator's admin token. It reaches the
 * runner that holds the data folder when one does (two processes on one embedded database lose each
 * other's writes), else a runner started here on the store for the length of the command and called
 * in-process. Either way each request passes the API's own validation and records its actor.
 */
export async function withAdminClient<T>(work: (client: HrsyncClient) => Promise<T>): Promise<T> {
  const { client, close } = await openAdminClient()
  try {
    return await work(client)
  } finally {
    await close()
  }
}

async function openAdminClient(): Promise<{ client: HrsyncClient; close: () => Promise<void> }> {
  try {
    // logs go to stderr: stdout carries only the command's answer
    const runner = await startRunner({
      listen: false,
      scheduler: false,
      logger: createLogger('warn', pino.destination(2)),
    })
    const client = cliClient(IN_PROCESS_ORIGIN, runner.adminToken, injectFetch(runner.services.app))
    return { client, close: () => runner.close() }
  } catch (error) {
    if (!(error instanceof DataFolderInUse && error.holder?.url)) throw error
    const base = error.holder.url
    return { client: cliClient(base, holderToken(error), holderFetch(error, base)), close: async () => {} }
  }
}

/** fetch, with a failure to connect told as the holder not answering. */
function holderFetch(inUse: DataFolderInUse, base: string): typeof fetch {
  return (input, init) =>
    fetch(input, init).catch((error: Error) => {
      throw new Error(
        `the runner holding ${inUse.dataDir} (pid ${inUse.holder?.pid}) did not answer at ${base}: ${error.message}`,
      )
    })
}

/** A 2xx answer whose body is not JSON, e.g. a proxy's page: the status is all the operator can be told. */
class NotJsonAnswer extends Error {
  constructor(readonly status: number) {
    super(`the runner answered ${status} without JSON`)
  }
}

/**
 * The typed client as the CLI uses it: the admin token on every request, and a successful answer
 * that is not JSON refused before the client tries to parse it (dataOf words it for the operator).
 */
export function cliClient(baseUrl: string, token: string, fetch: typeof globalThis.fetch): HrsyncClient {
  const client = createHrsyncClient({ baseUrl, token, fetch })
  client.use({
    onResponse({ response }) {
      const json = response.headers.get('content-type')?.includes('json') ?? false
      if (response.ok && response.status !== 204 && !json) throw new NotJsonAnswer(response.status)
      return undefined
    },
  })
  return client
}

/**
 * The data of a typed call, or an error with the sentence the operator reads: the API's own
 * message, else the status (an answer that is not the API's, e.g. a proxy's error page).
 * `what` names the expected body in the sentence for a 2xx answer that is not JSON.
 */
export async function dataOf<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  what = 'the answer',
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response }
  try {
    answer = await call
  } catch (error) {
    if (error instanceof NotJsonAnswer) throw new Error(`the runner answered ${error.status} without ${what}`)
    throw error
  }
  const { status, ok } = answer.response
  if (ok) return answer.data as T
  const error =
    typeof answer.error === 'object' ? (answer.error as Partial<ErrorBody> | null)?.error : undefined
  throw new HrsyncApiError(
    status,
    error?.code ?? 'http_error',
    error?.message ?? `the runner answered ${status}`,
  )
}

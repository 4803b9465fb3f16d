import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { readEnv } from './config.js'
import { DataFolderInUse } from './data-lock.js'
import { createLogger } from './logger.js'
import { startRunner } from './runner.js'

/** An admin API answer: its status and JSON body. */
export interface AdminAnswer {
  status: number
  body: unknown
}

/** The admin API as the CLI reaches it, with the operator's admin token. */
export interface AdminApi {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<AdminAnswer>
  close(): Promise<void>
}

/** The admin token of the runner holding a data folder: the environment's, or the folder's admin-token file. */
export function holderToken(inUse: DataFolderInUse): string {
  const file = join(inUse.dataDir, 'admin-token')
  return readEnv().adminToken ?? (existsSync(file) ? readFileSync(file, 'utf8').trim() : '')
}

/**
 * The admin API of the runner that holds the data folder when one does (two processes on one
 * embedded database lose each other's writes), else of a runner started here on the store,
 * called in-process. Either way the request passes the API's own validation and records its actor.
 */
export async function openAdminApi(): Promise<AdminApi> {
  try {
    // logs go to stderr: stdout carries only the command's answer
    const runner = await startRunner({
      listen: false,
      scheduler: false,
      logger: createLogger('warn', pino.destination(2)),
    })
    return {
      async call(method, url, body) {
        const response = await runner.services.app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${runner.adminToken}` },
          ...(body === undefined ? {} : { payload: body as object }),
        })
        return { status: response.statusCode, body: response.json() }
      },
      close: () => runner.close(),
    }
  } catch (error) {
    if (!(error instanceof DataFolderInUse && error.holder?.url)) throw error
    return throughHolder(error, error.holder.url)
  }
}

function throughHolder(inUse: DataFolderInUse, base: string): AdminApi {
  const authorization = `Bearer ${holderToken(inUse)}`
  return {
    async call(method, path, body) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers:
          body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).catch((error: Error) => {
        throw new Error(
          `the runner holding ${inUse.dataDir} (pid ${inUse.holder?.pid}) did not answer at ${base}: ${error.message}`,
        )
      })
      // the admin API answers JSON; a body that is not (a proxy's error page) leaves the status to tell the caller
      return { status: response.status, body: await response.json().catch(() => ({})) }
    },
    close: async () => {},
  }
}

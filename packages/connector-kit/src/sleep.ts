import { ConnectorError } from '@hrsync/core'

/** Waits `ms`, or rejects with `aborted` as soon as the signal fires. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export function abortedError(): ConnectorError {
  return new ConnectorError('aborted', 'The pull was cancelled')
}

export const sleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortedError())
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortedError())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })

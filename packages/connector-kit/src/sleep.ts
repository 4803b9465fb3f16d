import { setTimeout as wait } from 'node:timers/promises'
import { ConnectorError } from '@hrsync/core'

/** Waits `ms`, or rejects with `aborted` as soon as the signal fires. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>

export function abortedError(): ConnectorError {
  return new ConnectorError('aborted', 'The pull was cancelled')
}

export const sleep: Sleep = async (ms, signal) => {
  try {
    await wait(ms, undefined, { signal })
  } catch (error) {
    throw signal.aborted ? abortedError() : error
  }
}

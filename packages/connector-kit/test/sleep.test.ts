import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { sleep } from '../src/sleep.js'
import { failure } from './failure.js'

describe('sleep (node:timers/promises)', () => {
  it('issue 21: a wait the signal cancels rejects with aborted and leaves no listener behind', async () => {
    const controller = new AbortController()
    await sleep(1, controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    const pending = failure(sleep(60_000, controller.signal))
    controller.abort()
    expect((await pending).code).toBe('aborted')
    expect((await failure(sleep(1, controller.signal))).code).toBe('aborted')
  })
})

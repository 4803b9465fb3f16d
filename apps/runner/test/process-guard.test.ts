import { Writable } from 'node:stream'
import { ConnectorError } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/logger.js'
import { keepServingOnUnhandledRejection, logUnhandledRejection } from '../src/process-guard.js'

function captured() {
  const lines: Array<Record<string, unknown>> = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  return { lines, log: createLogger('info', sink) }
}

describe('issue 18 §2: a rejection nobody handled', () => {
  it('is logged by name and code, never by a message that may hold a secret', async () => {
    const { lines, log } = captured()
    const onRejection = logUnhandledRejection(log)
    const leaky = Object.assign(new Error('connect to postgres://hrsync:s3cret@db failed'), {
      code: 'ECONNRESET',
    })
    onRejection(leaky)
    onRejection(
      new ConnectorError('unreachable', 'Could not reach Local HR at 127.0.0.1: no answer within 100 ms'),
    )
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines.map((line) => [line.level, line.msg, line.rejection])).toEqual([
      [50, 'a rejection no code handled; the runner keeps serving', { name: 'Error', code: 'ECONNRESET' }],
      [
        50,
        'a rejection no code handled; the runner keeps serving',
        {
          name: 'ConnectorError',
          code: 'unreachable',
          message: 'Could not reach Local HR at 127.0.0.1: no answer within 100 ms',
        },
      ],
    ])
    expect(JSON.stringify(lines)).not.toContain('s3cret')
  })

  it('keeps the process serving: a listener is installed, so Node does not end it, and removed on request', () => {
    const { log } = captured()
    const before = process.listenerCount('unhandledRejection')
    const remove = keepServingOnUnhandledRejection(log)
    expect(process.listenerCount('unhandledRejection')).toBe(before + 1)
    remove()
    expect(process.listenerCount('unhandledRejection')).toBe(before)
  })
})

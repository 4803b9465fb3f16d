import { afterEach, describe, expect, it, vi } from 'vitest'
import { progressText, showProgress } from '../src/sync/progress-bar.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('issue 24: hrsync sync shows a running sync progress', () => {
  it('a bar with people of the total on a terminal, the counts alone otherwise', () => {
    expect(progressText({ pages: 3, people: 120, totalPeople: 480 }, true)).toBe(
      '[######------------------] 120 of 480 people (25 %), 3 pages',
    )
    expect(progressText({ pages: 3, people: 120, totalPeople: 480 }, false)).toBe(
      '120 of 480 people (25 %), 3 pages',
    )
    expect(progressText({ pages: 1, people: 50, totalPeople: null }, true)).toBe('50 people so far, 1 page')
  })

  it('rewrites one line in place on a terminal and clears it when the sync ends', async () => {
    vi.useFakeTimers()
    const written: string[] = []
    let progress = { pages: 1, people: 100, totalPeople: 400 }
    const stop = showProgress(async () => progress, { isTTY: true, write: (text) => written.push(text) })
    await vi.advanceTimersByTimeAsync(250)
    progress = { pages: 2, people: 200, totalPeople: 400 }
    await vi.advanceTimersByTimeAsync(250)
    await vi.advanceTimersByTimeAsync(250)
    stop()
    expect(written).toEqual([
      '\r\x1b[2K[######------------------] 100 of 400 people (25 %), 1 page',
      '\r\x1b[2K[############------------] 200 of 400 people (50 %), 2 pages',
      '\r\x1b[2K',
    ])
  })

  it('without a terminal writes plain lines, only when the figures change, and nothing before a sync reports', async () => {
    vi.useFakeTimers()
    const written: string[] = []
    let progress: { pages: number; people: number; totalPeople: number | null } | null = null
    const stop = showProgress(async () => progress, { write: (text) => written.push(text) })
    await vi.advanceTimersByTimeAsync(500)
    progress = { pages: 1, people: 100, totalPeople: null }
    await vi.advanceTimersByTimeAsync(2500)
    progress = { pages: 2, people: 200, totalPeople: null }
    await vi.advanceTimersByTimeAsync(2500)
    stop()
    expect(written).toEqual(['100 people so far, 1 page\n', '200 people so far, 2 pages\n'])
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RemoteIdIndex, stringHash } from '../src/keyed.js'

const item = (remoteId: string, n = 0) => ({ remoteId, n })

describe('RemoteIdIndex', () => {
  it('answers what a Map of the first item per remoteId answers, for lists with repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 50 }),
        (keys, probes) => {
          const index = new RemoteIdIndex<{ remoteId: string; n: number }>(keys.length)
          const map = new Map<string, { remoteId: string; n: number }>()
          keys.forEach((key, n) => {
            const added = index.add(item(key, n))
            expect(added).toBe(!map.has(key))
            if (added) map.set(key, item(key, n))
          })
          expect(index.items.length).toBe(map.size)
          expect(index.items.map((kept) => kept.remoteId)).toEqual([...map.keys()])
          for (const key of [...keys, ...probes]) {
            expect(index.get(key)).toEqual(map.get(key))
            expect(index.indexOf(key) !== -1).toBe(map.has(key))
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('tells apart remoteIds whose hashes are equal', () => {
    // known FNV-1a 32-bit collisions
    const pairs = [
      ['costarring', 'liquid'],
      ['declinate', 'macallums'],
      ['altarage', 'zinke'],
    ] as const
    const index = new RemoteIdIndex<{ remoteId: string; n: number }>(6)
    pairs.forEach(([a, b], n) => {
      expect(stringHash(a)).toBe(stringHash(b))
      expect(index.add(item(a, n))).toBe(true)
      expect(index.add(item(b, n + 10))).toBe(true)
    })
    expect(index.items.length).toBe(6)
    expect(index.get('liquid')).toEqual(item('liquid', 10))
    expect(index.get('costarring')).toEqual(item('costarring', 0))
    expect(index.add(item('zinke', 99))).toBe(false)
    expect(index.get('zinke')).toEqual(item('zinke', 12))
    expect(index.indexOf('zinkes')).toBe(-1)
  })

  it('keeps the first of a repeated remoteId and refuses more items than it was sized for', () => {
    const index = new RemoteIdIndex<{ remoteId: string; n: number }>(2)
    expect(index.add(item('p1', 1))).toBe(true)
    expect(index.add(item('p1', 2))).toBe(false)
    expect(index.get('p1')).toEqual(item('p1', 1))
    // sized for 2, the table holds 1,024 slots and takes up to half of them
    for (let n = 2; n <= 512; n++) index.add(item(`p${n}`, n))
    expect(index.items.length).toBe(512)
    expect(() => index.add(item('one more'))).toThrow(RangeError)
    expect(index.get('p512')).toEqual(item('p512', 512))
  })
})

import { describe, expect, it } from 'vitest'
import { plan } from '../src/index.js'
import { kinds, NOW, person, settings, snapshot, syncedDirectory } from './build.js'

const team = (size: number) =>
  Array.from({ length: size }, (_, i) => person(`p${String(i).padStart(2, '0')}`))

describe('R5 safety', () => {
  it('R5 safety: a failed pull changes nothing and says why', () => {
    const directory = syncedDirectory(team(5))
    const result = plan(
      snapshot([], { complete: false, failure: 'page 3 answered 502' }),
      directory,
      settings(),
      NOW,
    )
    expect(result).toMatchObject({ ok: false, failure: 'page 3 answered 502', changes: [], held: [] })
    expect(result.warnings).toMatchObject([{ code: 'pull_failed', message: 'page 3 answered 502' }])
  })

  it('R5 safety: an incomplete pull is never read as "everyone left", even with people in it', () => {
    const directory = syncedDirectory(team(5))
    const result = plan(snapshot(team(2), { complete: false }), directory, settings(), NOW)
    expect(result.ok).toBe(false)
    expect(result.changes).toEqual([])
  })

  it('R5 safety: an empty snapshot while users are linked is a failure', () => {
    const directory = syncedDirectory(team(2))
    const result = plan(snapshot([]), directory, settings(), NOW)
    expect(result.ok).toBe(false)
    expect(result.failure).toContain('returned nobody while 2 users are linked')
  })

  it('R5 safety: an empty snapshot with nobody linked yet is fine', () => {
    const result = plan(snapshot([]), { users: [], teams: [] }, settings(), NOW)
    expect(result).toMatchObject({ ok: true, changes: [] })
  })

  it('R5 safety: more removals than max(3, 20%) are all held; non-destructive changes still apply', () => {
    const directory = syncedDirectory(team(10))
    const remaining = [...team(10).slice(4), person('new')]
    const result = plan(snapshot(remaining), directory, settings(), NOW)
    expect(result.ok).toBe(true)
    expect(kinds(result.changes)).toEqual(['create_user'])
    expect(result.held).toHaveLength(4)
    expect(result.held.every((held) => held.reason === 'mass_removal')).toBe(true)
    expect(result.warnings).toMatchObject([{ code: 'mass_removal_held' }])
    expect(result.counts).toMatchObject({ held: 4, deactivated: 0, created: 1 })
  })

  it('R5 safety: up to the limit, removals apply', () => {
    const directory = syncedDirectory(team(10))
    const result = plan(snapshot(team(10).slice(3)), directory, settings(), NOW)
    expect(kinds(result.changes)).toEqual(['deactivate_user', 'deactivate_user', 'deactivate_user'])
    expect(result.held).toEqual([])
  })

  it('R5 safety: the limit grows with the linked active users (20% of 50 is 10) and both numbers are configurable', () => {
    const directory = syncedDirectory(team(50))
    expect(plan(snapshot(team(50).slice(10)), directory, settings(), NOW).held).toEqual([])
    expect(plan(snapshot(team(50).slice(11)), directory, settings(), NOW).held).toHaveLength(11)
    const strict = settings({ massRemoval: { minCount: 1, ratio: 0 } })
    expect(plan(snapshot(team(50).slice(2)), directory, strict, NOW).held).toHaveLength(2)
  })

  it('R5 safety: an approved run applies the held removals', () => {
    const directory = syncedDirectory(team(10))
    const result = plan(snapshot(team(10).slice(4)), directory, settings({ approveHeldRemovals: true }), NOW)
    expect(result.held).toEqual([])
    expect(result.counts.deactivated).toBe(4)
  })

  it('R5 safety: team moves do not run on a failed pull', () => {
    const employees = [person('boss'), person('ana', { managerRemoteId: 'boss' })]
    const directory = syncedDirectory(employees, {}, { teamSync: true })
    const moved = [person('boss'), person('ana')]
    const result = plan(snapshot(moved, { complete: false }), directory, settings({ teamSync: true }), NOW)
    expect(result.changes).toEqual([])
  })
})

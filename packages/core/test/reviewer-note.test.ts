import { describe, expect, it } from 'vitest'
import type { DirectoryUser, Employee } from '../src/index.js'
import { previewTeamSync } from '../src/index.js'
import { NOW, person, settings, snapshot, syncedDirectory } from './build.js'

const on = settings({ teamSync: true })

/** ceo <- ana <- ben */
const org = (changes: Record<string, Partial<Employee>> = {}) => [
  person('ceo', changes.ceo),
  person('ana', { managerRemoteId: 'ceo', ...changes.ana }),
  person('ben', { managerRemoteId: 'ana', ...changes.ben }),
]

function notes(
  employees: Employee[],
  statuses: Record<string, DirectoryUser['status']> = {},
): Record<string, string | null> {
  const preview = previewTeamSync(snapshot(employees), syncedDirectory(employees, statuses), on, NOW)
  return Object.fromEntries(preview.teams.map((team) => [team.key, team.reviewerNote]))
}

describe('issue 19 item 9: the setup preview says why a team is not reviewed by its manager', () => {
  it('R13: a manager who reviews their own team needs no note, on leave too (R8)', () => {
    expect(notes(org({ ana: { status: 'leave' } }))).toEqual({ ana: null, ceo: null })
  })

  it('R14: a manager not invited yet, the skip-level reviewer named', () => {
    expect(notes(org(), { ana: 'uninvited' })).toEqual({
      ana: 'Ana Doe is not invited yet: Ceo Doe is the nearest eligible manager above',
      ceo: null,
    })
  })

  it('R14: a manager invited who has not accepted, or deactivated', () => {
    expect(notes(org(), { ana: 'invited' }).ana).toBe(
      'Ana Doe has not accepted the invitation yet: Ceo Doe is the nearest eligible manager above',
    )
    expect(notes(org(), { ana: 'deactivated' }).ana).toBe(
      'Ana Doe is deactivated: Ceo Doe is the nearest eligible manager above',
    )
  })

  it('R14: a manager who has left, or has not started yet', () => {
    expect(notes(org({ ana: { status: 'terminated', terminationDate: '2025-05-31' } })).ana).toBe(
      'Ana Doe has left: Ceo Doe is the nearest eligible manager above',
    )
    expect(notes(org({ ana: { status: 'pending', startDate: '2025-09-01' } })).ana).toBe(
      'Ana Doe has not started yet: Ceo Doe is the nearest eligible manager above',
    )
  })

  it('R14: a manager without an account (no work email in HR)', () => {
    expect(notes(org({ ana: { email: null } })).ana).toBe(
      'Ana Doe has no account in the app: Ceo Doe is the nearest eligible manager above',
    )
  })

  it('R14: nobody up the chain can review', () => {
    expect(notes(org(), { ana: 'uninvited', ceo: 'deactivated' })).toEqual({
      ana: 'Ana Doe is not invited yet, and nobody above can review',
      ceo: 'Ceo Doe is deactivated, and nobody above can review',
    })
  })
})

import { describe, expect, it } from 'vitest'
import {
  checkGracePeriod,
  checkRoleChange,
  OverrideError,
  plan,
  planAdminDeactivation,
  reactivatable,
  userFlags,
} from '../src/index.js'
import { applyPlan } from './apply.js'
import { kinds, NOW, person, settings, snapshot, syncedDirectory, userOf } from './build.js'

const TODAY = '2025-06-15'
const refused = (run: () => unknown) => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(OverrideError)
    return (error as OverrideError).code
  }
  throw new Error('expected an OverrideError')
}

describe('overrides: an admin deactivates a linked user ahead of HR', () => {
  const people = [person('ana'), person('ben'), person('cy')]

  it('cuts access: an active user is deactivated, an invited one loses the invitation too', () => {
    const directory = syncedDirectory(people, { ana: 'active', ben: 'invited' })
    expect(kinds(planAdminDeactivation(userOf(directory, 'ana'), directory.users))).toEqual([
      'deactivate_user',
    ])
    expect(kinds(planAdminDeactivation(userOf(directory, 'ben'), directory.users))).toEqual([
      'revoke_invitation',
      'deactivate_user',
    ])
  })

  it('stays deactivated: HR reporting them gone later is a no-op, HR listing them active never reactivates', () => {
    const directory = syncedDirectory(people)
    const ana = userOf(directory, 'ana')
    Object.assign(ana, { status: 'deactivated', adminDeactivated: true })
    const active = plan(snapshot(people), directory, settings(), NOW)
    expect(active.changes).toEqual([])
    expect(userFlags(ana, TODAY).returning).toBe(false)

    const gone = plan(snapshot([person('ben'), person('cy')]), directory, settings(), NOW)
    expect(gone.changes).toEqual([])
    expect(gone.held).toEqual([])
    const terminated = plan(
      snapshot([
        person('ana', { status: 'terminated', terminationDate: '2025-06-01' }),
        person('ben'),
        person('cy'),
      ]),
      directory,
      settings(),
      NOW,
    )
    expect(kinds(terminated.changes)).toEqual(['update_person'])
    const after = applyPlan(directory, terminated)
    expect(userOf(after, 'ana').status).toBe('deactivated')

    const rehired = plan(snapshot(people), after, settings(), NOW)
    expect(
      rehired.changes.some((change) => change.kind === 'link_user' || change.kind === 'deactivate_user'),
    ).toBe(false)
    expect(userOf(applyPlan(after, rehired), 'ana').status).toBe('deactivated')
  })

  it('only an admin gives access back: reactivatable while HR does not list them as terminated', () => {
    const directory = syncedDirectory(people)
    const ana = userOf(directory, 'ana')
    Object.assign(ana, { status: 'deactivated', adminDeactivated: true })
    expect(reactivatable(ana, userFlags(ana, TODAY).returning)).toBe(true)
    Object.assign(ana, { person: { ...ana.person!, status: 'terminated' } })
    expect(reactivatable(ana, userFlags(ana, TODAY).returning)).toBe(false)
  })

  it('refuses a user without access, one already deactivated, and the last active admin (R17)', () => {
    const directory = syncedDirectory(people, { ana: 'uninvited', ben: 'deactivated' }, { admins: ['cy'] })
    expect(refused(() => planAdminDeactivation(userOf(directory, 'ana'), directory.users))).toBe('no_access')
    expect(refused(() => planAdminDeactivation(userOf(directory, 'ben'), directory.users))).toBe(
      'already_deactivated',
    )
    expect(refused(() => planAdminDeactivation(userOf(directory, 'cy'), directory.users))).toBe('last_admin')
  })
})

describe('overrides: R17 role changes', () => {
  it('R17: the last active admin cannot become a member; with another active admin they can', () => {
    const people = [person('ana'), person('ben')]
    const one = syncedDirectory(people, {}, { admins: ['ana'] })
    expect(refused(() => checkRoleChange(userOf(one, 'ana'), 'member', one.users))).toBe('last_admin')
    const two = syncedDirectory(people, {}, { admins: ['ana', 'ben'] })
    expect(() => checkRoleChange(userOf(two, 'ana'), 'member', two.users)).not.toThrow()
    expect(() => checkRoleChange(userOf(one, 'ben'), 'admin', one.users)).not.toThrow()
  })
})

describe('overrides: a grace period for a leaver ("keep access until <date>")', () => {
  const staff = [person('ana'), person('ben'), person('cy'), person('dee')]
  const anaLeft = [person('ana', { status: 'terminated', terminationDate: '2025-06-10' }), ...staff.slice(1)]

  it('keeps a leaver active through the date, with a warning, then the sync removes them', () => {
    const directory = syncedDirectory(staff)
    userOf(directory, 'ana').keepAccessUntil = '2025-06-20'
    const during = plan(snapshot(anaLeft), directory, settings(), NOW)
    expect(during.changes.filter((change) => change.kind === 'deactivate_user')).toEqual([])
    expect(during.warnings).toMatchObject([{ code: 'access_kept_until', remoteIds: ['ana'] }])

    const onTheDay = plan(snapshot(anaLeft), directory, settings(), new Date('2025-06-20T21:00:00Z'))
    expect(onTheDay.changes.filter((change) => change.kind === 'deactivate_user')).toEqual([])
    // 23:00 in Berlin on the 20th is still the 20th; an hour later the grace period is over (R20)
    const after = plan(snapshot(anaLeft), directory, settings(), new Date('2025-06-20T22:30:00Z'))
    expect(after.changes).toContainEqual(expect.objectContaining({ kind: 'deactivate_user' }))
    expect(after.warnings.map((warning) => warning.code)).not.toContain('access_kept_until')
  })

  it('is for a linked user with access, from today on', () => {
    const directory = syncedDirectory(staff, { ben: 'deactivated' })
    expect(() => checkGracePeriod(userOf(directory, 'ana'), TODAY, TODAY)).not.toThrow()
    expect(() => checkGracePeriod(userOf(directory, 'ben'), null, TODAY)).not.toThrow()
    expect(refused(() => checkGracePeriod(userOf(directory, 'ana'), '2025-06-14', TODAY))).toBe(
      'date_in_past',
    )
    expect(refused(() => checkGracePeriod(userOf(directory, 'ben'), '2025-07-01', TODAY))).toBe('no_access')
    const appOnly = { ...userOf(directory, 'cy'), link: null }
    expect(refused(() => checkGracePeriod(appOnly, '2025-07-01', TODAY))).toBe('not_linked')
  })
})

import { employee } from '@hrsync/core'
import { describe, expect, it } from 'vitest'
import { resolveManagerRef, type ScimUserRecord, scimSnapshot, scimUser, toEmployee } from '../src/index.js'

const rec = (id: string, fields: Parameters<typeof scimUser>[0]): ScimUserRecord => ({
  id,
  created: '2025-03-01T09:00:00.000Z',
  lastModified: '2025-03-01T09:00:00.000Z',
  version: 1,
  user: scimUser(fields),
})

describe('manager resolution (SCIM.md §1.6)', () => {
  const users = [
    rec('id-1', { userName: 'olof@nordvik.test', employeeNumber: 'NV-1007', externalId: '00u1' }),
    rec('NV-1007', { userName: 'trap@nordvik.test' }),
    rec('id-3', { userName: 'ext@nordvik.test', externalId: 'NV-2000' }),
    rec('id-4', { userName: 'NV-3000', emails: [{ value: 'anna@nordvik.test', type: 'work' }] }),
    rec('id-5', { userName: 'x@nordvik.test', emails: [{ value: 'Mail@Nordvik.test', type: 'work' }] }),
  ]

  it.each([
    ['our id first', 'NV-1007', 'NV-1007'],
    ['our id (Entra)', 'id-3', 'id-3'],
    ['employeeNumber (Okta managerId)', '00u1', 'id-1'],
    ['externalId', 'NV-2000', 'id-3'],
    ['userName, any case', 'nv-3000', 'id-4'],
    ['work email, any case', 'mail@nordvik.TEST', 'id-5'],
    ['nothing', 'NV-9999', null],
  ])('%s', (_step, value, expected) => {
    expect(resolveManagerRef({ value, shape: 'string' }, users)?.id ?? null).toBe(expected)
  })

  it('employeeNumber comes before externalId', () => {
    const both = [
      rec('a', { userName: 'a', externalId: 'K' }),
      rec('b', { userName: 'b', employeeNumber: 'K' }),
    ]
    expect(resolveManagerRef('K', both)?.id).toBe('b')
  })

  it('an ambiguous step falls through to the next', () => {
    const twins = [
      rec('a', { userName: 'a', employeeNumber: 'K' }),
      rec('b', { userName: 'b', employeeNumber: 'K' }),
      rec('c', { userName: 'c', externalId: 'K' }),
    ]
    expect(resolveManagerRef('K', twins)?.id).toBe('c')
    expect(resolveManagerRef(null, twins)).toBeNull()
  })
})

describe('toEmployee and the snapshot (R19)', () => {
  const olof = rec('id-olof', {
    userName: 'olof@nordvik.test',
    employeeNumber: 'NV-1007',
    name: { givenName: 'Olof', familyName: 'Berg', formatted: null },
    emails: [{ value: 'olof@nordvik.test', type: 'work', primary: true }],
  })
  const maja = rec('id-maja', {
    userName: 'maja@nordvik.test',
    name: { givenName: 'Maja', familyName: 'Lindqvist', formatted: null },
    emails: [
      { value: 'maja@home.test', type: 'home', primary: true },
      { value: 'maja@nordvik.test', type: 'work' },
    ],
    title: 'Controller',
    department: 'Finance',
    active: false,
    managerRef: { value: 'NV-1007', shape: 'object' },
  })

  it('maps a deactivated user to terminated, the work email, and the resolved manager id', () => {
    expect(toEmployee(maja, (ref) => resolveManagerRef(ref, [olof, maja])?.id ?? null)).toEqual(
      employee({
        remoteId: 'id-maja',
        status: 'terminated',
        email: 'maja@nordvik.test',
        firstName: 'Maja',
        lastName: 'Lindqvist',
        jobTitle: 'Controller',
        department: 'Finance',
        managerRemoteId: 'id-olof',
      }),
    )
  })

  it('a self-reference is no manager', () => {
    const self = {
      ...olof,
      user: { ...olof.user, managerRef: { value: 'NV-1007', shape: 'string' as const } },
    }
    expect(toEmployee(self, () => 'id-olof').managerRemoteId).toBeNull()
  })

  it('unresolved references stay pending and resolve once the manager arrives', () => {
    const first = scimSnapshot('int-1', 'Okta', [maja])
    expect(first.snapshot).toMatchObject({ integrationId: 'int-1', source: 'Okta', complete: true })
    expect(first.snapshot.employees[0]?.managerRemoteId).toBeNull()
    expect(first.pendingManagers).toEqual([
      { id: 'id-maja', managerRef: { value: 'NV-1007', shape: 'object' } },
    ])

    const later = scimSnapshot('int-1', 'Okta', [maja, olof])
    expect(later.snapshot.employees.map((e) => [e.remoteId, e.status, e.managerRemoteId])).toEqual([
      ['id-maja', 'terminated', 'id-olof'],
      ['id-olof', 'active', null],
    ])
    expect(later.pendingManagers).toEqual([])
  })
})

import { cleanString, emailFrom, idString, mapStatus } from '@hrsync/connector-kit'
import { type Employee, employee, type SkippedPerson, statusTable } from '@hrsync/core'
import { ENTERPRISE, type ScimEmail, type ScimUser } from './vendor.js'

/**
 * The SCIM `active` flag is the only status Fourth exposes: an account is active or not. There is no
 * pending or leave state, no employment dates and no manager.
 */
export const STATUS = statusTable({
  true: 'active',
  false: 'terminated',
})

/** The work email, else the primary one; `userName` is a login and not necessarily an email. */
export function workEmail(emails: ScimEmail[] | null | undefined): string | null {
  const list = emails ?? []
  const chosen = list.find((e) => e.type?.toLowerCase() === 'work') ?? list.find((e) => e.primary === true)
  return emailFrom(chosen?.value)
}

/** One SCIM user as a canonical Employee, or the reason it cannot be one. */
export function toEmployee(user: ScimUser): Employee | SkippedPerson {
  const remoteId = idString(user.id)
  const email = workEmail(user.emails)
  if (remoteId === null) {
    return { remoteId: '(none)', email, reason: 'invalid_record', message: 'a Fourth user without an id' }
  }
  const active = user.active == null ? undefined : String(user.active)
  const mapped = mapStatus(STATUS, active, { remoteId, email })
  if ('skipped' in mapped) {
    const shown = active === undefined ? 'no "active" attribute' : `"active": ${active}`
    return { ...mapped.skipped, message: `${shown}; Fourth documents only true and false` }
  }
  const enterprise = user[ENTERPRISE]
  return employee({
    remoteId,
    email,
    firstName: cleanString(user.name?.givenName),
    lastName: cleanString(user.name?.familyName),
    status: mapped.status,
    department: cleanString(enterprise?.division) ?? cleanString(enterprise?.department),
    jobTitle: cleanString(user.title),
  })
}

export function isSkipped(value: Employee | SkippedPerson): value is SkippedPerson {
  return 'reason' in value
}

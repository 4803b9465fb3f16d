import { cleanString, emailFrom, idString, mapStatus, skipPerson } from '@hrsync/connector-kit'
import { type Employee, employee, statusTable } from '@hrsync/core'
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

/** What a user is known by before it is mapped: a user skipped later is reported under it. */
export function identify(user: ScimUser): { remoteId: string | null; email: string | null } {
  return { remoteId: idString(user.id), email: workEmail(user.emails) }
}

/** One SCIM user as a canonical Employee; a user that cannot be one is refused with skipPerson. */
export function toEmployee(user: ScimUser): Employee {
  const { remoteId, email } = identify(user)
  if (remoteId === null) skipPerson('a Fourth user without an id', { email })
  const active = user.active == null ? undefined : String(user.active)
  const mapped = mapStatus(STATUS, active, { remoteId, email })
  if ('skipped' in mapped) {
    const shown = active === undefined ? 'no "active" attribute' : `"active": ${active}`
    skipPerson(`${shown}; Fourth documents only true and false`, mapped.skipped)
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

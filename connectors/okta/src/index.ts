import okta from './push.js'

export { identify, managerDirectory, type OktaStatus, STATUS, toEmployee } from './mapping.js'
export { ALL_STATUSES, OKTA_HOSTS, OktaPullConfig, PAGE_SIZE, pull } from './pull.js'
export { OktaPushConfig, pushOnly, SCIM_ACTIVE } from './push.js'
export type { OktaProfile, OktaUser } from './vendor.js'

/** Okta pushes people over SCIM; `pull` reads the Okta directory instead. */
export default okta

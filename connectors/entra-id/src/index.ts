import entraId from './push.js'

export { type EntraAccountState, identify, isGuest, STATUS, toEmployee } from './mapping.js'
export { ENTRA_HOSTS, EntraPullConfig, GRAPH, pull, USERS_QUERY } from './pull.js'
export { EntraPushConfig, pushOnly, SCIM_ACTIVE } from './push.js'
export type { GraphError, GraphManager, GraphUser, GraphUsersPage } from './vendor.js'

/** Entra ID pushes people over SCIM; `pull` reads the directory through Microsoft Graph instead. */
export default entraId

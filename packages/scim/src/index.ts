export { cloneJson } from './clone.js'
export { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from './discovery.js'
export {
  errorBody,
  isScimError,
  isUserNameTaken,
  ScimError,
  type ScimErrorBody,
  type ScimType,
  UserNameTakenError,
} from './errors.js'
export {
  filterToSql,
  parseFilter,
  SCIM_USER_COLUMNS,
  type ScimColumns,
  type ScimFilter,
  type ScimLookup,
  type SqlFragment,
} from './filter.js'
export { checkInput, SCIM_LIMITS } from './limits.js'
export { MemoryScimStore } from './memory-store.js'
export { applyPatch, booleanOf, managerOf, normalisePatch, type UserPatchOp } from './patch.js'
export type { EmailMatch, Target } from './path.js'
export { parsePath } from './path.js'
export { type ScimChangeKind, type ScimRoutesOptions, scimRoutes } from './plugin.js'
export { type ListResponse, listResponse, parseUser, renderUser, ScimUserBody } from './resource.js'
export { resolveManagerRef, type ScimSnapshot, scimSnapshot, toEmployee } from './snapshot.js'
export { type ScimListQuery, type ScimPage, type ScimStore, scimUserColumns, scimUserRow } from './store.js'
export * from './urns.js'
export {
  emptyName,
  type ManagerRef,
  type ScimEmail,
  type ScimName,
  type ScimUser,
  type ScimUserRecord,
  scimUser,
  workEmail,
} from './user.js'

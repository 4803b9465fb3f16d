// core's own: one rule for emails compared (R1) and for the company's day (R20), however they are imported
export { normaliseEmail, todayIn } from '@hrsync/core'
export { type JwtClaims, readPrivateKey, signJwtAssertion, type TokenHeader } from './auth.js'
export { type FetchDetailsOptions, fetchDetails, inPages, readAll } from './batch.js'
export { validateConfig } from './config.js'
// configSecrets is exported for @hrsync/connector-testing: the recorder's leak check looks for the live
// secret values in a recording before it is written
export { type CreateContextOptions, configSecrets, createContext } from './context.js'
export {
  BODY_EXCERPT_CHARS,
  bodyExcerpt,
  type ErrorSentence,
  reword,
  rewordByCode,
  vendorMessage,
  withErrorHint,
} from './errors.js'
export { isHostAllowed, resolveAllowedHosts } from './hosts.js'
export { backoffDelay, type RateLimitResetUnit, retryAfterMs } from './http.js'
export {
  cleanString,
  type DatedEmployment,
  type DateFormat,
  datedEmployment,
  EMPLOYMENT_DATE_STATUS,
  type EmploymentState,
  emailFrom,
  employmentState,
  idString,
  mapStatus,
  terminatedIfPast,
  toIsoDate,
} from './normalise.js'
export {
  nextLink,
  type ODataOptions,
  type PageRequest,
  paginateCursor,
  paginateLinkHeader,
  paginateOData,
  paginateOffset,
  paginatePage,
  paginateScim,
  paginateSoapPages,
  type ScimListResponse,
} from './paginate.js'
export {
  type ConnectionCheck,
  checkConnection,
  type PullOptions,
  type PullResult,
  pullEmployees,
} from './pull.js'
export { type PushConnectorDefinition, pushConnector, pushOnlyError, scimPushConfig } from './push.js'
export { type Pace, pacesOf, type RateLimitStore } from './rate-limit.js'
export {
  type MapRecordsOptions,
  mapRecords,
  NO_REMOTE_ID,
  type RecordIdentity,
  SkipPerson,
  skipPerson,
} from './records.js'
export { createRedactingLogger, Redactor } from './redact.js'
export type { Sleep } from './sleep.js'

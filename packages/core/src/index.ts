export * from './connector.js'
export { statusOn, todayIn } from './dates.js'
export * from './directory.js'
export { previewDisconnect } from './disconnect.js'
export * from './errors.js'
export {
  approveHeld,
  type HeldApproval,
  type HeldDecision,
  type HeldSkipReason,
  type HeldUserState,
  type PendingRemoval,
  type SkippedRemoval,
  stillGoneAfter,
} from './held.js'
export { normaliseEmail } from './match.js'
export * from './model.js'
export {
  checkGracePeriod,
  checkRoleChange,
  OverrideError,
  type OverrideErrorCode,
  planAdminDeactivation,
  reactivatable,
} from './overrides.js'
export { inGracePeriod, newUserKey, userFlags, userRefKey } from './people.js'
export { plan } from './plan.js'
export {
  canReviewUnassigned,
  finishTeamSync,
  planTeamEdit,
  previewTeamSync,
  stopTeamSync,
  type TeamEdit,
  TeamEditError,
  type TeamEditErrorCode,
  TeamSyncError,
  type TeamSyncErrorCode,
  type TeamSyncOn,
  type TeamSyncReview,
  type TeamUpdate,
} from './team-sync.js'
export { isEligibleReviewer, UNASSIGNED_TEAM_NAME } from './teams.js'

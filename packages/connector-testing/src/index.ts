export {
  type ContractSuiteOptions,
  expectStatusesShown,
  REQUIRED_SCENARIOS,
  runContractSuite,
  type VendorHas,
  type VendorShows,
} from './contract.js'
export {
  type Fixture,
  type FixtureExpectation,
  type FixtureInteraction,
  type FixtureMeta,
  type FixtureRequest,
  fillPlaceholders,
  loadFixture,
  SCRUBBER_VERSION,
} from './fixture.js'
export {
  formatFindings,
  type LeakCheckOptions,
  type LeakFinding,
  leakCheck,
  leakCheckFixture,
} from './leak.js'
export {
  credentialsFromEnv,
  credentialVariable,
  expectationFrom,
  type RecordOptions,
  recordFixture,
  shouldRecord,
} from './record.js'
export {
  type CapturedRequest,
  checkFixture,
  REPLAY_RETRY_LIMIT,
  type ReplayOptions,
  type ReplayOutcome,
  replayFixture,
} from './replay.js'
export {
  type PiiKeys,
  type RecordedInteraction,
  type ScrubOptions,
  scrubConfig,
  scrubRecording,
} from './scrub.js'

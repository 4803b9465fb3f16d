// @ts-check
/**
 * Mutation testing of the sync rules: `pnpm --filter @hrsync/core mutate` (not part of CI; about
 * 30 minutes on 2 cores the first time, then incremental: only mutants whose code or tests changed
 * run again, a few minutes). Survivors that cannot be killed are listed in docs/sync-rules.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.vitest.config.mjs' },
  mutate: [
    'src/match.ts',
    'src/people.ts',
    'src/teams.ts',
    'src/plan.ts',
    'src/disconnect.ts',
    'src/team-sync.ts',
    'src/dates.ts',
  ],
  coverageAnalysis: 'perTest',
  // a mutant's tests get 30 s more than the unmutated run took: on a busy machine a slow run is not a kill
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  // results are kept in reports/stryker-incremental.json (not committed)
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  thresholds: { high: 90, low: 85, break: null },
}

// @ts-check
/**
 * Mutation testing of the sync rules: `pnpm --filter @hrsync/core mutate` (not part of CI; about
 * 10 minutes on 2 cores). Survivors that cannot be killed are listed in docs/sync-rules.md.
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
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  incremental: false,
  thresholds: { high: 90, low: 85, break: null },
}

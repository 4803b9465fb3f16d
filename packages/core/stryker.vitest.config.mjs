import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.ts'

// Instrumented code runs several times slower, and each mutant reruns the tests that reach it: the
// property tests get more time and fewer cases per property (the rule tests catch most mutants).
export default mergeConfig(
  base,
  defineConfig({ test: { testTimeout: 60_000, env: { PROPERTY_RUNS: '20' } } }),
)

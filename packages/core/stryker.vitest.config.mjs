import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.ts'

// Instrumented code runs several times slower: the property tests need more than the 5 s default.
export default mergeConfig(base, defineConfig({ test: { testTimeout: 60_000 } }))

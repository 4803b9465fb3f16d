import { defineConfig } from 'vitest/config'

// Instrumented code runs several times slower: the property tests need more than the 5 s default.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 } })

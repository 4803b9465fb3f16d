import { configDefaults, defineConfig } from 'vitest/config'

// `pnpm mutate` works in copies of the package under .stryker-tmp: their tests are not this package's.
export default defineConfig({ test: { exclude: [...configDefaults.exclude, '.stryker-tmp/**'] } })

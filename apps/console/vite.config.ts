import { defineConfig } from 'vite'

// Plain Vite: esbuild compiles the TSX with Preact's automatic JSX runtime (see tsconfig.json).
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3030' } },
})

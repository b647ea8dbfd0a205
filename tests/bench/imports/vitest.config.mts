import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const root = resolve(import.meta.dirname, '../../..')

/** The import benchmark alone (see tests/bench/README.md): never part of `npm test`. */
export default defineConfig({
  root,
  resolve: {
    alias: {
      '@shared': resolve(root, 'src-shared'),
      '@main': resolve(root, 'src-main'),
      '@renderer': resolve(root, 'src-renderer/src')
    }
  },
  test: {
    include: ['tests/bench/imports/imports.measure.ts'],
    setupFiles: ['tests/integration/setup.ts'],
    environment: 'node',
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    reporters: ['default']
  }
})

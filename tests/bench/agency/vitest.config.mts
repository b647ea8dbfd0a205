import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const root = resolve(import.meta.dirname, '../../..')

/** Runs the agency measurement alone (not part of `vitest run`): see agency.measure.ts. */
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
    include: ['tests/bench/agency/*.measure.ts'],
    environment: 'node',
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000
  }
})

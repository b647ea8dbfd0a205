import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const root = resolve(import.meta.dirname, '../../..')

/** The reports benchmark alone (see tests/bench/README.md); never part of `npm test`. */
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
    include: [process.env.RECOUVRA_BENCH_FILE ?? 'tests/bench/reports/reports.measure.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    reporters: ['default']
  }
})

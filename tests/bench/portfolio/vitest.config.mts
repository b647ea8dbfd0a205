import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const root = resolve(import.meta.dirname, '../../..')

/** `npm run bench`: the portfolio measurement alone, never part of `npm test` (see README.md). */
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
    include: [process.env.RECOUVRA_BENCH_FILE ?? 'tests/bench/portfolio/portfolio.measure.ts'],
    environment: 'node',
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
    // The figures go to the console and to a JSON file; keep vitest's own output short.
    reporters: ['default']
  }
})

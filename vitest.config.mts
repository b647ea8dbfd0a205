import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = {
  '@shared': resolve(import.meta.dirname, 'src-shared'),
  '@main': resolve(import.meta.dirname, 'src-main'),
  '@renderer': resolve(import.meta.dirname, 'src-renderer/src')
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/integration/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Two cores: SQLite suites in parallel files would only fight over the disk.
          fileParallelism: false
        }
      }
    ],
    benchmark: { include: ['tests/bench/**/*.bench.ts'] }
  }
})

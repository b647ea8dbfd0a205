import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

const alias = {
  '@shared': resolve(import.meta.dirname, 'src-shared'),
  '@main': resolve(import.meta.dirname, 'src-main'),
  '@renderer': resolve(import.meta.dirname, 'src-renderer/src')
}

/**
 * Integration tests about the SQLite file itself (its pragmas, schema snapshot, VACUUM INTO
 * backups, crash recovery), or only meaningful once: not run again on PostgreSQL.
 */
const PG_EXCLUDED = [
  'tests/integration/db/migrations.test.ts',
  'tests/integration/db/migrations-pg.test.ts',
  'tests/integration/db/db-copy.test.ts',
  'tests/integration/db/agency-concurrency.test.ts',
  'tests/integration/backup/**',
  'tests/integration/tmp-pg/**'
]

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
      },
      // Agency mode: the same integration suite on PostgreSQL, a fresh database per app on the
      // server named by RECOUVRA_TEST_PG_URL (.ci/run starts one). Without it, not run.
      ...(process.env.RECOUVRA_TEST_PG_URL
        ? [
            {
              resolve: { alias },
              test: {
                name: 'integration-pg',
                include: ['tests/integration/**/*.test.ts'],
                exclude: PG_EXCLUDED,
                environment: 'node',
                env: { RECOUVRA_TEST_DB: 'postgres' },
                setupFiles: ['tests/integration/setup.ts'],
                globalSetup: ['tests/integration/helpers/pg-global-setup.ts'],
                testTimeout: 120_000,
                hookTimeout: 120_000,
                fileParallelism: false
              }
            }
          ]
        : [])
    ],
    benchmark: { include: ['tests/bench/**/*.bench.ts'] }
  }
})

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { tempPostgresDatabase, testingOnPostgres } from './temp-pg'

/** The day the test portfolios are generated and read at, so figures never drift with time. */
export const TEST_NOW = '2026-11-23T09:00:00.000Z'
export const TEST_TODAY = '2026-11-23'

export function tempDir(prefix = 'recouvra-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/**
 * A real app on a real SQLite file in a fresh temp folder; or, when the suite runs on
 * PostgreSQL (RECOUVRA_TEST_DB=postgres, see temp-pg.ts) or `postgres: true` is asked, on a
 * fresh database of the test server (the temp folder still holds documents and exports).
 */
export async function openTempApp(options: { demoCases?: number; seed?: number; postgres?: boolean } = {}): Promise<{
  app: RecouvraApp
  dataDir: string
  dispose: () => Promise<void>
}> {
  const dir = tempDir()
  const database = (options.postgres ?? testingOnPostgres()) ? await tempPostgresDatabase() : null
  const settings = { dataDir: dir.path, clock: fixedClock(TEST_NOW), databaseUrl: database?.url ?? null }
  const app = await createApp(settings)
  if (options.demoCases) await app.services.demo.generate({ cases: options.demoCases, seed: options.seed ?? 42 })
  return {
    app,
    dataDir: dir.path,
    dispose: async () => {
      await app.close()
      await database?.drop()
      dir.remove()
    }
  }
}

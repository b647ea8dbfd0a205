import { z } from 'zod'
import { channel } from './define'
import { noInput } from './schemas'
import type { UserRole } from '../domain/enums'

export interface DatabaseCounts {
  clients: number
  mandates: number
  debtors: number
  cases: number
  claims: number
  journalEntries: number
  payments: number
  users: number
}

export interface AppInfo {
  version: string
  /** Where the database and documents live (userData, --data-dir or RECOUVRA_DATA_DIR). */
  dataDir: string
  databaseFile: string
  /** "SQLite 3.52.0" (PostgreSQL in agency mode). */
  databaseEngine: string
  /** Name of the last migration applied. */
  schemaVersion: string
  counts: DatabaseCounts
  /** True while the database holds no case: the app then offers demo data. */
  isEmpty: boolean
}

/** The app's own daily checks (prescription roll, promises, plans in default), run after start-up. */
export interface DailyChecksStatus {
  day: string
  /** waiting: not started yet today (or stopped); the screens refresh once it is done. */
  state: 'waiting' | 'running' | 'done' | 'failed'
  finishedAt: string | null
  result: { day: string; casesRolled: number; promisesChanged: number; plansInDefault: number } | null
}

export interface SessionUser {
  id: string
  displayName: string
  role: UserRole
}

export interface DemoResult {
  seed: number
  counts: DatabaseCounts
  durationMs: number
}

/** Largest demo portfolio: the size the portfolio must stay instant at. */
export const DEMO_MAX_CASES = 200_000

export const demoGenerateInput = z
  .object({
    cases: z.number().int().min(1, 'Au moins 1 dossier').max(DEMO_MAX_CASES, `Au plus ${DEMO_MAX_CASES} dossiers`),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    /** standard: ~2 invoices and 6 journal entries a case; busy: ~3 and 10 (the benchmarks' file). */
    history: z.enum(['standard', 'busy']).default('standard')
  })
  .strict()

export const appChannels = {
  'app:info': channel<AppInfo>()(noInput, 'Version, data folder, schema version and record counts.'),
  'session:current': channel<SessionUser>()(noInput, 'The user the app acts as; every write is authored by them.'),
  'app:daily-checks': channel<DailyChecksStatus>()(
    noInput,
    'State of today’s automatic checks (prescription roll, promises, plans in default), run in the background.'
  ),
  'demo:generate': channel<DemoResult>()(
    demoGenerateInput,
    'Fills an EMPTY database with a seeded, realistic French demo portfolio; refuses on a database that holds cases.'
  )
}

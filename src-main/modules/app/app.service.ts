import type { AppInfo, DatabaseCounts } from '@shared/contract'
import type { Database } from '../../db/database'
import { APP_VERSION } from '../../platform/version'

const COUNTED_TABLES: Record<keyof DatabaseCounts, string> = {
  clients: 'client',
  mandates: 'mandate',
  debtors: 'debtor',
  cases: 'collection_case',
  claims: 'claim',
  journalEntries: 'journal_entry',
  payments: 'payment',
  users: 'app_user'
}

export class AppService {
  constructor(private readonly db: Database) {}

  async counts(): Promise<DatabaseCounts> {
    // One statement: a PostgreSQL transaction's client runs one query at a time.
    const columns = Object.entries(COUNTED_TABLES)
      .map(([key, table]) => `(SELECT COUNT(*) FROM "${table}") AS "${key}"`)
      .join(', ')
    const rows: Array<Record<string, number | string>> = await this.db.read((manager) =>
      manager.query(`SELECT ${columns}`)
    )
    const row = rows[0] ?? {}
    return Object.fromEntries(
      Object.keys(COUNTED_TABLES).map((key) => [key, Number(row[key] ?? 0)])
    ) as unknown as DatabaseCounts
  }

  async info(): Promise<AppInfo> {
    const counts = await this.counts()
    const engine = await this.db.engineVersion()
    const migration = await this.db.read(
      (manager) =>
        manager.query('SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1') as Promise<Array<{ name: string }>>
    )
    return {
      version: APP_VERSION,
      dataDir: this.db.dataDir,
      databaseFile: this.db.file,
      databaseEngine: engine,
      schemaVersion: migration[0]?.name ?? 'aucune',
      counts,
      isEmpty: counts.cases === 0
    }
  }
}

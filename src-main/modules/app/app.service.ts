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
    return this.db.read(async (manager) => {
      const entries = await Promise.all(
        Object.entries(COUNTED_TABLES).map(async ([key, table]) => {
          const rows: Array<{ n: number | string }> = await manager.query(`SELECT COUNT(*) AS n FROM "${table}"`)
          return [key, Number(rows[0]?.n ?? 0)] as const
        })
      )
      return Object.fromEntries(entries) as unknown as DatabaseCounts
    })
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

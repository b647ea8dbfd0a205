import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { DataSource, EntityManager } from 'typeorm'
import { createDataSource } from './data-source'
import { log } from '../platform/log'
import {
  auditMark,
  currentAuditContext,
  flushAudit,
  installAuditTriggers,
  suspendRowAudit
} from '../modules/audit/audit-trail'

export const DATABASE_FILE_NAME = 'recouvra.sqlite'

/** Page cache for everyday work (64 MiB), and for bulk writes such as imports (256 MiB). */
const NORMAL_CACHE_KIB = 64 * 1024
const BULK_CACHE_KIB = 256 * 1024
/**
 * Reads through a memory map rather than read() calls: measured on the 200,000-case portfolio, a
 * search that looks up 20,000 cases takes 20 ms instead of 31. Only the address space is
 * reserved; the OS pages the file in and out as it would for its cache.
 */
const MMAP_BYTES = 1024 * 1024 * 1024

/**
 * The one handle on the agency's database, and the one place (with the search module and the
 * migrations) that speaks SQLite's own dialect: pragmas, backups, engine version.
 *
 * SQLite through `sqlite3` gives TypeORM a single connection: two transactions started at once
 * would silently nest into one. Every unit of work therefore goes through a FIFO gate, writes
 * inside a transaction, so a write is all-or-nothing and reads never see half of one.
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve()
  /** The time stamped on audit entries (the app's clock; tests fix it). */
  auditClock: () => Date = () => new Date()

  private constructor(
    readonly dataSource: DataSource,
    readonly dataDir: string,
    readonly file: string
  ) {}

  /**
   * Opens (creating if needed) the database in `dataDir`, backing it up before any pending
   * migration, then migrating. A failed migration throws: the app must stop, not carry on with
   * a half-migrated schema.
   */
  static async open(dataDir: string): Promise<Database> {
    mkdirSync(dataDir, { recursive: true })
    const file = join(dataDir, DATABASE_FILE_NAME)
    const existed = existsSync(file) && statSync(file).size > 0
    const dataSource = createDataSource(file)
    try {
      await dataSource.initialize()
    } catch (error) {
      if (isCorruptionError(error)) throw new DatabaseCorruptError(file, dataDir, (error as Error).message)
      throw error
    }
    try {
      if (existed) {
        // A damaged file must stop the app before anything writes to it (start-up check).
        const check: Array<Record<string, string>> = await dataSource
          .query('PRAGMA quick_check(5)')
          .catch((error: unknown) => [{ quick_check: (error as Error).message }])
        const messages = check.map((row) => Object.values(row)[0])
        if (messages.length !== 1 || messages[0] !== 'ok') {
          throw new DatabaseCorruptError(file, dataDir, messages.join('; '))
        }
      }
      await dataSource.query('PRAGMA synchronous = NORMAL')
      // Statement journals of multi-row INSERTs in memory, not temporary files (some 3 million
      // disk writes for 200,000 demo cases). Set once, for good: changing temp_store drops every
      // TEMP table and trigger, among them the audit trail's.
      await dataSource.query('PRAGMA temp_store = MEMORY')
      await dataSource.query(`PRAGMA cache_size = -${NORMAL_CACHE_KIB}`)
      await dataSource.query(`PRAGMA mmap_size = ${MMAP_BYTES}`)
      const pending = await dataSource.showMigrations()
      if (pending && existed) {
        const backup = await backupBeforeMigration(dataSource, dataDir)
        log.info(`Database backed up to ${backup} before migrating`)
      }
      const applied = await dataSource.runMigrations({ transaction: 'each' })
      for (const migration of applied) log.info(`Applied migration ${migration.name}`)
      await installAuditTriggers(dataSource)
    } catch (error) {
      await dataSource.destroy()
      throw error
    }
    return new Database(dataSource, dataDir, file)
  }

  /** Runs `work` alone on the connection, without a transaction (reads). */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => work(this.dataSource.manager))
  }

  /** Runs `work` alone on the connection inside one transaction: all of it or nothing. */
  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // Who is writing is known where the call starts (the dispatcher), not when the queue runs it.
    const context = currentAuditContext()
    return this.enqueue(() =>
      this.dataSource.transaction(async (manager) => {
        const mark = await auditMark(manager)
        const result = await work(manager)
        await flushAudit(manager, { context, mark, at: this.auditClock().toISOString() })
        return result
      })
    )
  }

  /**
   * A write of hundreds of thousands of rows (demo portfolio, imports): the same single
   * transaction, with a page cache large enough that index updates stay in memory (measured:
   * a third faster at 50,000 cases) and statement journals in memory. Both are restored after.
   */
  bulkWrite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const context = currentAuditContext()
    return this.enqueue(async () => {
      await this.dataSource.query(`PRAGMA cache_size = -${BULK_CACHE_KIB}`)
      try {
        return await this.dataSource.transaction(async (manager) => {
          // Audited per table (bulk-insert summaries from bulkInsert), not row by row.
          const mark = await auditMark(manager)
          await suspendRowAudit(manager, 1)
          try {
            const result = await work(manager)
            await suspendRowAudit(manager, -1)
            await flushAudit(manager, { context, mark, at: this.auditClock().toISOString() })
            return result
          } catch (error) {
            await suspendRowAudit(manager, -1)
            throw error
          }
        })
      } finally {
        await this.dataSource.query(`PRAGMA cache_size = -${NORMAL_CACHE_KIB}`)
      }
    })
  }

  /**
   * Runs `work` alone on the connection, outside any transaction, with the data source itself:
   * VACUUM INTO backups and online restores, which SQLite refuses inside a transaction.
   */
  exclusive<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    return this.enqueue(() => work(this.dataSource))
  }

  /** The engine and its version, for the about box and support requests. */
  async engineVersion(): Promise<string> {
    const rows: Array<{ v: string }> = await this.read((manager) => manager.query('SELECT sqlite_version() AS v'))
    return `SQLite ${rows[0]?.v ?? '?'}`
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined)
    if (this.dataSource.isInitialized) await this.dataSource.destroy()
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task)
    this.queue = run.catch(() => undefined)
    return run
  }
}

/**
 * The database file is damaged (start-up quick_check failed, or SQLite cannot read it): the app
 * must not open it. The desktop app offers the last backup; the message is for logs.
 */
export class DatabaseCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly dataDir: string,
    detail: string
  ) {
    super(`Database ${file} is damaged: ${detail}`)
    this.name = 'DatabaseCorruptError'
  }
}

function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
}

async function backupBeforeMigration(dataSource: DataSource, dataDir: string): Promise<string> {
  const dir = join(dataDir, 'backups')
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const target = join(dir, `pre-migration-${stamp}.sqlite`)
  // VACUUM INTO writes a consistent, compacted copy even with WAL content pending.
  await dataSource.query('VACUUM INTO ?', [target])
  return target
}

import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { DataSource, EntityManager } from 'typeorm'
import { createDataSource, createPostgresDataSource } from './data-source'
import { dialectOf, type DialectName } from './dialect'
import { log } from '../platform/log'
import {
  auditMark,
  currentAuditContext,
  flushAudit,
  installAuditTriggers,
  suspendRowAudit
} from '../modules/audit/audit-trail'

export const DATABASE_FILE_NAME = 'recouvra.sqlite'

/**
 * Key of the PostgreSQL advisory lock every write transaction takes first (agency mode). A plain
 * write takes it exclusively: it is alone across every process of the agency, as on a laptop's
 * SQLite, so its "read, check the version, update" is atomic whatever it touches. A write that
 * locks the rows it relies on itself (`rowLocks`: calls, payments) takes it shared: such writes
 * run side by side, one case at a time (lockCasesForWrite), and a plain write still waits for
 * them all (and they for it). The audit chain's append is ordered by its own short lock
 * (flushAudit), the last one a write takes.
 */
const PG_WRITE_LOCK = 0x7265636f // 'reco'

/** A write that met a deadlock or a serialization failure is run again, this many times at most. */
const PG_WRITE_ATTEMPTS = 5

export interface WriteOptions {
  /**
   * PostgreSQL: the work locks, before reading them, the rows whose values it recomputes (the
   * cases: lockCasesForWrite) and writes shared records only through their version
   * (`UPDATE … WHERE version = ?`), so it may run alongside other such writes. Without it the
   * write runs alone. SQLite: no difference (one connection, writes one after the other).
   */
  rowLocks?: boolean
}

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
  /** Writes under way outside the queue (row-locking writes on PostgreSQL), awaited by close(). */
  private readonly running = new Set<Promise<unknown>>()
  /** The time stamped on audit entries (the app's clock; tests fix it). */
  auditClock: () => Date = () => new Date()
  /** 'sqlite' (the embedded file) or 'postgres' (agency mode, a shared server). */
  readonly dialect: DialectName

  private constructor(
    readonly dataSource: DataSource,
    readonly dataDir: string,
    /** The SQLite file, or the PostgreSQL server's URL without its password. */
    readonly file: string
  ) {
    this.dialect = dialectOf(dataSource)
  }

  /**
   * Opens the agency's shared PostgreSQL database (agency mode), migrating it if needed (one
   * process at a time: the migrations run under an advisory lock). `dataDir` still holds this
   * machine's files: documents, exports, backups.
   */
  static async openPostgres(url: string, dataDir: string, options: { poolSize?: number } = {}): Promise<Database> {
    mkdirSync(dataDir, { recursive: true })
    const dataSource = createPostgresDataSource(url, options)
    await dataSource.initialize()
    try {
      const runner = dataSource.createQueryRunner()
      try {
        await runner.connect()
        await runner.query('SELECT pg_advisory_lock($1)', [PG_WRITE_LOCK + 1])
        try {
          const applied = await dataSource.runMigrations({ transaction: 'each' })
          for (const migration of applied) log.info(`Applied migration ${migration.name}`)
          await installAuditTriggers(dataSource)
        } finally {
          await runner.query('SELECT pg_advisory_unlock($1)', [PG_WRITE_LOCK + 1])
        }
      } finally {
        await runner.release()
      }
    } catch (error) {
      await dataSource.destroy()
      throw error
    }
    return new Database(dataSource, dataDir, redactUrl(url))
  }

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
    // PostgreSQL: in parallel, each read in one snapshot (never half of a write, even across
    // several queries).
    if (this.dialect === 'postgres') return this.dataSource.transaction('REPEATABLE READ', work)
    return this.enqueue(() => work(this.dataSource.manager))
  }

  /**
   * Runs `work` inside one transaction: all of it or nothing. SQLite: alone on the connection.
   * PostgreSQL: alone in the agency, or beside other row-locking writes (`options.rowLocks`);
   * run again from the start after a deadlock or a serialization failure (at most
   * PG_WRITE_ATTEMPTS times), so `work` must not act outside the transaction.
   */
  write<T>(work: (manager: EntityManager) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    // Who is writing is known where the call starts (the dispatcher), not when the queue runs it.
    const context = currentAuditContext()
    if (this.dialect === 'postgres') {
      const attempt = () => this.postgresWrite(context, work, options.rowLocks === true)
      // Row-locking writes need no turn in this process's queue: the server orders them.
      return options.rowLocks ? this.track(attempt()) : this.enqueue(attempt)
    }
    return this.enqueue(() =>
      this.dataSource.transaction(async (manager) => {
        const mark = await auditMark(manager)
        const result = await work(manager)
        await flushAudit(manager, { context, mark, at: this.auditClock().toISOString() })
        return result
      })
    )
  }

  /** One PostgreSQL write transaction, retried after a deadlock or a serialization failure. */
  private async postgresWrite<T>(
    context: ReturnType<typeof currentAuditContext>,
    work: (manager: EntityManager) => Promise<T>,
    shared: boolean
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          await this.startPostgresWrite(manager, context.userId, shared)
          const result = await work(manager)
          // The write counter goes with the audit entries (one statement), or alone.
          const audited = await flushAudit(manager, {
            context,
            mark: 0,
            at: this.auditClock().toISOString(),
            countWrite: true
          })
          if (audited === 0) await countPostgresWrite(manager)
          return result
        })
      } catch (error) {
        if (attempt >= PG_WRITE_ATTEMPTS || !isRetryable(error)) throw error
        log.warn(`Write run again (attempt ${attempt + 1}) after: ${(error as Error).message}`)
        // A short random pause, longer each time, so that the two sides do not meet again.
        await new Promise((done) => setTimeout(done, Math.random() * 20 * attempt))
      }
    }
  }

  /**
   * A write of hundreds of thousands of rows (demo portfolio, imports): the same single
   * transaction, with a page cache large enough that index updates stay in memory (measured:
   * a third faster at 50,000 cases) and statement journals in memory. Both are restored after.
   */
  bulkWrite<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const context = currentAuditContext()
    return this.enqueue(async () => {
      const sqlite = this.dialect === 'sqlite'
      if (sqlite) await this.dataSource.query(`PRAGMA cache_size = -${BULK_CACHE_KIB}`)
      try {
        return await this.dataSource.transaction(async (manager) => {
          if (!sqlite) await this.startPostgresWrite(manager, context.userId, false)
          // Audited per table (bulk-insert summaries from bulkInsert), not row by row.
          const mark = await auditMark(manager)
          await suspendRowAudit(manager, 1)
          try {
            const result = await work(manager)
            await suspendRowAudit(manager, -1)
            await flushAudit(manager, { context, mark, at: this.auditClock().toISOString() })
            if (!sqlite) await countPostgresWrite(manager)
            return result
          } catch (error) {
            await suspendRowAudit(manager, -1)
            throw error
          }
        })
      } finally {
        if (sqlite) await this.dataSource.query(`PRAGMA cache_size = -${NORMAL_CACHE_KIB}`)
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
    if (this.dialect === 'postgres') {
      const rows: Array<{ v: string }> = await this.read((manager) =>
        manager.query("SELECT current_setting('server_version') AS v")
      )
      return `PostgreSQL ${rows[0]?.v ?? '?'}`
    }
    const rows: Array<{ v: string }> = await this.read((manager) => manager.query('SELECT sqlite_version() AS v'))
    return `SQLite ${rows[0]?.v ?? '?'}`
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined)
    await Promise.allSettled([...this.running])
    if (this.dataSource.isInitialized) await this.dataSource.destroy()
  }

  /**
   * First statement of a write transaction on PostgreSQL: the agency-wide write lock, exclusive
   * or shared (held until commit or rollback), and who acts, for the audit triggers.
   */
  private async startPostgresWrite(manager: EntityManager, userId: string | null, shared: boolean): Promise<void> {
    await manager.query(
      `SELECT ${shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}($1), set_config('recouvra.actor', $2, true)`,
      [PG_WRITE_LOCK, userId ?? '']
    )
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.running.add(run)
    void run.then(
      () => this.running.delete(run),
      () => this.running.delete(run)
    )
    return run
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

/** A PostgreSQL URL fit for logs and the about box: no password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://…'
  }
}

/**
 * PostgreSQL: one more write committed, for caches of figures read from the whole database (the
 * portfolio's totals, the dashboard): `write_counter` (migration PgWriteCounter1763861520001) is
 * bumped by every write transaction as its last statement, so a read that finds the same value
 * in its snapshot sees the same data, whichever workstation wrote since. Its row lock is held
 * only until the commit that follows.
 */
async function countPostgresWrite(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE write_counter SET n = n + 1 WHERE id = 1')
}

/** A deadlock or a serialization failure: the transaction was rolled back whole and may run again. */
function isRetryable(error: unknown): boolean {
  const codeOf = (e: unknown) => (e && typeof e === 'object' ? (e as { code?: unknown }).code : undefined)
  const code = codeOf(error) ?? codeOf((error as { driverError?: unknown } | null)?.driverError)
  return code === '40001' || code === '40P01'
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

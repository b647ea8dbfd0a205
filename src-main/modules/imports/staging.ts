import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import sqlite3 from 'sqlite3'

/**
 * A scratch SQLite file for one import: the rows read from the client's file, their problems
 * and the plan, kept on disk so an import's memory does not grow with the file (the agency's
 * database only receives the result, at commit). Its own connection, never the agency's: no
 * audit trail, no backup, no lock on the agency's database while a file is read, and nothing
 * to undo if it is thrown away. Written without a journal (a failure discards the whole file).
 */
export class StageDb {
  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string
  ) {}

  static async open(file: string): Promise<StageDb> {
    mkdirSync(dirname(file), { recursive: true })
    rmSync(file, { force: true })
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(opened)))
    })
    const stage = new StageDb(db, file)
    // A 2 MiB page cache, temporary B-trees on disk: the import's peak RSS at 100,000 rows fell
    // from 520 to 470-482 MB (RssAnon 465 → 416-428) with the same times as with 16 MiB
    // (tests/bench/README.md, "Session 4: import scratch file").
    await stage.exec(
      'PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048; PRAGMA temp_store = FILE;'
    )
    return stage
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error ? reject(error) : resolve())))
  }

  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return new Promise<number>((resolve, reject) =>
      this.db.run(sql, params as unknown[], function (this: sqlite3.RunResult, error: Error | null) {
        if (error) reject(error)
        else resolve(this.changes)
      })
    )
  }

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) =>
      this.db.all(sql, params as unknown[], (error, rows) => (error ? reject(error) : resolve(rows as T[])))
    )
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0]
  }

  /** Multi-row INSERTs, in one transaction per call. */
  async insert(table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): Promise<void> {
    if (rows.length === 0) return
    const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / columns.length)))
    const tuple = `(${columns.map(() => '?').join(', ')})`
    await this.exec('BEGIN')
    try {
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement)
        await this.run(
          `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`,
          chunk.flat()
        )
      }
      await this.exec('COMMIT')
    } catch (error) {
      await this.exec('ROLLBACK').catch(() => undefined)
      throw error
    }
  }

  /**
   * Every row of a query, a page at a time, by a unique increasing key: `sql` takes the last key
   * seen as its first parameter (`… WHERE key > ? ORDER BY key LIMIT n`), `keyOf` reads it.
   */
  async *pages<T>(
    sql: string,
    first: unknown,
    keyOf: (row: T) => unknown,
    params: readonly unknown[] = []
  ): AsyncGenerator<T[]> {
    let after = first
    for (;;) {
      const rows = await this.all<T>(sql, [after, ...params])
      if (rows.length === 0) return
      yield rows
      after = keyOf(rows[rows.length - 1]!)
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.db.close(() => resolve()))
    rmSync(this.file, { force: true })
  }
}

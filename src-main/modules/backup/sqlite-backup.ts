import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import sqlite3 from 'sqlite3'

/**
 * SQLite file operations behind backups and restores, kept apart from the service so the
 * start-up path (a corrupted database, before any app exists) can use them too.
 */

export interface FileCheck {
  ok: boolean
  /** English, for logs: the first problems SQLite reported. */
  detail: string
}

function openReadOnly(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(db)))
  })
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as T[]))))
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()))
}

/**
 * Full `PRAGMA integrity_check` of a database file opened read-only, and a check that it is a
 * Recouvra database (it has the migrations table). Never throws: a file that cannot be opened
 * is simply not ok.
 */
export async function checkDatabaseFile(
  file: string,
  mode: 'integrity_check' | 'quick_check' = 'integrity_check'
): Promise<FileCheck> {
  if (!existsSync(file)) return { ok: false, detail: `${file} does not exist` }
  let db: sqlite3.Database | null = null
  try {
    db = await openReadOnly(file)
    const rows = await all<Record<string, string>>(db, `PRAGMA ${mode}(20)`)
    const messages = rows.map((row) => Object.values(row)[0])
    if (messages.length !== 1 || messages[0] !== 'ok') return { ok: false, detail: messages.join('; ') }
    const tables = await all<{ name: string }>(
      db,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'"
    )
    if (tables.length === 0) return { ok: false, detail: 'not a Recouvra database (no schema_migration table)' }
    return { ok: true, detail: 'ok' }
  } catch (error) {
    return { ok: false, detail: (error as Error).message }
  } finally {
    if (db) await close(db)
  }
}

interface SqliteBackup {
  step(pages: number, callback: (error: Error | null) => void): void
  finish(callback: (error: Error | null) => void): void
}

/**
 * Copies every page of `sourceFile` into the open connection `connection` with SQLite's online
 * backup API: the live database becomes the backup, in one step, without closing the app.
 */
export function restoreIntoConnection(connection: sqlite3.Database, sourceFile: string): Promise<void> {
  // sqlite3's typings omit Database#backup(filename, destName, sourceName, filenameIsDest, cb).
  const withBackup = connection as unknown as { backup: (...args: unknown[]) => SqliteBackup }
  return new Promise((resolve, reject) => {
    const backup = withBackup.backup(sourceFile, 'main', 'main', false, (error: Error | null) => {
      if (error) {
        reject(error)
        return
      }
      backup.step(-1, (stepError: Error | null) => {
        if (stepError) {
          backup.finish(() => reject(stepError))
          return
        }
        backup.finish((finishError: Error | null) => (finishError ? reject(finishError) : resolve()))
      })
    })
  })
}

/**
 * Replaces a database file that cannot be opened (corruption at start-up) by a checked backup,
 * keeping the damaged file aside as `<name>.corrupt-<stamp>` for support. Runs with no
 * connection open.
 */
export function replaceDatabaseFile(databaseFile: string, backupFile: string, stamp: string): string {
  const aside = `${databaseFile}.corrupt-${stamp}`
  if (existsSync(databaseFile)) renameSync(databaseFile, aside)
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(databaseFile + suffix)) rmSync(databaseFile + suffix)
  }
  copyFileSync(backupFile, databaseFile)
  return aside
}

export type RestorableCheck =
  | { ok: true; migrations: string[] }
  | { ok: false; reason: 'not-sqlite' | 'corrupt' | 'not-recouvra' | 'newer'; detail: string; unknown?: string[] }

const SQLITE_MAGIC = 'SQLite format 3\u0000'
/** Tables every Recouvra database has had since its first migration. */
const RECOUVRA_TABLES = ['schema_migration', 'collection_case', 'debtor', 'claim', 'app_setting']

/**
 * Whether a file the user picked can replace the database: a SQLite file (header), sound (full
 * integrity_check), a Recouvra database (its tables and first migration), not made by a newer
 * version of the app (every migration it records is one this app knows). Read-only; never throws.
 */
export async function checkRestorable(
  file: string,
  knownMigrations: readonly string[],
  firstMigration: string
): Promise<RestorableCheck> {
  try {
    const header = Buffer.alloc(16)
    const fd = openSync(file, 'r')
    try {
      readSync(fd, header, 0, 16, 0)
    } finally {
      closeSync(fd)
    }
    if (header.toString('latin1') !== SQLITE_MAGIC) {
      return { ok: false, reason: 'not-sqlite', detail: 'no SQLite header' }
    }
  } catch (error) {
    return { ok: false, reason: 'not-sqlite', detail: (error as Error).message }
  }
  let db: sqlite3.Database | null = null
  try {
    db = await openReadOnly(file)
    const rows = await all<Record<string, string>>(db, 'PRAGMA integrity_check(20)')
    const messages = rows.map((row) => Object.values(row)[0])
    if (messages.length !== 1 || messages[0] !== 'ok') {
      return { ok: false, reason: 'corrupt', detail: messages.join('; ') }
    }
    const tables = new Set(
      (await all<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name)
    )
    const missing = RECOUVRA_TABLES.filter((t) => !tables.has(t))
    if (missing.length > 0) return { ok: false, reason: 'not-recouvra', detail: `missing tables ${missing.join(', ')}` }
    const applied = (await all<{ name: string }>(db, 'SELECT name FROM schema_migration ORDER BY id')).map(
      (m) => m.name
    )
    if (!applied.includes(firstMigration)) {
      return { ok: false, reason: 'not-recouvra', detail: `no ${firstMigration} in schema_migration` }
    }
    const known = new Set(knownMigrations)
    const unknown = applied.filter((name) => !known.has(name))
    if (unknown.length > 0)
      return { ok: false, reason: 'newer', detail: `unknown migrations ${unknown.join(', ')}`, unknown }
    return { ok: true, migrations: applied }
  } catch (error) {
    const message = (error as Error).message
    return {
      ok: false,
      reason: /not a database|malformed|corrupt/i.test(message) ? 'corrupt' : 'not-recouvra',
      detail: message
    }
  } finally {
    if (db) await close(db)
  }
}

import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DataSource } from 'typeorm'
import { createDataSource } from './data-source'
import { Database } from './database'
import { PgSearchIndex } from '../modules/search/pg-search-index'
import { FileStore, uploadStoredFiles } from '../modules/documents/file-store'
import { log } from '../platform/log'

/**
 * `db copy --from recouvra.sqlite --to postgres://…`: moves an agency's embedded file into its
 * new shared server (agency mode). The target is migrated first (same schema version as the
 * file: the file must be opened once with this version of Recouvra), then every table is copied
 * in foreign-key order, one transaction per table, in chunks, and its row count checked. It
 * resumes: a table whose count already matches is skipped; any other table is emptied
 * (TRUNCATE … CASCADE, so the tables after it are redone too) and copied again. Rows are copied
 * verbatim, the audit trail included (its hash chain stays valid: it hashes the stored text),
 * with the audit triggers suspended; the search index is rebuilt at the end.
 */
export interface TableCopy {
  table: string
  rows: number
  skipped: boolean
  ms: number
}

export interface CopyReport {
  tables: TableCopy[]
  totalRows: number
  /** Documents' files (letters, e-mails, logos) uploaded from the file's data folder into stored_file. */
  storedFiles: number
  ms: number
}

/** Tables of the PostgreSQL schema that are not data (or are rebuilt from it). */
const NOT_COPIED = new Set(['schema_migration', 'search_case_doc', 'audit_pending', 'audit_bulk'])
/** PostgreSQL takes at most 65,535 parameters a statement. */
const MAX_PARAMETERS = 30_000
const READ_CHUNK = 5_000

export async function copySqliteToPostgres(
  sqliteFile: string,
  postgresUrl: string,
  options: { dataDir: string; onTable?: (copy: TableCopy) => void }
): Promise<CopyReport> {
  if (!existsSync(sqliteFile)) throw new Error(`No SQLite file at ${sqliteFile}`)
  const started = performance.now()
  const source = createDataSource(sqliteFile)
  await source.initialize()
  let target: Database | null = null
  try {
    if (await source.showMigrations()) {
      throw new Error(
        `${sqliteFile} has migrations pending: open it once with this version of Recouvra (it migrates it), then copy`
      )
    }
    target = await Database.openPostgres(postgresUrl, options.dataDir, { poolSize: 2 })
    const tables = await tablesInForeignKeyOrder(target.dataSource)
    const report: TableCopy[] = []
    for (const table of tables) {
      const copy = await copyTable(source, target.dataSource, table)
      options.onTable?.(copy)
      report.push(copy)
    }
    // The letters' files leave the workstation's folder for the server (shared by every workstation).
    const uploaded = await uploadStoredFiles(dirname(sqliteFile), new FileStore(options.dataDir, target))
    await target.write(async (manager) => {
      await manager.query("SELECT set_config('recouvra.audit_suspended', '1', true)")
      await new PgSearchIndex().rebuild(manager, { sortKeys: false })
    })
    return {
      tables: report,
      totalRows: report.reduce((sum, t) => sum + t.rows, 0),
      storedFiles: uploaded.files,
      ms: Math.round(performance.now() - started)
    }
  } finally {
    await source.destroy()
    await target?.close()
  }
}

/** The data tables of the target, each after the tables it references. */
async function tablesInForeignKeyOrder(target: DataSource): Promise<string[]> {
  const tables = (
    (await target.query(
      `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
    )) as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((name) => !NOT_COPIED.has(name))
  const references = (await target.query(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`
  )) as Array<{ child: string; parent: string }>
  const unquote = (name: string) => name.replace(/^"|"$/g, '')
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]))
  for (const { child, parent } of references) {
    if (unquote(child) !== unquote(parent)) parents.get(unquote(child))?.add(unquote(parent))
  }
  const ordered: string[] = []
  const done = new Set<string>()
  const visit = (table: string, path: Set<string>) => {
    if (done.has(table) || path.has(table)) return
    path.add(table)
    for (const parent of parents.get(table) ?? []) visit(parent, path)
    done.add(table)
    ordered.push(table)
  }
  for (const table of tables) visit(table, new Set())
  return ordered
}

async function copyTable(source: DataSource, target: DataSource, table: string): Promise<TableCopy> {
  const started = performance.now()
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`
  const sourceTables = (await source.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [
    table
  ])) as unknown[]
  // PostgreSQL-only tables (stored_file: documents' bytes, kept in the folder with SQLite).
  if (sourceTables.length === 0) return { table, rows: 0, skipped: true, ms: 0 }
  const expected = await count(source, table)
  const present = await count(target, table)
  if (Number(present) === Number(expected) && !(await differs(source, target, table))) {
    return { table, rows: Number(expected), skipped: true, ms: Math.round(performance.now() - started) }
  }
  const columns = (await target.query(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table]
  )) as Array<{ name: string; type: string }>
  const sourceColumns = new Set(
    ((await source.query(`SELECT name FROM pragma_table_info(?)`, [table])) as Array<{ name: string }>).map(
      (c) => c.name
    )
  )
  const missing = columns.filter((c) => !sourceColumns.has(c.name))
  if (missing.length > 0) {
    throw new Error(
      `${table}: the SQLite file has no ${missing.map((c) => c.name).join(', ')} (schema versions differ)`
    )
  }
  const booleans = columns.map((c) => c.type === 'boolean')
  const list = columns.map((c) => q(c.name)).join(', ')
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length))
  const queryRunner = target.createQueryRunner()
  try {
    await queryRunner.connect()
    await queryRunner.startTransaction()
    await queryRunner.query("SELECT set_config('recouvra.audit_suspended', '1', true)")
    await queryRunner.query(`TRUNCATE ${q(table)} CASCADE`)
    let lastRowid = -Infinity
    let copied = 0
    for (;;) {
      const rows = (await source.query(
        `SELECT rowid AS "__rowid", ${list} FROM ${q(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${READ_CHUNK}`,
        [lastRowid === -Infinity ? -9007199254740991 : lastRowid]
      )) as Array<Record<string, unknown>>
      if (rows.length === 0) break
      lastRowid = Number(rows[rows.length - 1]!.__rowid)
      for (let i = 0; i < rows.length; i += rowsPerStatement) {
        const chunk = rows.slice(i, i + rowsPerStatement)
        const parameters: unknown[] = []
        const tuples = chunk.map((row) => {
          const marks = columns.map((c, k) => {
            const value = row[c.name]
            parameters.push(booleans[k] && typeof value === 'number' ? value !== 0 : value)
            return `$${parameters.length}`
          })
          return `(${marks.join(', ')})`
        })
        await queryRunner.query(`INSERT INTO ${q(table)} (${list}) VALUES ${tuples.join(', ')}`, parameters)
      }
      copied += rows.length
    }
    const [row] = (await queryRunner.query(`SELECT COUNT(*) AS n FROM ${q(table)}`)) as Array<{ n: number }>
    const after = Number(row?.n ?? -1)
    if (Number(after) !== Number(expected) || copied !== Number(expected)) {
      throw new Error(`${table}: ${after} rows in PostgreSQL after copying ${copied}, ${expected} in the SQLite file`)
    }
    await queryRunner.commitTransaction()
    log.info(`db copy: ${table} ${copied} rows`)
    return { table, rows: copied, skipped: false, ms: Math.round(performance.now() - started) }
  } catch (error) {
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction()
    throw error
  } finally {
    await queryRunner.release()
  }
}

async function count(dataSource: DataSource, table: string): Promise<number> {
  const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`)) as Array<{ n: number }>
  return Number(row?.n ?? 0)
}

/**
 * Same count, but not the same rows (the target's own seed rows: rate tables, dunning
 * scenarios)? Compared by primary key ids where the table has an `id` column.
 */
async function differs(source: DataSource, target: DataSource, table: string): Promise<boolean> {
  const hasId = ((await source.query(`SELECT name FROM pragma_table_info(?) WHERE name = 'id'`, [table])) as unknown[])
    .length
  if (!hasId) return false
  const [a] = (await source.query(`SELECT MIN(id) AS lo, MAX(id) AS hi FROM "${table}"`)) as Array<{
    lo: string | null
    hi: string | null
  }>
  const [b] = (await target.query(`SELECT MIN(id) AS lo, MAX(id) AS hi FROM "${table}"`)) as Array<{
    lo: string | null
    hi: string | null
  }>
  return a?.lo !== b?.lo || a?.hi !== b?.hi
}

import type { EntityManager } from 'typeorm'
import { recordBulkInsert, suspendRowAudit } from '../modules/audit/audit-trail'

/** SQLite's default limit of bound parameters per statement is 32 766; stay well under it. */
const MAX_PARAMETERS = 30_000
const MAX_ROWS_PER_STATEMENT = 500

/**
 * Inserts many rows with multi-row INSERT statements, in chunks: one `save()` per row is
 * ~20× slower over `sqlite3` (see the toolchain notes). Column names are SQL names; every row
 * gives its values in the same order. Run it inside `Database.write` so it is all or nothing.
 */
export async function bulkInsert(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>
): Promise<void> {
  if (rows.length === 0) return
  // Audited as one summary per table and write (row count, first and last id), not per row.
  await suspendRowAudit(manager, 1)
  try {
    await insertChunks(manager, table, columns, rows)
  } finally {
    await suspendRowAudit(manager, -1)
  }
  await recordBulkInsert(manager, table, columns, rows)
}

async function insertChunks(
  manager: EntityManager,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<readonly unknown[]>
): Promise<void> {
  const driver = manager.connection.driver
  // node-sqlite3 has no boolean type; PostgreSQL (agency mode) wants real booleans.
  const booleanAsInteger = driver.options.type === 'sqlite'
  const rowsPerStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)))
  const head = `INSERT INTO ${driver.escape(table)} (${columns.map((c) => driver.escape(c)).join(', ')}) VALUES `
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement)
    const parameters: unknown[] = []
    const tuples: string[] = []
    for (const row of chunk) {
      if (row.length !== columns.length) {
        throw new Error(`bulkInsert into ${table}: row has ${row.length} values for ${columns.length} columns`)
      }
      const placeholders: string[] = []
      for (const value of row) {
        placeholders.push(driver.createParameter(`p${parameters.length}`, parameters.length))
        parameters.push(booleanAsInteger && typeof value === 'boolean' ? (value ? 1 : 0) : value)
      }
      tuples.push(`(${placeholders.join(', ')})`)
    }
    await manager.query(head + tuples.join(', '), parameters)
  }
}

import type { EntityManager } from 'typeorm'
import { isAuditedTable } from '../audit/audit-trail'

/**
 * Finds every row linked to a debtor, generically: the debtor row, then, round after round,
 * the rows of any table whose foreign key (or `debtor_id` / `case_id` column) points at a row
 * already found. Tables other modules add later are covered without code here.
 */

type Row = Record<string, unknown>
export type RowsByTable = Map<string, Row[]>

const CHUNK = 500

interface Link {
  table: string
  column: string
  target: string
}

/** From the entities' metadata, so that both engines (SQLite, PostgreSQL) answer the same. */
async function links(manager: EntityManager): Promise<Link[]> {
  const result: Link[] = []
  const metadatas = [...manager.connection.entityMetadatas].sort((a, b) => a.tableName.localeCompare(b.tableName))
  for (const metadata of metadatas) {
    const name = metadata.tableName
    if (!isAuditedTable(name)) continue
    const seen = new Set<string>()
    for (const fk of metadata.foreignKeys) {
      if (fk.columnNames.length !== 1 || (fk.referencedColumnNames[0] ?? 'id') !== 'id') continue
      result.push({ table: name, column: fk.columnNames[0]!, target: fk.referencedEntityMetadata.tableName })
      seen.add(fk.columnNames[0]!)
    }
    for (const column of metadata.columns) {
      const col = column.databaseName
      if (seen.has(col)) continue
      if (col === 'debtor_id') result.push({ table: name, column: col, target: 'debtor' })
      if (col === 'case_id') result.push({ table: name, column: col, target: 'collection_case' })
    }
  }
  return result
}

export async function collectDebtorData(manager: EntityManager, debtorId: string): Promise<RowsByTable> {
  const found: RowsByTable = new Map()
  const ids = new Map<string, Set<string>>()
  const add = (table: string, rows: Row[]) => {
    const list = found.get(table) ?? []
    const known = ids.get(table) ?? new Set<string>()
    for (const row of rows) {
      const id = String(row.id ?? JSON.stringify(row))
      if (known.has(id)) continue
      known.add(id)
      list.push(row)
    }
    found.set(table, list)
    ids.set(table, known)
  }
  add('debtor', (await manager.query('SELECT * FROM debtor WHERE id = ?', [debtorId])) as Row[])
  if ((found.get('debtor') ?? []).length === 0) return found
  const all = await links(manager)
  for (let round = 0; round < 6; round++) {
    let grew = false
    for (const link of all) {
      const targets = [...(ids.get(link.target) ?? [])]
      if (targets.length === 0 || link.table === 'debtor') continue
      const before = ids.get(link.table)?.size ?? 0
      for (let i = 0; i < targets.length; i += CHUNK) {
        const chunk = targets.slice(i, i + CHUNK)
        const rows = (await manager.query(
          `SELECT * FROM "${link.table}" WHERE "${link.column}" IN (${chunk.map(() => '?').join(', ')})`,
          chunk
        )) as Row[]
        add(link.table, rows)
      }
      if ((ids.get(link.table)?.size ?? 0) > before) grew = true
    }
    if (!grew) break
  }
  return found
}

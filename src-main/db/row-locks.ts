import type { EntityManager } from 'typeorm'
import { isPostgres } from './dialect'

/**
 * Agency mode (PostgreSQL): a write that runs beside others (Database.write with `rowLocks`)
 * locks the cases whose money or state it reads and recomputes, first, before reading them, and
 * keeps them until it commits: two collectors writing to the same case take turns, so totals
 * recomputed from the case's records always include the other's. Ids are locked in one order
 * (sorted), so two writes never wait for each other in a cycle. SQLite: nothing to do (writes
 * run one after the other on the one connection).
 */
export async function lockCasesForWrite(manager: EntityManager, caseIds: readonly string[]): Promise<void> {
  if (!isPostgres(manager) || caseIds.length === 0) return
  const ids = [...new Set(caseIds)].sort()
  await manager.query('SELECT id FROM collection_case WHERE id = ANY(?) ORDER BY id FOR UPDATE', [ids])
}

/** The same for a debtor's phone whose status a call may change (shared by the debtor's cases). */
export async function lockPhoneForWrite(manager: EntityManager, phoneId: string): Promise<void> {
  if (!isPostgres(manager)) return
  await manager.query('SELECT id FROM debtor_phone WHERE id = ? FOR UPDATE', [phoneId])
}

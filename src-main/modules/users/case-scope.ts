import { AppError, type SessionUser } from '@shared/contract'
import type { Database } from '../../db/database'
import type { UsersService } from './users.service'

const NOT_YOURS = new AppError(
  'FORBIDDEN',
  'Ce dossier n’est pas dans votre portefeuille : demandez à votre responsable de vous l’affecter.',
  'Collector refused a case assigned to someone else'
)

/**
 * Records named by id in channel inputs, and the table whose `case_id` says which case they
 * belong to: a collector reversing a payment or marking a letter sent works that payment's or
 * letter's case.
 */
const CASE_OF_RECORD: Readonly<Record<string, string>> = {
  paymentId: 'payment',
  planId: 'payment_plan',
  letterId: 'letter',
  documentId: 'document',
  entryId: 'journal_entry',
  deadlineId: 'case_deadline',
  actionId: 'dunning_action'
}

/**
 * Collectors work only the cases assigned to them, unless the portfolio is opened to them (a
 * setting). Checked once in the dispatcher for every channel, from the input's own fields: a
 * case id (`caseId`, `caseIds`, `id` of cases:get-summary), a record of a case (CASE_OF_RECORD),
 * a debtor id; list inputs are narrowed to "mes dossiers" (the portfolio's `filters.mine`, the
 * agenda's own collector).
 */
export function collectorScope(db: Database, users: UsersService) {
  return async (user: SessionUser, input: unknown, channel: string): Promise<void> => {
    if (user.role !== 'collector' || !input || typeof input !== 'object') return
    if (await users.portfolioOpenToCollectors()) return
    const fields = input as Record<string, unknown>
    // Lists: only their own cases.
    const filters = fields.filters
    if (
      filters &&
      typeof filters === 'object' &&
      (channel === 'cases:list' ||
        channel === 'cases:page' ||
        channel === 'cases:totals' ||
        channel === 'reports:dashboard')
    ) {
      ;(filters as Record<string, unknown>).mine = true
    }
    // The agenda refuses a collector any agenda but their own by itself.
    const caseIds: string[] = []
    if (typeof fields.caseId === 'string') caseIds.push(fields.caseId)
    if (Array.isArray(fields.caseIds)) caseIds.push(...fields.caseIds.filter((v): v is string => typeof v === 'string'))
    if (channel === 'cases:get-summary' && typeof fields.id === 'string') caseIds.push(fields.id)
    for (const [field, table] of Object.entries(CASE_OF_RECORD)) {
      const id = fields[field]
      if (typeof id !== 'string') continue
      // An unknown id is left to the handler (NOT_FOUND); a record of no case (an agency document) is not a case's.
      const rows = (await db.read((m) => m.query(`SELECT case_id FROM "${table}" WHERE id = ?`, [id]))) as Array<{
        case_id: string | null
      }>
      if (rows[0]?.case_id) caseIds.push(rows[0].case_id)
    }
    if (caseIds.length > 0) {
      const unique = [...new Set(caseIds)]
      const rows = (await db.read((m) =>
        m.query(
          `SELECT COUNT(*) AS n FROM collection_case WHERE id IN (${unique.map(() => '?').join(', ')}) AND (collector_id IS NULL OR collector_id <> ?)`,
          [...unique, user.id]
        )
      )) as Array<{ n: number }>
      if (Number(rows[0]?.n ?? 0) > 0) throw NOT_YOURS
    }
    if (typeof fields.debtorId === 'string') {
      const rows = (await db.read((m) =>
        m.query('SELECT COUNT(*) AS n FROM collection_case WHERE debtor_id = ? AND collector_id = ?', [
          fields.debtorId,
          user.id
        ])
      )) as Array<{ n: number }>
      if (Number(rows[0]?.n ?? 0) === 0) throw NOT_YOURS
    }
  }
}

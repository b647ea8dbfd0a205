import { AppError, type SessionUser } from '@shared/contract'
import type { Database } from '../../db/database'
import type { UsersService } from './users.service'

const NOT_YOURS = new AppError(
  'FORBIDDEN',
  'Ce dossier n’est pas dans votre portefeuille : demandez à votre responsable de vous l’affecter.',
  'Collector refused a case assigned to someone else'
)

/**
 * Collectors work only the cases assigned to them, unless the portfolio is opened to them (a
 * setting). Checked once in the dispatcher for every channel, from the input's own fields: a
 * case id (`caseId`, `caseIds`, `id` of cases:get-summary), a debtor id; list inputs are narrowed
 * to "mes dossiers" (the portfolio's `filters.mine`, the agenda's own collector).
 */
export function collectorScope(db: Database, users: UsersService) {
  return async (user: SessionUser, input: unknown, channel: string): Promise<void> => {
    if (user.role !== 'collector' || !input || typeof input !== 'object') return
    if (await users.portfolioOpenToCollectors()) return
    const fields = input as Record<string, unknown>
    // Lists: only their own cases.
    const filters = fields.filters
    if (filters && typeof filters === 'object' && (channel === 'cases:list' || channel === 'reports:dashboard')) {
      ;(filters as Record<string, unknown>).mine = true
    }
    // The agenda refuses a collector any agenda but their own by itself.
    const caseIds: string[] = []
    if (typeof fields.caseId === 'string') caseIds.push(fields.caseId)
    if (Array.isArray(fields.caseIds)) caseIds.push(...fields.caseIds.filter((v): v is string => typeof v === 'string'))
    if (channel === 'cases:get-summary' && typeof fields.id === 'string') caseIds.push(fields.id)
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

import type { EntityManager } from 'typeorm'
import {
  AUDIT_EXPORT_MAX_ROWS,
  AUDIT_OPERATION_LABELS,
  AppError,
  type AuditChainCheck,
  type AuditEntryDto,
  type AuditExport,
  type AuditPage
} from '@shared/contract'
import type { Database } from '../../db/database'
import { PERSONAL_MARK, verifyChain } from './audit-trail'

export interface AuditFilter {
  tableName?: string | null
  rowId?: string | null
  userId?: string | null
  from?: string | null
  to?: string | null
}

/** Paris is UTC+1 or +2: a day's changes lie within [day-1 22:00Z, day+1 00:00Z). */
function dayBoundsUtc(from: string | null | undefined, to: string | null | undefined) {
  const shift = (date: string, days: number) => {
    const d = new Date(`${date}T00:00:00.000Z`)
    d.setUTCDate(d.getUTCDate() + days)
    return d.toISOString().slice(0, 10)
  }
  return {
    fromAt: from ? `${shift(from, -1)}T22:00:00.000Z` : null,
    toAt: to ? `${shift(to, 1)}T00:00:00.000Z` : null
  }
}

/** An entry's JSON with its personal values put back, or marked erased once anonymised. */
function withPersonal(json: string | null, personal: string | null, kept: boolean): string | null {
  if (json === null || !json.includes(PERSONAL_MARK)) return json
  const row = JSON.parse(json) as Record<string, unknown>
  const values = personal ? (JSON.parse(personal) as Record<string, unknown>) : {}
  for (const [key, value] of Object.entries(row)) {
    if (value !== PERSONAL_MARK) continue
    row[key] = kept && key in values ? values[key] : '[effacé – anonymisation]'
  }
  return JSON.stringify(row)
}

/** Paris day of an instant (to refine the UTC bounds above exactly). */
function parisDay(at: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(at))
}

export class AuditService {
  constructor(private readonly db: Database) {}

  async list(filter: AuditFilter & { beforeSeq?: number | null; limit: number }): Promise<AuditPage> {
    return this.db.read(async (manager) => {
      const entries = await this.query(manager, filter, filter.limit + 1, 'DESC', filter.beforeSeq ?? null)
      return { entries: entries.slice(0, filter.limit), hasMore: entries.length > filter.limit }
    })
  }

  async exportCsv(filter: AuditFilter, today: string): Promise<AuditExport> {
    const entries = await this.db.read((manager) => this.query(manager, filter, AUDIT_EXPORT_MAX_ROWS + 1, 'ASC', null))
    if (entries.length > AUDIT_EXPORT_MAX_ROWS) {
      throw new AppError(
        'BUSINESS_RULE',
        `Plus de ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('fr-FR')} entrées : réduisez la période ou filtrez par table.`,
        'Audit export too large'
      )
    }
    const cell = (value: string | number | null) => {
      const text = value === null ? '' : String(value)
      return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
    }
    const header = [
      'N°',
      'Date (UTC)',
      'Utilisateur',
      'Opération',
      'Action',
      'Table',
      'Ligne',
      'Avant',
      'Après',
      'Empreinte SHA-256'
    ]
    const lines = [header.join(';')]
    for (const e of entries) {
      lines.push(
        [
          e.seq,
          e.at,
          e.userName,
          AUDIT_OPERATION_LABELS[e.operation] ?? e.operation,
          e.action,
          e.tableName,
          e.rowId,
          e.before,
          e.after,
          e.hash
        ]
          .map(cell)
          .join(';')
      )
    }
    return { fileName: `journal-audit-${today}.csv`, csv: '\uFEFF' + lines.join('\r\n') + '\r\n', rows: entries.length }
  }

  async verify(): Promise<AuditChainCheck> {
    const check = await this.db.read((manager) => verifyChain((sql, params) => manager.query(sql, params)))
    const n = check.checked.toLocaleString('fr-FR')
    const message = check.ok
      ? `Journal d’audit intact : ${n} entrées vérifiées, chaîne d’empreintes SHA-256 continue.`
      : check.firstBroken!.reason === 'personal'
        ? `Journal d’audit altéré : les données personnelles de l’entrée n° ${check.firstBroken!.seq} ont été modifiées, ou effacées sans anonymisation du débiteur. ${n} entrées intactes avant elle.`
        : check.firstBroken!.reason === 'gap'
          ? `Journal d’audit altéré : l’entrée n° ${check.firstBroken!.expectedSeq} manque (trouvé n° ${check.firstBroken!.seq} à sa place). ${n} entrées intactes avant elle.`
          : `Journal d’audit altéré : l’entrée n° ${check.firstBroken!.seq} ne correspond pas à son empreinte (modifiée ou insérée hors de l’application). ${n} entrées intactes avant elle.`
    return { ...check, message }
  }

  private async query(
    manager: EntityManager,
    filter: AuditFilter,
    limit: number,
    order: 'ASC' | 'DESC',
    beforeSeq: number | null
  ): Promise<AuditEntryDto[]> {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.tableName) {
      where.push('a.table_name = ?')
      params.push(filter.tableName)
    }
    if (filter.rowId) {
      where.push('a.row_id = ?')
      params.push(filter.rowId)
    }
    if (filter.userId) {
      where.push('a.user_id = ?')
      params.push(filter.userId)
    }
    const { fromAt, toAt } = dayBoundsUtc(filter.from, filter.to)
    if (fromAt) {
      where.push('a.at >= ?')
      params.push(fromAt)
    }
    if (toAt) {
      where.push('a.at < ?')
      params.push(toAt)
    }
    if (beforeSeq !== null) {
      where.push('a.seq < ?')
      params.push(beforeSeq)
    }
    const rows = (await manager.query(
      `SELECT a.seq, a.at, a.user_id, u.display_name, a.action, a.table_name, a.row_id, a.operation, a.before_json, a.after_json, a.hash,
              p.seq AS p_seq, p.before_json AS p_before, p.after_json AS p_after
       FROM audit_entry a LEFT JOIN app_user u ON u.id = a.user_id LEFT JOIN audit_personal p ON p.seq = a.seq
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
       ORDER BY a.seq ${order} LIMIT ?`,
      [...params, limit]
    )) as Array<Record<string, string | number | null>>
    return rows
      .filter((r) => {
        const day = parisDay(r.at as string)
        return (!filter.from || day >= filter.from) && (!filter.to || day <= filter.to)
      })
      .map((r) => ({
        seq: Number(r.seq),
        at: r.at as string,
        userId: (r.user_id as string | null) ?? null,
        userName: (r.display_name as string | null) ?? (r.user_id ? 'Utilisateur supprimé' : 'Système'),
        action: r.action as string,
        tableName: r.table_name as string,
        rowId: (r.row_id as string | null) ?? null,
        operation: r.operation as string,
        before: withPersonal((r.before_json as string | null) ?? null, r.p_before as string | null, r.p_seq !== null),
        after: withPersonal((r.after_json as string | null) ?? null, r.p_after as string | null, r.p_seq !== null),
        hash: r.hash as string
      }))
  }
}

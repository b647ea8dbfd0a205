import { z } from 'zod'
import { channel } from './define'
import { calendarDateSchema, noInput, uuidSchema } from './schemas'

/** The tamper-evident audit trail: browse, export, verify (managers and admins). */

export interface AuditEntryDto {
  seq: number
  at: string
  userId: string | null
  /** Display name of the user, "Système" for changes made by the app itself. */
  userName: string
  action: string
  tableName: string
  rowId: string | null
  operation: string
  before: string | null
  after: string | null
  hash: string
}

export interface AuditPage {
  entries: AuditEntryDto[]
  /** Pass the last entry's seq as `beforeSeq` for the next page. */
  hasMore: boolean
}

export interface AuditChainCheck {
  ok: boolean
  checked: number
  firstBroken: { seq: number; expectedSeq: number; reason: 'hash' | 'gap' | 'personal' } | null
  /** French sentence for the screen and the command line. */
  message: string
}

export interface AuditExport {
  fileName: string
  /** CSV (semicolon-separated, UTF-8 with BOM, as French spreadsheets expect). */
  csv: string
  rows: number
}

export const AUDIT_OPERATION_LABELS: Record<string, string> = {
  insert: 'Création',
  update: 'Modification',
  delete: 'Suppression',
  'bulk-insert': 'Création en masse',
  restore: 'Restauration',
  anonymise: 'Anonymisation',
  reseal: 'Rechaînage (mise à jour)'
}

export const AUDIT_EXPORT_MAX_ROWS = 200_000

export const auditFilterSchema = z
  .object({
    tableName: z
      .string()
      .regex(/^[a-z_]{1,64}$/, 'Table invalide')
      .nullish(),
    rowId: z.string().max(200).nullish(),
    userId: uuidSchema.nullish(),
    from: calendarDateSchema.nullish(),
    to: calendarDateSchema.nullish()
  })
  .strict()

export const auditChannels = {
  'audit:list': channel<AuditPage>()(
    auditFilterSchema.extend({
      beforeSeq: z.number().int().positive().nullish(),
      limit: z.number().int().min(1).max(500).default(100)
    }),
    'Audit trail entries, newest first, filtered by table, row, user and days (Paris), paged by seq.'
  ),
  'audit:export': channel<AuditExport>()(auditFilterSchema, 'The filtered audit trail as a CSV file, oldest first.'),
  'audit:verify': channel<AuditChainCheck>()(noInput, 'Recomputes the SHA-256 chain and names the first broken row.')
}

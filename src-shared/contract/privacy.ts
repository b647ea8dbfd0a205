import { z } from 'zod'
import { channel } from './define'
import { noInput, uuidSchema } from './schemas'

/** Personal data (RGPD): retention of closed cases, access requests. */

export const PRIVACY_RETENTION_DEFAULT_YEARS = 5

export interface PrivacySettings {
  /** Years after a case closes before its debtor's personal data is anonymised. */
  retentionYears: number
}

export interface RetentionCandidate {
  debtorId: string
  displayName: string
  cases: number
  /** The latest closing date of the debtor's cases (all closed). */
  lastClosedOn: string
}

export interface RetentionPreview {
  retentionYears: number
  /** Cases closed before this day are past the retention period. */
  cutoff: string
  total: number
  /** The first 500, oldest closings first. */
  candidates: RetentionCandidate[]
}

export interface AnonymiseResult {
  anonymised: number
  cases: number
  /** Stored letters, e-mails and print files deleted (their hash and metadata are kept). */
  storedFilesErased: number
}

export interface DebtorExport {
  /** "acces-<debtor>-<date>": add .json / .xlsx. */
  fileBaseName: string
  json: string
  xlsxBase64: string
  /** Rows per table. */
  counts: Record<string, number>
}

export const privacyChannels = {
  'privacy:settings': channel<PrivacySettings>()(noInput, 'The personal-data retention period.'),
  'privacy:set-retention': channel<PrivacySettings>()(
    z
      .object({
        retentionYears: z
          .number()
          .int('Nombre d’années entier attendu')
          .min(1, 'Au moins 1 an')
          .max(30, 'Au plus 30 ans')
      })
      .strict(),
    'Sets how many years after closing a debtor’s personal data is kept.'
  ),
  'privacy:retention-preview': channel<RetentionPreview>()(
    noInput,
    'Debtors whose cases are all closed for longer than the retention period, not yet anonymised.'
  ),
  'privacy:anonymise': channel<AnonymiseResult>()(
    z
      .object({
        debtorIds: z.array(uuidSchema).min(1, 'Aucun débiteur choisi').max(500, 'Au plus 500 débiteurs à la fois')
      })
      .strict(),
    'Anonymises the chosen debtors past retention (identity, contacts, free texts), with a journal entry on each case.'
  ),
  'privacy:debtor-export': channel<DebtorExport>()(
    z
      .object({ debtorId: uuidSchema.optional(), caseReference: z.string().trim().min(3).max(30).optional() })
      .strict()
      .refine((v) => (v.debtorId === undefined) !== (v.caseReference === undefined), {
        message: 'Indiquez le débiteur ou la référence d’un de ses dossiers'
      }),
    'Access request (RGPD art. 15): everything held on a debtor, as JSON and as a workbook; journaled.'
  )
}

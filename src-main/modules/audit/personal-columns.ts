/**
 * Columns that hold a debtor's personal data (identity, contact details, free texts written
 * about them), per table, and how to find the debtor a row belongs to. Two users:
 * - the audit trail, which keeps these columns' values out of the hash-chained `audit_entry`
 *   (in the erasable `audit_personal`, committed to by a salted SHA-256), so that anonymising a
 *   debtor can erase them without breaking the chain;
 * - anonymisation, which blanks them in the live tables.
 * tests/integration/privacy/personal-columns.test.ts fails on a free-text column of a table
 * linked to a debtor that is missing here.
 */

/** How a row leads to its debtor: itself, its debtor_id, its case's debtor, its payment's. */
export type SubjectLink = 'self' | 'debtor_id' | 'case_id' | 'payment_id'

export interface PersonalTable {
  subject: SubjectLink
  columns: readonly string[]
  /** Columns read back as JSON: anonymisation writes `{}` there rather than ERASED_TEXT. */
  json?: readonly string[]
}

export const PERSONAL_COLUMNS: Readonly<Record<string, PersonalTable>> = {
  debtor: {
    subject: 'self',
    columns: ['civility', 'first_name', 'last_name', 'legal_name', 'display_name', 'siren', 'siret', 'birth_date']
  },
  debtor_address: { subject: 'debtor_id', columns: ['line1', 'line2', 'postal_code', 'city', 'source'] },
  debtor_phone: { subject: 'debtor_id', columns: ['number', 'source'] },
  debtor_email: { subject: 'debtor_id', columns: ['address', 'source'] },
  collection_case: { subject: 'debtor_id', columns: ['debtor_sort_name'] },
  claim: { subject: 'case_id', columns: ['description'] },
  journal_entry: { subject: 'case_id', columns: ['summary', 'details'] },
  solvency_note: { subject: 'debtor_id', columns: ['summary', 'facts', 'source'] },
  solvency_assessment: { subject: 'debtor_id', columns: ['comment'] },
  payment: { subject: 'case_id', columns: ['reference', 'note'] },
  allocation: { subject: 'payment_id', columns: ['reason'] },
  letter: { subject: 'case_id', columns: ['text', 'recipient'] },
  // The address an e-mail went to, and the server's refusal, which often quotes it.
  email_attempt: { subject: 'case_id', columns: ['recipient', 'failure_reason'] },
  document: { subject: 'case_id', columns: ['title'] },
  legal_event: { subject: 'case_id', columns: ['note'] },
  insolvency_proceeding: { subject: 'debtor_id', columns: ['comment'] },
  case_deadline: { subject: 'case_id', columns: ['note'] },
  // Field laptops (issue 8): a conflict names the debtor and holds both versions of the row.
  sync_conflict: {
    subject: 'case_id',
    columns: ['label', 'columns', 'office_row_json'],
    json: ['columns', 'office_row_json']
  }
}

/** The key a row gives to find its debtor. */
export function subjectKey(table: string, row: Record<string, unknown>): { link: SubjectLink; id: string } | null {
  const spec = PERSONAL_COLUMNS[table]
  if (!spec) return null
  const value = spec.subject === 'self' ? row.id : row[spec.subject]
  if (typeof value !== 'string' || value === '') return null
  return { link: spec.subject, id: value }
}

/** What anonymisation writes in a NOT NULL personal column (nullable ones become NULL). */
export const ERASED_TEXT = '[anonymisé]'

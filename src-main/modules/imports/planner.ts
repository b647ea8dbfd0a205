import type { EntityManager } from 'typeorm'
import type { ImportCounts, ImportPreviewRow, ImportProblem } from '@shared/contract'
import type { CalendarDate } from '@shared/dates/calendar-date'
import { importId } from './ids'
import { identityWords, probablySameName } from '@shared/imports/similarity'
import type { ImportField } from '@shared/imports/mapping'
import { nameSortKey } from '../search/search-text'
import type { ReadRow } from './row-reader'

/**
 * What an import would do with the rows read from a file, against the database as it is:
 * which debtors exist already (same SIREN, or same name and postal code), which open case of
 * this client receives the claims, which invoices were imported before, and which debtors the
 * file names twice under slightly different spellings. The same plan drives the preview and
 * the commit (recomputed inside the commit's transaction).
 */

export interface PlannedClaim {
  id: string
  row: number
  invoiceNumber: string
  issuedOn: CalendarDate
  dueOn: CalendarDate
  amountCents: number
  description: string | null
}

export interface PlannedDebtor {
  id: string
  first: ReadRow
  phones: string[]
  emails: string[]
  address: ReadRow['address']
}

export interface PlannedCase {
  id: string
  debtorId: string
  displayName: string
  debtorProfessional: boolean
  claims: PlannedClaim[]
}

export interface PlannedAddition {
  caseId: string
  reference: string
  debtorProfessional: boolean
  claims: PlannedClaim[]
}

export interface ImportPlan {
  counts: ImportCounts
  /** Sorted by row, then column order. */
  problems: ImportProblem[]
  rows: ImportPreviewRow[]
  debtors: PlannedDebtor[]
  cases: PlannedCase[]
  additions: PlannedAddition[]
}

const CHUNK = 500

function chunks<T>(items: readonly T[]): T[][] {
  const result: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) result.push(items.slice(i, i + CHUNK))
  return result
}

/**
 * Two similar names are one debtor misspelt only if nothing tells them apart: the same street
 * (one address may be longer: "12 av. Foch" / "12 av. Foch, bât. A"), phone or e-mail, or no
 * such detail at all. Namesakes at other addresses of the same town are different people.
 */
function sameWhereabouts(a: ReadRow, b: ReadRow): boolean {
  const streetA = streetKey(a)
  const streetB = streetKey(b)
  if (streetA && streetB && (streetA.startsWith(streetB) || streetB.startsWith(streetA))) return true
  if (a.phone && a.phone === b.phone) return true
  if (a.email && a.email === b.email) return true
  return !streetA && !streetB && !a.phone && !b.phone && !a.email && !b.email
}

/** Folded street of a row, computed once per row (the comparisons above run pair by pair). */
const streetKeys = new WeakMap<ReadRow, string>()
function streetKey(row: ReadRow): string {
  let key = streetKeys.get(row)
  if (key === undefined) {
    key = row.address ? nameSortKey(row.address.line1) : ''
    streetKeys.set(row, key)
  }
  return key
}

function debtorKey(row: ReadRow): string {
  return row.siren ? `s:${row.siren}` : `n:${row.nameKey}|${row.postalCode ?? ''}`
}

interface Group {
  key: string
  rows: ReadRow[]
  existing: { id: string; professional: boolean } | null
}

export async function planImport(
  manager: EntityManager,
  read: ReadRow[],
  context: { clientId: string; columnOf: (field: ImportField) => string | null }
): Promise<ImportPlan> {
  const problems: ImportProblem[] = read.flatMap((row) => row.problems)
  const errorRows = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.row))
  const addError = (row: ReadRow, field: ImportProblem['field'], message: string) => {
    problems.push({ row: row.row, field, column: field ? context.columnOf(field) : null, severity: 'error', message })
    errorRows.add(row.row)
  }

  // Invoices twice in the file, or imported before for this client.
  const firstInvoiceRow = new Map<string, number>()
  for (const row of read) {
    if (row.invoiceNumber === '') continue
    const first = firstInvoiceRow.get(row.invoiceNumber)
    if (first === undefined) firstInvoiceRow.set(row.invoiceNumber, row.row)
    else
      addError(row, 'invoiceNumber', `Facture « ${row.invoiceNumber} » en double dans le fichier (déjà ligne ${first})`)
  }
  const existingInvoices = new Map<string, string>()
  for (const numbers of chunks([...firstInvoiceRow.keys()])) {
    const found: Array<{ invoice_number: string; reference: string }> = await manager.query(
      `SELECT cl.invoice_number, c.reference FROM claim cl JOIN collection_case c ON c.id = cl.case_id
        WHERE cl.client_id = ? AND cl.invoice_number IN (${numbers.map(() => '?').join(', ')})`,
      [context.clientId, ...numbers]
    )
    for (const f of found) existingInvoices.set(f.invoice_number, f.reference)
  }
  for (const row of read) {
    const reference = existingInvoices.get(row.invoiceNumber)
    if (reference) {
      addError(
        row,
        'invoiceNumber',
        `Facture « ${row.invoiceNumber} » déjà importée pour ce client (dossier ${reference})`
      )
    }
  }

  // The same debtor twice in the file under slightly different spellings.
  const firstOfKey = new Map<string, ReadRow>()
  for (const row of read) {
    if (row.displayName === '' || firstOfKey.has(debtorKey(row))) continue
    firstOfKey.set(debtorKey(row), row)
  }
  const suspicious = new Map<string, ReadRow>()
  const buckets = new Map<string, ReadRow[]>()
  for (const row of firstOfKey.values()) {
    const words = identityWords(row.nameKey)
    if (words === '') continue
    for (const block of [words.slice(0, 3), words.slice(-3)]) {
      const bucketKey = `${row.postalCode ?? ''}|${block}`
      const bucket = buckets.get(bucketKey)
      if (bucket) bucket.push(row)
      else buckets.set(bucketKey, [row])
    }
  }
  for (const bucket of buckets.values()) {
    for (let j = 1; j < bucket.length; j++) {
      const later = bucket[j]!
      const laterKey = debtorKey(later)
      if (suspicious.has(laterKey)) continue
      for (let i = 0; i < j; i++) {
        const earlier = bucket[i]!
        if (earlier.siren && later.siren) continue
        if (earlier.row > later.row) continue
        if (
          // The cheap test first: in a large file most similar names live at other addresses.
          sameWhereabouts(earlier, later) &&
          (earlier.nameKey === later.nameKey || probablySameName(earlier.nameKey, later.nameKey))
        ) {
          suspicious.set(laterKey, earlier)
          break
        }
      }
    }
  }
  for (const row of read) {
    const earlier = suspicious.get(debtorKey(row))
    if (!earlier || earlier.row === row.row) continue
    addError(
      row,
      row.legalName ? 'legalName' : 'lastName',
      `Même débiteur que ligne ${earlier.row} sous une autre orthographe ? « ${row.displayName} » / « ${earlier.displayName} » : harmonisez le nom${earlier.siren || row.siren ? ' ou le SIREN' : ''}`
    )
  }

  // Valid rows, grouped by debtor; matched against existing debtors.
  const valid = read.filter((row) => !errorRows.has(row.row))
  const groups = new Map<string, Group>()
  for (const row of valid) {
    const key = debtorKey(row)
    const group = groups.get(key)
    if (group) group.rows.push(row)
    else groups.set(key, { key, rows: [row], existing: null })
  }
  const bySiren = [...groups.values()].filter((g) => g.rows[0]!.siren)
  for (const part of chunks(bySiren)) {
    const found: Array<{ id: string; siren: string; acts_professionally: number }> = await manager.query(
      `SELECT id, siren, acts_professionally FROM debtor WHERE siren IN (${part.map(() => '?').join(', ')}) ORDER BY created_at`,
      part.map((g) => g.rows[0]!.siren)
    )
    const first = new Map<string, { id: string; professional: boolean }>()
    for (const f of found)
      if (!first.has(f.siren)) first.set(f.siren, { id: f.id, professional: !!f.acts_professionally })
    for (const g of part) g.existing = first.get(g.rows[0]!.siren!) ?? null
  }
  const byName = [...groups.values()].filter((g) => !g.rows[0]!.siren)
  const nameKeys = [...new Set(byName.map((g) => g.rows[0]!.nameKey))]
  const candidates = new Map<string, Array<{ id: string; postal: string; professional: boolean }>>()
  for (const part of chunks(nameKeys)) {
    // Debtors are found through their cases' sort key (indexed): the name as the index folds it.
    const found: Array<{ debtor_id: string; name: string; postal: string | null; acts_professionally: number }> =
      await manager.query(
        `SELECT DISTINCT c.debtor_id, c.debtor_sort_name AS name, a.postal_code AS postal, d.acts_professionally
          FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
          LEFT JOIN debtor_address a ON a.debtor_id = c.debtor_id AND a.valid_to IS NULL
          WHERE c.debtor_sort_name IN (${part.map(() => '?').join(', ')}) AND d.siren IS NULL
          ORDER BY d.created_at`,
        part
      )
    for (const f of found) {
      const list = candidates.get(f.name) ?? []
      list.push({ id: f.debtor_id, postal: f.postal ?? '', professional: !!f.acts_professionally })
      candidates.set(f.name, list)
    }
  }
  for (const g of byName) {
    const first = g.rows[0]!
    const match = candidates.get(first.nameKey)?.find((c) => c.postal === (first.postalCode ?? ''))
    if (match) g.existing = { id: match.id, professional: match.professional }
  }

  // Open cases of this client for the matched debtors (the most recently opened one).
  const matchedIds = [...new Set([...groups.values()].flatMap((g) => (g.existing ? [g.existing.id] : [])))]
  const openCase = new Map<string, { id: string; reference: string }>()
  for (const part of chunks(matchedIds)) {
    const found: Array<{ id: string; reference: string; debtor_id: string }> = await manager.query(
      `SELECT id, reference, debtor_id FROM collection_case
        WHERE client_id = ? AND status = 'open' AND debtor_id IN (${part.map(() => '?').join(', ')})
        ORDER BY opened_on DESC, reference DESC`,
      [context.clientId, ...part]
    )
    for (const f of found) if (!openCase.has(f.debtor_id)) openCase.set(f.debtor_id, f)
  }

  // The plan, row by row.
  const rowsByNumber = new Map<number, ImportPreviewRow>()
  const debtors: PlannedDebtor[] = []
  const cases: PlannedCase[] = []
  const additions = new Map<string, PlannedAddition>()
  const newCaseOfDebtor = new Map<string, { planned: PlannedCase; firstRow: number }>()
  const matchedFirstRow = new Map<string, number>()
  let newDebtors = 0
  let totalCents = 0
  for (const group of groups.values()) {
    const first = group.rows[0]!
    let debtorId: string
    let professional: boolean
    if (group.existing) {
      debtorId = group.existing.id
      professional = group.existing.professional
      if (!matchedFirstRow.has(debtorId)) matchedFirstRow.set(debtorId, first.row)
    } else {
      debtorId = importId()
      professional = first.kind === 'company'
      newDebtors++
      debtors.push({
        id: debtorId,
        first,
        phones: [...new Set(group.rows.flatMap((r) => (r.phone ? [r.phone] : [])))].slice(0, 3),
        emails: [...new Set(group.rows.flatMap((r) => (r.email ? [r.email] : [])))].slice(0, 3),
        address: group.rows.find((r) => r.address)?.address ?? null
      })
    }
    const open = group.existing ? openCase.get(debtorId) : undefined
    group.rows.forEach((row, index) => {
      const claim: PlannedClaim = {
        id: importId(),
        row: row.row,
        invoiceNumber: row.invoiceNumber,
        issuedOn: row.issuedOn!,
        dueOn: row.dueOn!,
        amountCents: row.amountCents!,
        description: row.description
      }
      totalCents += claim.amountCents
      const preview: ImportPreviewRow = {
        row: row.row,
        debtorName: row.displayName,
        invoiceNumber: row.invoiceNumber,
        amountCents: row.amountCents,
        dueOn: row.dueOn,
        debtorAction: group.existing ? 'match' : index === 0 ? 'create' : 'repeat',
        debtorFirstRow: group.existing || index === 0 ? null : first.row,
        caseAction: null,
        caseFirstRow: null,
        caseReference: null,
        severity: row.problems.length > 0 ? 'warning' : null
      }
      if (open) {
        const addition = additions.get(open.id) ?? {
          caseId: open.id,
          reference: open.reference,
          debtorProfessional: professional,
          claims: []
        }
        addition.claims.push(claim)
        additions.set(open.id, addition)
        preview.caseAction = 'add'
        preview.caseReference = open.reference
      } else {
        const known = newCaseOfDebtor.get(debtorId)
        if (known) {
          known.planned.claims.push(claim)
          preview.caseAction = 'repeat'
          preview.caseFirstRow = known.firstRow
        } else {
          const planned: PlannedCase = {
            id: importId(),
            debtorId,
            displayName: first.displayName,
            debtorProfessional: professional,
            claims: [claim]
          }
          cases.push(planned)
          newCaseOfDebtor.set(debtorId, { planned, firstRow: row.row })
          preview.caseAction = 'create'
        }
      }
      rowsByNumber.set(row.row, preview)
    })
  }
  for (const row of read) {
    if (!errorRows.has(row.row)) continue
    rowsByNumber.set(row.row, {
      row: row.row,
      debtorName: row.displayName,
      invoiceNumber: row.invoiceNumber,
      amountCents: row.amountCents,
      dueOn: row.dueOn,
      debtorAction: null,
      debtorFirstRow: null,
      caseAction: null,
      caseFirstRow: null,
      caseReference: null,
      severity: 'error'
    })
  }
  const rows = [...rowsByNumber.values()].sort((a, b) => a.row - b.row)
  problems.sort((a, b) => a.row - b.row || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
  const warningRows = new Set(
    problems.filter((p) => p.severity === 'warning' && !errorRows.has(p.row)).map((p) => p.row)
  )
  return {
    counts: {
      rows: read.length,
      importedRows: valid.length,
      errorRows: errorRows.size,
      warningRows: warningRows.size,
      newDebtors,
      matchedDebtors: matchedFirstRow.size,
      newCases: cases.length,
      casesAddedTo: additions.size,
      claims: valid.length,
      totalCents
    },
    problems,
    rows,
    debtors,
    cases,
    additions: [...additions.values()]
  }
}

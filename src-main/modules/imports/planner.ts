import type { EntityManager } from 'typeorm'
import type { ImportCounts, ImportPreviewRow, ImportProblem } from '@shared/contract'
import { identityWords, probablySameName } from '@shared/imports/similarity'
import type { ImportField } from '@shared/imports/mapping'
import { nameSortKey } from '../search/search-text'
import type { FileRow } from './file-reader'
import type { ReadRow, RowReader } from './row-reader'
import type { StageDb } from './staging'

/**
 * What an import would do with the rows of a file, against the database as it is: which
 * debtors exist already (same SIREN, or same name and postal code), which open case of this
 * client receives the claims, which invoices were imported before, which debtors the file
 * names twice under slightly different spellings, which new phones and e-mails the file gives
 * debtors already known.
 *
 * Everything lives in the import's staging database (see staging.ts), never in memory: the
 * rows read, their problems, the debtor groups and the cases to open. The analysis is SQL
 * over the staging tables; the agency's database is asked in chunks of keys. The same plan
 * drives the preview (paged), the error report and the commit (recomputed inside the
 * commit's transaction when anything was written since).
 */

const CHUNK = 500
const PAGE = 2_000
/** New phones or e-mails an import gives one debtor at most (as many as a new debtor gets). */
export const MAX_CONTACTS_PER_KIND = 3

const ROW_COLUMNS = [
  'row',
  'kind',
  'civility',
  'first_name',
  'last_name',
  'legal_name',
  'display_name',
  'name_key',
  'siren',
  'siret',
  'line1',
  'line2',
  'addr_postal',
  'addr_city',
  'postal_code',
  'phone',
  'email',
  'invoice',
  'issued_on',
  'due_on',
  'amount_cents',
  'description',
  'debtor_key',
  'street_key',
  'problems',
  'reader_error',
  'error'
] as const

const PROBLEM_COLUMNS = ['row', 'rank', 'phase', 'seq', 'field', 'col', 'severity', 'message'] as const

/** Tables of the rows read: kept while the mapping stays the same. */
const ROWS_SCHEMA = `
  CREATE TABLE row (
    row INTEGER PRIMARY KEY, kind TEXT NOT NULL, civility TEXT, first_name TEXT, last_name TEXT, legal_name TEXT,
    display_name TEXT NOT NULL, name_key TEXT NOT NULL, siren TEXT, siret TEXT,
    line1 TEXT, line2 TEXT, addr_postal TEXT, addr_city TEXT, postal_code TEXT, phone TEXT, email TEXT,
    invoice TEXT NOT NULL, issued_on TEXT, due_on TEXT, amount_cents INTEGER, description TEXT,
    debtor_key TEXT NOT NULL, street_key TEXT NOT NULL,
    problems INTEGER NOT NULL, reader_error INTEGER NOT NULL, error INTEGER NOT NULL
  );
  CREATE TABLE problem (
    row INTEGER NOT NULL, rank INTEGER NOT NULL, phase INTEGER NOT NULL, seq INTEGER NOT NULL,
    field TEXT, col TEXT, severity TEXT NOT NULL, message TEXT NOT NULL
  );
`
/** Indexes built once the rows are in (faster than kept up to date row by row). */
const ROWS_INDEXES = `
  CREATE INDEX problem_order ON problem (row, rank, phase, seq);
  CREATE INDEX row_invoice ON row (invoice, row);
  CREATE INDEX row_debtor ON row (debtor_key, row);
  CREATE INDEX row_name ON row (name_key) WHERE siren IS NULL;
`

/** Tables of one plan: dropped and rebuilt by each planning. */
const PLAN_TABLES = [
  'existing_invoice',
  'bucket_entry',
  'bucket',
  'suspicious',
  'grp',
  'siren_match',
  'name_candidate',
  'open_case',
  'new_case',
  'new_contact',
  'known_contact',
  'new_id'
]
const PLAN_SCHEMA = `
  CREATE TABLE existing_invoice (invoice TEXT PRIMARY KEY, reference TEXT NOT NULL);
  CREATE TABLE bucket_entry (ord INTEGER PRIMARY KEY, bucket TEXT NOT NULL, row INTEGER NOT NULL);
  CREATE TABLE bucket (bucket TEXT PRIMARY KEY, first INTEGER NOT NULL);
  CREATE TABLE suspicious (debtor_key TEXT PRIMARY KEY, earlier_row INTEGER NOT NULL, earlier_name TEXT NOT NULL, earlier_siren TEXT);
  CREATE TABLE grp (
    key TEXT PRIMARY KEY, first_row INTEGER NOT NULL UNIQUE, existing_id TEXT, professional INTEGER,
    open_case_id TEXT, open_case_ref TEXT, new_id TEXT
  );
  CREATE TABLE siren_match (key TEXT PRIMARY KEY, id TEXT NOT NULL, professional INTEGER NOT NULL);
  CREATE TABLE name_candidate (ord INTEGER PRIMARY KEY, name TEXT NOT NULL, postal TEXT NOT NULL, id TEXT NOT NULL, professional INTEGER NOT NULL);
  CREATE INDEX name_candidate_name ON name_candidate (name, postal, ord);
  CREATE TABLE open_case (debtor_id TEXT PRIMARY KEY, id TEXT NOT NULL, reference TEXT NOT NULL);
  CREATE TABLE new_case (
    debtor_ref TEXT PRIMARY KEY, first_row INTEGER NOT NULL UNIQUE, claims INTEGER NOT NULL, principal INTEGER NOT NULL,
    oldest_due TEXT NOT NULL, new_id TEXT
  );
  CREATE TABLE new_contact (
    debtor_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, first_row INTEGER NOT NULL,
    PRIMARY KEY (debtor_id, kind, value)
  );
  CREATE INDEX new_contact_row ON new_contact (first_row);
  CREATE TABLE known_contact (debtor_id TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (debtor_id, kind, value));
  CREATE TABLE new_id (key TEXT PRIMARY KEY, id TEXT NOT NULL);
`

export interface StagedRow {
  row: number
  kind: 'company' | 'individual'
  civility: string | null
  first_name: string | null
  last_name: string | null
  legal_name: string | null
  display_name: string
  name_key: string
  siren: string | null
  siret: string | null
  line1: string | null
  line2: string | null
  addr_postal: string | null
  addr_city: string | null
  postal_code: string | null
  phone: string | null
  email: string | null
  invoice: string
  issued_on: string | null
  due_on: string | null
  amount_cents: number | null
  description: string | null
  debtor_key: string
  street_key: string
}

function debtorKey(row: ReadRow): string {
  return row.siren ? `s:${row.siren}` : `n:${row.nameKey}|${row.postalCode ?? ''}`
}

/** The file's rows, read with `reader`, into a fresh staging database. Returns the row count. */
export async function stageRows(
  stage: StageDb,
  rows: AsyncIterable<FileRow>,
  reader: RowReader,
  onRow?: (row: FileRow) => void
): Promise<number> {
  await stage.exec(ROWS_SCHEMA)
  let count = 0
  let values: unknown[][] = []
  let problems: unknown[][] = []
  const flush = async () => {
    await stage.insert('row', ROW_COLUMNS, values)
    await stage.insert('problem', PROBLEM_COLUMNS, problems)
    values = []
    problems = []
  }
  for await (const fileRow of rows) {
    onRow?.(fileRow)
    const read = reader.read(fileRow)
    count++
    const readerError = read.problems.some((p) => p.severity === 'error') ? 1 : 0
    values.push([
      read.row,
      read.kind,
      read.civility,
      read.firstName,
      read.lastName,
      read.legalName,
      read.displayName,
      read.nameKey,
      read.siren,
      read.siret,
      read.address?.line1 ?? null,
      read.address?.line2 ?? null,
      read.address?.postalCode ?? null,
      read.address?.city ?? null,
      read.postalCode,
      read.phone,
      read.email,
      read.invoiceNumber,
      read.issuedOn,
      read.dueOn,
      read.amountCents,
      read.description,
      debtorKey(read),
      read.address ? nameSortKey(read.address.line1) : '',
      read.problems.length,
      readerError,
      readerError
    ])
    read.problems.forEach((p, seq) =>
      problems.push([p.row, p.severity === 'error' ? 0 : 1, 0, seq, p.field, p.column, p.severity, p.message])
    )
    if (values.length >= PAGE) await flush()
  }
  await flush()
  await stage.exec(ROWS_INDEXES)
  return count
}

/** A staged row as the reader gave it (problems aside): for tests and the first row of a debtor. */
export function readRowOf(r: StagedRow): ReadRow {
  return {
    row: r.row,
    kind: r.kind,
    civility: r.civility,
    firstName: r.first_name,
    lastName: r.last_name,
    legalName: r.legal_name,
    displayName: r.display_name,
    nameKey: r.name_key,
    siren: r.siren,
    siret: r.siret,
    address:
      r.line1 != null
        ? { line1: r.line1, line2: r.line2, postalCode: r.addr_postal ?? '', city: r.addr_city ?? '' }
        : null,
    postalCode: r.postal_code,
    phone: r.phone,
    email: r.email,
    invoiceNumber: r.invoice,
    issuedOn: r.issued_on,
    dueOn: r.due_on,
    amountCents: r.amount_cents,
    description: r.description,
    problems: []
  }
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/**
 * Plans the import of the staged rows against the agency's database (read through `manager`):
 * problems of the whole file, debtor groups, matches, cases to open or complete, contacts to
 * add. Returns the counts; the rest stays in the staging tables.
 */
export async function planImport(
  manager: EntityManager,
  stage: StageDb,
  context: { clientId: string; columnOf: (field: ImportField) => string | null }
): Promise<ImportCounts> {
  await stage.exec(
    `DELETE FROM problem WHERE phase > 0; UPDATE row SET error = reader_error;
     ${PLAN_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join(' ')}
     ${PLAN_SCHEMA}`
  )

  // Invoices twice in the file, or imported before for this client.
  await stage.run(
    `INSERT INTO problem (${PROBLEM_COLUMNS.join(', ')})
      SELECT r.row, 0, 1, 0, 'invoiceNumber', ?, 'error',
        'Facture « ' || r.invoice || ' » en double dans le fichier (déjà ligne ' || f.first || ')'
      FROM row r JOIN (SELECT invoice, MIN(row) AS first FROM row WHERE invoice <> '' GROUP BY invoice) f
        ON f.invoice = r.invoice AND r.row > f.first`,
    [context.columnOf('invoiceNumber')]
  )
  for await (const page of stage.pages<{ invoice: string }>(
    `SELECT DISTINCT invoice FROM row WHERE invoice > ? ORDER BY invoice LIMIT ${CHUNK}`,
    '',
    (r) => r.invoice
  )) {
    const found: Array<{ invoice_number: string; reference: string }> = await manager.query(
      `SELECT cl.invoice_number, c.reference FROM claim cl JOIN collection_case c ON c.id = cl.case_id
        WHERE cl.client_id = ? AND cl.invoice_number IN (${placeholders(page.length)})`,
      [context.clientId, ...page.map((r) => r.invoice)]
    )
    await stage.insert(
      'existing_invoice',
      ['invoice', 'reference'],
      found.map((f) => [f.invoice_number, f.reference])
    )
  }
  await stage.run(
    `INSERT INTO problem (${PROBLEM_COLUMNS.join(', ')})
      SELECT r.row, 0, 2, 0, 'invoiceNumber', ?, 'error',
        'Facture « ' || r.invoice || ' » déjà importée pour ce client (dossier ' || e.reference || ')'
      FROM row r JOIN existing_invoice e ON e.invoice = r.invoice`,
    [context.columnOf('invoiceNumber')]
  )

  await findNearDuplicates(stage, context.columnOf)
  await stage.run(`UPDATE row SET error = 1 WHERE error = 0 AND row IN (SELECT row FROM problem WHERE phase > 0)`)

  // Valid rows, grouped by debtor; matched against existing debtors.
  await stage.run(
    `INSERT INTO grp (key, first_row) SELECT debtor_key, MIN(row) FROM row WHERE error = 0 GROUP BY debtor_key`
  )
  for await (const page of stage.pages<{ key: string; siren: string }>(
    `SELECT g.key, r.siren FROM grp g JOIN row r ON r.row = g.first_row
      WHERE g.key > ? AND g.key LIKE 's:%' ORDER BY g.key LIMIT ${CHUNK}`,
    '',
    (r) => r.key
  )) {
    const found: Array<{ id: string; siren: string; acts_professionally: number }> = await manager.query(
      `SELECT id, siren, acts_professionally FROM debtor WHERE siren IN (${placeholders(page.length)}) ORDER BY created_at`,
      page.map((g) => g.siren)
    )
    const first = new Map<string, { id: string; professional: number }>()
    for (const f of found)
      if (!first.has(f.siren)) first.set(f.siren, { id: f.id, professional: f.acts_professionally ? 1 : 0 })
    await stage.insert(
      'siren_match',
      ['key', 'id', 'professional'],
      page.flatMap((g) => {
        const match = first.get(g.siren)
        return match ? [[g.key, match.id, match.professional]] : []
      })
    )
  }
  await stage.run(
    `UPDATE grp SET existing_id = m.id, professional = m.professional FROM siren_match m WHERE m.key = grp.key`
  )
  for await (const page of stage.pages<{ name_key: string }>(
    `SELECT DISTINCT name_key FROM row WHERE siren IS NULL AND error = 0 AND name_key > ? ORDER BY name_key LIMIT ${CHUNK}`,
    '',
    (r) => r.name_key
  )) {
    // Debtors are found through their cases' sort key (indexed): the name as the index folds it.
    const found: Array<{ debtor_id: string; name: string; postal: string | null; acts_professionally: number }> =
      await manager.query(
        `SELECT DISTINCT c.debtor_id, c.debtor_sort_name AS name, a.postal_code AS postal, d.acts_professionally, d.created_at
          FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
          LEFT JOIN debtor_address a ON a.debtor_id = c.debtor_id AND a.valid_to IS NULL
          WHERE c.debtor_sort_name IN (${placeholders(page.length)}) AND d.siren IS NULL
          ORDER BY d.created_at`,
        page.map((r) => r.name_key)
      )
    await stage.insert(
      'name_candidate',
      ['name', 'postal', 'id', 'professional'],
      found.map((f) => [f.name, f.postal ?? '', f.debtor_id, f.acts_professionally ? 1 : 0])
    )
  }
  await stage.run(
    `UPDATE grp SET (existing_id, professional) = (
        SELECT c.id, c.professional FROM name_candidate c JOIN row r ON r.row = grp.first_row
        WHERE c.name = r.name_key AND c.postal = coalesce(r.postal_code, '') ORDER BY c.ord LIMIT 1)
      WHERE key LIKE 'n:%'`
  )
  await stage.run(
    `UPDATE grp SET professional = (SELECT r.kind = 'company' FROM row r WHERE r.row = grp.first_row)
      WHERE existing_id IS NULL`
  )

  // Open cases of this client for the matched debtors (the most recently opened one).
  for await (const page of stage.pages<{ id: string }>(
    `SELECT DISTINCT existing_id AS id FROM grp WHERE existing_id > ? ORDER BY existing_id LIMIT ${CHUNK}`,
    '',
    (r) => r.id
  )) {
    const found: Array<{ id: string; reference: string; debtor_id: string }> = await manager.query(
      `SELECT id, reference, debtor_id FROM collection_case
        WHERE client_id = ? AND status = 'open' AND debtor_id IN (${placeholders(page.length)})
        ORDER BY opened_on DESC, reference DESC`,
      [context.clientId, ...page.map((r) => r.id)]
    )
    const first = new Map<string, (typeof found)[number]>()
    for (const f of found) if (!first.has(f.debtor_id)) first.set(f.debtor_id, f)
    await stage.insert(
      'open_case',
      ['debtor_id', 'id', 'reference'],
      [...first.values()].map((f) => [f.debtor_id, f.id, f.reference])
    )
  }
  await stage.run(
    `UPDATE grp SET open_case_id = o.id, open_case_ref = o.reference FROM open_case o WHERE o.debtor_id = grp.existing_id`
  )
  // One new case per debtor without an open case (two spellings of a known debtor share it).
  await stage.run(
    `INSERT INTO new_case (debtor_ref, first_row, claims, principal, oldest_due)
      SELECT coalesce(g.existing_id, 'new:' || g.key), MIN(r.row), COUNT(*), SUM(r.amount_cents), MIN(r.due_on)
      FROM row r JOIN grp g ON g.key = r.debtor_key WHERE r.error = 0 AND g.open_case_id IS NULL
      GROUP BY coalesce(g.existing_id, 'new:' || g.key)`
  )

  await planNewContacts(manager, stage)
  return planCounts(stage)
}

/**
 * The same debtor twice in the file under slightly different spellings. Candidates share a
 * postal code and the beginning or end of their identity words (buckets); a bucket is compared
 * pair by pair, one bucket at a time, in the order the file first fills them.
 */
async function findNearDuplicates(stage: StageDb, columnOf: (field: ImportField) => string | null): Promise<void> {
  let ord = 0
  for await (const page of stage.pages<{ row: number; name_key: string; postal_code: string | null }>(
    `SELECT r.row, r.name_key, r.postal_code FROM row r
      WHERE r.row > ? AND r.display_name <> ''
        AND NOT EXISTS (SELECT 1 FROM row x WHERE x.debtor_key = r.debtor_key AND x.display_name <> '' AND x.row < r.row)
      ORDER BY r.row LIMIT ${PAGE}`,
    0,
    (r) => r.row
  )) {
    const entries: unknown[][] = []
    for (const r of page) {
      const words = identityWords(r.name_key)
      if (words === '') continue
      // Once per bucket: "monique simon" begins and ends with "mon".
      for (const block of new Set([words.slice(0, 3), words.slice(-3)]))
        entries.push([ord++, `${r.postal_code ?? ''}|${block}`, r.row])
    }
    await stage.insert('bucket_entry', ['ord', 'bucket', 'row'], entries)
  }
  await stage.exec(`
    CREATE INDEX bucket_entry_bucket ON bucket_entry (bucket, ord);
    INSERT INTO bucket SELECT bucket, MIN(ord) FROM bucket_entry GROUP BY bucket HAVING COUNT(*) > 1;
    CREATE INDEX bucket_first ON bucket (first);
  `)

  interface Entry {
    bucket: string
    row: number
    debtor_key: string
    siren: string | null
    name_key: string
    street_key: string
    phone: string | null
    email: string | null
    display_name: string
  }
  const sameWhereabouts = (a: Entry, b: Entry): boolean => {
    const streetA = a.street_key
    const streetB = b.street_key
    if (streetA && streetB && (streetA.startsWith(streetB) || streetB.startsWith(streetA))) return true
    if (a.phone && a.phone === b.phone) return true
    if (a.email && a.email === b.email) return true
    return !streetA && !streetB && !a.phone && !b.phone && !a.email && !b.email
  }
  const suspicious = new Set<string>()
  for await (const buckets of stage.pages<{ bucket: string; first: number }>(
    `SELECT bucket, first FROM bucket WHERE first > ? ORDER BY first LIMIT ${CHUNK}`,
    -1,
    (b) => b.first
  )) {
    const entries = await stage.all<Entry>(
      `SELECT e.bucket, r.row, r.debtor_key, r.siren, r.name_key, r.street_key, r.phone, r.email, r.display_name
        FROM bucket_entry e JOIN row r ON r.row = e.row
        WHERE e.bucket IN (${placeholders(buckets.length)}) ORDER BY e.bucket, e.ord`,
      buckets.map((b) => b.bucket)
    )
    const byBucket = new Map<string, Entry[]>()
    for (const entry of entries) {
      const list = byBucket.get(entry.bucket)
      if (list) list.push(entry)
      else byBucket.set(entry.bucket, [entry])
    }
    const found: unknown[][] = []
    for (const { bucket: key } of buckets) {
      const bucket = byBucket.get(key) ?? []
      for (let j = 1; j < bucket.length; j++) {
        const later = bucket[j]!
        if (suspicious.has(later.debtor_key)) continue
        for (let i = 0; i < j; i++) {
          const earlier = bucket[i]!
          if (earlier.debtor_key === later.debtor_key) continue
          if (earlier.siren && later.siren) continue
          if (earlier.row > later.row) continue
          if (
            // The cheap test first: in a large file most similar names live at other addresses.
            sameWhereabouts(earlier, later) &&
            (earlier.name_key === later.name_key || probablySameName(earlier.name_key, later.name_key))
          ) {
            suspicious.add(later.debtor_key)
            found.push([later.debtor_key, earlier.row, earlier.display_name, earlier.siren])
            break
          }
        }
      }
    }
    await stage.insert('suspicious', ['debtor_key', 'earlier_row', 'earlier_name', 'earlier_siren'], found)
  }
  await stage.run(
    `INSERT INTO problem (${PROBLEM_COLUMNS.join(', ')})
      SELECT r.row, 0, 3, 0,
        CASE WHEN r.legal_name IS NOT NULL THEN 'legalName' ELSE 'lastName' END,
        CASE WHEN r.legal_name IS NOT NULL THEN ? ELSE ? END, 'error',
        'Même débiteur que ligne ' || s.earlier_row || ' sous une autre orthographe ? « ' || r.display_name || ' » / « '
          || s.earlier_name || ' » : harmonisez le nom'
          || CASE WHEN s.earlier_siren IS NOT NULL OR r.siren IS NOT NULL THEN ' ou le SIREN' ELSE '' END
      FROM row r JOIN suspicious s ON s.debtor_key = r.debtor_key WHERE r.row <> s.earlier_row`,
    [columnOf('legalName'), columnOf('lastName')]
  )
}

/**
 * Phones and e-mails of the file that debtors already known do not have yet: added as new
 * contact rows (never replacing one), at most MAX_CONTACTS_PER_KIND per debtor and kind, in
 * the order of the file. A number or address the debtor has in any status (even marked wrong)
 * is not added again.
 */
async function planNewContacts(manager: EntityManager, stage: StageDb): Promise<void> {
  await stage.exec(`
    INSERT INTO new_contact (debtor_id, kind, value, first_row)
      SELECT g.existing_id, 'phone', r.phone, MIN(r.row) FROM row r JOIN grp g ON g.key = r.debtor_key
      WHERE r.error = 0 AND g.existing_id IS NOT NULL AND r.phone IS NOT NULL GROUP BY g.existing_id, r.phone;
    INSERT INTO new_contact (debtor_id, kind, value, first_row)
      SELECT g.existing_id, 'email', r.email, MIN(r.row) FROM row r JOIN grp g ON g.key = r.debtor_key
      WHERE r.error = 0 AND g.existing_id IS NOT NULL AND r.email IS NOT NULL GROUP BY g.existing_id, r.email;
  `)
  for await (const page of stage.pages<{ id: string }>(
    `SELECT DISTINCT debtor_id AS id FROM new_contact WHERE debtor_id > ? ORDER BY debtor_id LIMIT ${CHUNK}`,
    '',
    (r) => r.id
  )) {
    const ids = page.map((r) => r.id)
    const known: Array<{ debtor_id: string; kind: string; value: string }> = await manager.query(
      `SELECT debtor_id, 'phone' AS kind, number AS value FROM debtor_phone WHERE debtor_id IN (${placeholders(ids.length)})
        UNION SELECT debtor_id, 'email', lower(address) FROM debtor_email WHERE debtor_id IN (${placeholders(ids.length)})`,
      [...ids, ...ids]
    )
    await stage.insert(
      'known_contact',
      ['debtor_id', 'kind', 'value'],
      known.map((k) => [k.debtor_id, k.kind, k.value])
    )
  }
  await stage.exec(`
    DELETE FROM new_contact WHERE EXISTS (SELECT 1 FROM known_contact k
      WHERE k.debtor_id = new_contact.debtor_id AND k.kind = new_contact.kind AND k.value = lower(new_contact.value));
    DELETE FROM new_contact WHERE (SELECT COUNT(*) FROM new_contact x WHERE x.debtor_id = new_contact.debtor_id
      AND x.kind = new_contact.kind AND x.first_row < new_contact.first_row) >= ${MAX_CONTACTS_PER_KIND};
  `)
}

async function planCounts(stage: StageDb): Promise<ImportCounts> {
  const c = (await stage.get<Record<string, number | null>>(`
    SELECT
      (SELECT COUNT(*) FROM row) AS rows,
      (SELECT COUNT(*) FROM row WHERE error = 0) AS imported,
      (SELECT COUNT(*) FROM row WHERE error = 1) AS errors,
      (SELECT COUNT(*) FROM row WHERE error = 0 AND problems > 0) AS warnings,
      (SELECT COUNT(*) FROM grp WHERE existing_id IS NULL) AS new_debtors,
      (SELECT COUNT(DISTINCT existing_id) FROM grp) AS matched,
      (SELECT COUNT(*) FROM new_case) AS new_cases,
      (SELECT COUNT(DISTINCT open_case_id) FROM grp) AS added_to,
      (SELECT SUM(amount_cents) FROM row WHERE error = 0) AS total,
      (SELECT COUNT(*) FROM new_contact WHERE kind = 'phone') AS phones,
      (SELECT COUNT(*) FROM new_contact WHERE kind = 'email') AS emails
  `))!
  const n = (key: string) => Number(c[key] ?? 0)
  return {
    rows: n('rows'),
    importedRows: n('imported'),
    errorRows: n('errors'),
    warningRows: n('warnings'),
    newDebtors: n('new_debtors'),
    matchedDebtors: n('matched'),
    newCases: n('new_cases'),
    casesAddedTo: n('added_to'),
    claims: n('imported'),
    totalCents: n('total'),
    newPhones: n('phones'),
    newEmails: n('emails')
  }
}

/** Problems of the plan, sorted by row (errors first within a row), a page at a time. */
export async function planProblems(stage: StageDb, offset: number, limit: number): Promise<ImportProblem[]> {
  const rows = await stage.all<{
    row: number
    field: ImportField | null
    col: string | null
    severity: 'error' | 'warning'
    message: string
  }>(`SELECT row, field, col, severity, message FROM problem ORDER BY row, rank, phase, seq LIMIT ? OFFSET ?`, [
    limit,
    offset
  ])
  return rows.map((r) => ({ row: r.row, field: r.field, column: r.col, severity: r.severity, message: r.message }))
}

/** Every problem of the plan in row order, a page at a time (error report, CLI). */
export async function* allProblems(stage: StageDb): AsyncGenerator<ImportProblem[]> {
  for (let offset = 0; ; offset += PAGE) {
    const page = await planProblems(stage, offset, PAGE)
    if (page.length === 0) return
    yield page
  }
}

/** Every problem of these rows, in order. */
export async function problemsOfRows(stage: StageDb, rows: readonly number[]): Promise<ImportProblem[]> {
  if (rows.length === 0) return []
  const found = await stage.all<{
    row: number
    field: ImportField | null
    col: string | null
    severity: 'error' | 'warning'
    message: string
  }>(
    `SELECT row, field, col, severity, message FROM problem WHERE row IN (${placeholders(rows.length)})
      ORDER BY row, rank, phase, seq`,
    rows
  )
  return found.map((r) => ({ row: r.row, field: r.field, column: r.col, severity: r.severity, message: r.message }))
}

export async function problemCount(stage: StageDb): Promise<number> {
  return Number((await stage.get<{ n: number }>('SELECT COUNT(*) AS n FROM problem'))!.n)
}

/** The preview, row by row (all rows, or only those with a problem), a page at a time. */
export async function planRows(
  stage: StageDb,
  offset: number,
  limit: number,
  onlyProblems: boolean
): Promise<{ rows: ImportPreviewRow[]; total: number }> {
  const filter = onlyProblems ? 'WHERE r.error = 1 OR r.problems > 0' : ''
  const found = await stage.all<{
    row: number
    display_name: string
    invoice: string
    amount_cents: number | null
    due_on: string | null
    error: number
    problems: number
    group_first: number | null
    existing_id: string | null
    open_case_ref: string | null
    case_first: number | null
    contacts: string | null
  }>(
    `SELECT r.row, r.display_name, r.invoice, r.amount_cents, r.due_on, r.error, r.problems,
        g.first_row AS group_first, g.existing_id, g.open_case_ref, nc.first_row AS case_first,
        (SELECT group_concat(c.value, char(10)) FROM new_contact c WHERE c.first_row = r.row) AS contacts
      FROM row r
      LEFT JOIN grp g ON r.error = 0 AND g.key = r.debtor_key
      LEFT JOIN new_case nc ON g.open_case_id IS NULL AND nc.debtor_ref = coalesce(g.existing_id, 'new:' || g.key)
      ${filter} ORDER BY r.row LIMIT ? OFFSET ?`,
    [limit, offset]
  )
  const total = Number((await stage.get<{ n: number }>(`SELECT COUNT(*) AS n FROM row r ${filter}`))!.n)
  const rows = found.map((r): ImportPreviewRow => {
    const base = {
      row: r.row,
      debtorName: r.display_name,
      invoiceNumber: r.invoice,
      amountCents: r.amount_cents,
      dueOn: r.due_on,
      newContacts: r.contacts ? r.contacts.split('\n') : []
    }
    if (r.error || r.group_first === null) {
      return {
        ...base,
        debtorAction: null,
        debtorFirstRow: null,
        caseAction: null,
        caseFirstRow: null,
        caseReference: null,
        severity: 'error'
      }
    }
    const matched = r.existing_id !== null
    const createsDebtor = !matched && r.row === r.group_first
    const add = r.open_case_ref !== null
    return {
      ...base,
      debtorAction: matched ? 'match' : createsDebtor ? 'create' : 'repeat',
      debtorFirstRow: matched || createsDebtor ? null : r.group_first,
      caseAction: add ? 'add' : r.row === r.case_first ? 'create' : 'repeat',
      caseFirstRow: add || r.row === r.case_first ? null : r.case_first,
      caseReference: add ? r.open_case_ref : null,
      severity: r.problems > 0 ? 'warning' : null
    }
  })
  return { rows, total }
}

/** A new debtor of the plan: its first row, its phones and e-mails (at most 3 each), its address. */
export interface PlannedDebtor {
  key: string
  first: ReadRow
  professional: boolean
  phones: string[]
  emails: string[]
  address: ReadRow['address']
}

/** The plan's new debtors in the order of the file, a page at a time. */
export async function* plannedDebtors(stage: StageDb): AsyncGenerator<PlannedDebtor[]> {
  // Only the columns used: sqlite3 builds a JS value per column and row, the bulk of the cost.
  for await (const page of stage.pages<StagedRow & { key: string; professional: number }>(
    `SELECT g.key, g.professional, r.row, r.kind, r.civility, r.first_name, r.last_name, r.legal_name,
        r.display_name, r.name_key, r.siren, r.siret, r.issued_on, r.due_on, r.description
      FROM grp g JOIN row r ON r.row = g.first_row
      WHERE g.first_row > ? AND g.existing_id IS NULL ORDER BY g.first_row LIMIT ${CHUNK}`,
    0,
    (r) => r.row
  )) {
    const rows = await stage.all<StagedRow>(
      `SELECT debtor_key, phone, email, line1, line2, addr_postal, addr_city FROM row
        WHERE error = 0 AND debtor_key IN (${placeholders(page.length)})
          AND (phone IS NOT NULL OR email IS NOT NULL OR line1 IS NOT NULL)
        ORDER BY row`,
      page.map((g) => g.key)
    )
    const byKey = new Map<string, StagedRow[]>()
    for (const r of rows) {
      const list = byKey.get(r.debtor_key)
      if (list) list.push(r)
      else byKey.set(r.debtor_key, [r])
    }
    yield page.map((g) => {
      const own = byKey.get(g.key) ?? []
      const withAddress = own.find((r) => r.line1 !== null)
      return {
        key: g.key,
        first: readRowOf(g),
        professional: !!g.professional,
        phones: [...new Set(own.flatMap((r) => (r.phone ? [r.phone] : [])))].slice(0, MAX_CONTACTS_PER_KIND),
        emails: [...new Set(own.flatMap((r) => (r.email ? [r.email] : [])))].slice(0, MAX_CONTACTS_PER_KIND),
        address: withAddress
          ? {
              line1: withAddress.line1!,
              line2: withAddress.line2,
              postalCode: withAddress.addr_postal ?? '',
              city: withAddress.addr_city ?? ''
            }
          : null
      }
    })
  }
}

/** Records the ids given to the plan's new debtors (key → id) or cases (debtor_ref → id). */
export async function recordNewIds(
  stage: StageDb,
  table: 'grp' | 'new_case',
  ids: ReadonlyArray<[string, string]>
): Promise<void> {
  await stage.insert('new_id', ['key', 'id'], ids)
  if (ids.length === 0) return
  const key = table === 'grp' ? 'key' : 'debtor_ref'
  await stage.run(
    `UPDATE ${table} SET new_id = n.id FROM new_id n WHERE n.key = ${table}.${key} AND n.key IN (${placeholders(ids.length)})`,
    ids.map(([k]) => k)
  )
}

/** A case the plan opens: its debtor (existing or new, ids given), name and claims' totals. */
export interface PlannedCase {
  debtorRef: string
  firstRow: number
  debtorId: string
  displayName: string
  nameKey: string
  claims: number
  principalCents: number
  oldestDueOn: string
}

export async function* plannedCases(stage: StageDb): AsyncGenerator<PlannedCase[]> {
  for await (const page of stage.pages<{
    debtor_ref: string
    first_row: number
    debtor_id: string
    display_name: string
    name_key: string
    claims: number
    principal: number
    oldest_due: string
  }>(
    `SELECT nc.debtor_ref, nc.first_row, coalesce(g.existing_id, g.new_id) AS debtor_id, r.display_name, r.name_key,
        nc.claims, nc.principal, nc.oldest_due
      FROM new_case nc JOIN row r ON r.row = nc.first_row JOIN grp g ON g.key = r.debtor_key
      WHERE nc.first_row > ? ORDER BY nc.first_row LIMIT ${PAGE}`,
    0,
    (r) => r.first_row
  )) {
    yield page.map((r) => ({
      debtorRef: r.debtor_ref,
      firstRow: r.first_row,
      debtorId: r.debtor_id,
      displayName: r.display_name,
      nameKey: r.name_key,
      claims: Number(r.claims),
      principalCents: Number(r.principal),
      oldestDueOn: r.oldest_due
    }))
  }
}

/** A claim of the plan, with the case it goes to (new, ids given, or an open one). */
export interface PlannedClaim {
  row: number
  invoiceNumber: string
  issuedOn: string
  dueOn: string
  amountCents: number
  description: string | null
  professional: boolean
  caseId: string
  existingCase: boolean
}

export async function* plannedClaims(stage: StageDb): AsyncGenerator<PlannedClaim[]> {
  for await (const page of stage.pages<{
    row: number
    invoice: string
    issued_on: string
    due_on: string
    amount_cents: number
    description: string | null
    professional: number
    case_id: string
    existing: number
  }>(
    `SELECT r.row, r.invoice, r.issued_on, r.due_on, r.amount_cents, r.description, g.professional,
        coalesce(g.open_case_id, nc.new_id) AS case_id, g.open_case_id IS NOT NULL AS existing
      FROM row r JOIN grp g ON g.key = r.debtor_key
      LEFT JOIN new_case nc ON g.open_case_id IS NULL AND nc.debtor_ref = coalesce(g.existing_id, 'new:' || g.key)
      WHERE r.row > ? AND r.error = 0 ORDER BY r.row LIMIT ${PAGE}`,
    0,
    (r) => r.row
  )) {
    yield page.map((r) => ({
      row: r.row,
      invoiceNumber: r.invoice,
      issuedOn: r.issued_on,
      dueOn: r.due_on,
      amountCents: Number(r.amount_cents),
      description: r.description,
      professional: !!r.professional,
      caseId: r.case_id,
      existingCase: !!r.existing
    }))
  }
}

/** Open cases that receive claims, with their invoice numbers in the file's order. */
export async function* plannedAdditions(
  stage: StageDb
): AsyncGenerator<Array<{ caseId: string; invoiceNumbers: string[] }>> {
  for await (const page of stage.pages<{ id: string }>(
    `SELECT DISTINCT open_case_id AS id FROM grp WHERE open_case_id > ? ORDER BY open_case_id LIMIT ${CHUNK}`,
    '',
    (r) => r.id
  )) {
    const rows = await stage.all<{ id: string; invoice: string }>(
      `SELECT g.open_case_id AS id, r.invoice FROM row r JOIN grp g ON g.key = r.debtor_key
        WHERE r.error = 0 AND g.open_case_id IN (${placeholders(page.length)}) ORDER BY r.row`,
      page.map((r) => r.id)
    )
    yield page.map(({ id }) => ({ caseId: id, invoiceNumbers: rows.filter((r) => r.id === id).map((r) => r.invoice) }))
  }
}

/** New contacts of known debtors, a page at a time. */
export async function* plannedContacts(
  stage: StageDb
): AsyncGenerator<Array<{ debtorId: string; kind: 'phone' | 'email'; value: string }>> {
  for await (const page of stage.pages<{ n: number; debtor_id: string; kind: 'phone' | 'email'; value: string }>(
    `SELECT rowid AS n, debtor_id, kind, value FROM new_contact WHERE rowid > ? ORDER BY rowid LIMIT ${PAGE}`,
    0,
    (r) => r.n
  )) {
    yield page.map((r) => ({ debtorId: r.debtor_id, kind: r.kind, value: r.value }))
  }
}

/** Ids of the cases the plan opens (once given) and, unless `newOnly`, of the open cases it completes. */
export async function* plannedCaseIds(stage: StageDb, options: { newOnly?: boolean } = {}): AsyncGenerator<string[]> {
  for await (const page of stage.pages<{ id: string }>(
    `SELECT new_id AS id FROM new_case WHERE new_id > ? ORDER BY new_id LIMIT ${PAGE}`,
    '',
    (r) => r.id
  )) {
    yield page.map((r) => r.id)
  }
  if (options.newOnly) return
  for await (const page of stage.pages<{ id: string }>(
    `SELECT DISTINCT open_case_id AS id FROM grp WHERE open_case_id > ? ORDER BY open_case_id LIMIT ${PAGE}`,
    '',
    (r) => r.id
  )) {
    yield page.map((r) => r.id)
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportPreviewRow, ImportProblem } from '@shared/contract'
import type { ColumnMapping } from '@shared/imports/mapping'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { siretFromSiren, sirenFromPayload } from '@shared/validation/siren'
import { csvLine, utf8, windows1252, xlsx } from './files'

const AZUR_SIRET = siretFromSiren(sirenFromPayload('55210055'), '0001')

/**
 * Messy client files built in code (Windows-1252 and UTF-8 CSV, xlsx with typed cells, French
 * numbers and dates, duplicates, bad rows) against a seeded demo portfolio: exact previews,
 * commit, all-or-nothing, undo.
 */

let app: RecouvraApp
let dispose: () => Promise<void>
let clientId: string
let mandateId: string
/** An individual debtor of the client with an open case, and one of its invoices. */
let known: {
  name: string
  lastName: string
  firstName: string
  postal: string
  reference: string
  invoice: string
  caseId: string
}

const HEADERS = [
  'Raison sociale',
  'Nom',
  'Prénom',
  'SIREN',
  'Adresse',
  'CP',
  'Ville',
  'Téléphone',
  'Email',
  'N° facture',
  'Date facture',
  'Échéance',
  'Montant TTC'
]

function messyCsv(): Buffer {
  const rows = [
    HEADERS,
    [
      'Boulangerie Martin',
      '',
      '',
      '732 829 320',
      '3 rue de la Paix',
      '75002',
      'Paris',
      '01 42 00 00 01',
      'contact@martin.example',
      'F-001',
      '15/01/2026',
      '14/02/2026',
      '1 234,56 €'
    ],
    [
      'BOULANGERIE MARTIN',
      '',
      '',
      '732829320',
      '3 rue de la Paix',
      '75002',
      'Paris',
      '',
      '',
      'F-002',
      '20/01/2026',
      '19/02/2026',
      '99,9'
    ],
    [
      '',
      'Dupont',
      'Jean',
      '',
      '12 av. Foch; Bât. A',
      '69006',
      'Lyon',
      '+33 6 12 34 56 78',
      '',
      'F-003',
      '',
      '31/03/2026',
      '450'
    ],
    [
      'SARL Test',
      '',
      '',
      '123456789',
      '1 place Bellecour',
      '69002',
      'Lyon',
      '',
      '',
      'F-004',
      '01/02/2026',
      '01/03/2026',
      '100,00'
    ],
    [
      '',
      'Lefèvre',
      'Éloïse',
      '',
      '5 rue Pasteur',
      '13001',
      'Marseille',
      '',
      '',
      'F-005',
      '01/02/2026',
      '01/03/2026',
      ''
    ],
    [
      '',
      'Lefèvre',
      'Éloïse',
      '',
      '5 rue Pasteur',
      '13001',
      'Marseille',
      '',
      '',
      'F-006',
      '01/02/2026',
      '32/13/2026',
      '10'
    ],
    ['Garage Leroy', '', '', '', '8 rue Haute', '44000', 'Nantes', '', '', 'F-001', '01/02/2026', '01/03/2026', '10'],
    ['', 'Dupond', 'Jean', '', '12 av. Foch', '69006', 'Lyon', '', '', 'F-007', '01/02/2026', '01/03/2026', '20'],
    ['', '@LAST', '@FIRST', '', '1 rue X', '@POSTAL', 'Ville', '', '', 'F-010', '01/10/2026', '31/10/2026', '75,50'],
    [
      'Nouveau Client',
      '',
      '',
      '',
      '9 quai Ouest',
      '33000',
      'Bordeaux',
      '',
      '',
      '@INVOICE',
      '01/02/2026',
      '01/03/2026',
      '10'
    ],
    [
      'Café du Port',
      '',
      '',
      '',
      '2 quai Est',
      '33000',
      'Bordeaux',
      '',
      '',
      'F-012',
      '01/02/2026',
      '01/03/2026',
      '1.234'
    ],
    [
      'Œnothèque Dubœuf',
      '',
      '',
      '',
      '4 rue du Vin',
      '21000',
      'Dijon',
      '12',
      'pas-un-email',
      'F-013',
      '01/11/2026',
      '15/01/2027',
      '2 000'
    ],
    ['', '', '', '', '', '', '', '', '', '', '', '', '']
  ]
  const text = rows
    .map((row) =>
      csvLine(
        row.map((cell) =>
          cell
            .replace('@LAST', known.lastName)
            .replace('@FIRST', known.firstName)
            .replace('@POSTAL', known.postal)
            .replace('@INVOICE', known.invoice)
        )
      )
    )
    .join('\r\n')
  return windows1252(text)
}

async function analyzeAndPlan(bytes: Buffer, fileName: string, mapping?: ColumnMapping) {
  const analysis = await app.services.imports.analyzeBytes(bytes, fileName, clientId)
  const plan = await app.services.imports.plan({
    uploadId: analysis.uploadId,
    clientId,
    mandateId,
    mapping: mapping ?? analysis.mapping
  })
  return { analysis, plan }
}

const count = async (table: string): Promise<number> =>
  Number((await app.db.read((m) => m.query(`SELECT COUNT(*) AS n FROM ${table}`)))[0].n)

const row = (partial: Partial<ImportPreviewRow> & Pick<ImportPreviewRow, 'row'>): ImportPreviewRow => ({
  debtorName: '',
  invoiceNumber: '',
  amountCents: null,
  dueOn: null,
  debtorAction: null,
  debtorFirstRow: null,
  caseAction: null,
  caseFirstRow: null,
  caseReference: null,
  severity: null,
  newContacts: [],
  ...partial
})

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 60, seed: 7 }))
  const clients = await app.call('clients:list', {})
  clientId = clients[0]!.id
  const setup = await app.call('imports:setup', { clientId })
  mandateId = setup.mandates.find((m) => m.status === 'active')!.id
  const [found] = await app.db.read((m) =>
    m.query(
      `SELECT d.display_name AS name, d.last_name, d.first_name, a.postal_code AS postal, c.reference, c.id AS case_id,
          (SELECT invoice_number FROM claim WHERE case_id = c.id ORDER BY invoice_number LIMIT 1) AS invoice
        FROM collection_case c JOIN debtor d ON d.id = c.debtor_id JOIN debtor_address a ON a.debtor_id = d.id AND a.valid_to IS NULL
        WHERE c.client_id = ? AND c.status = 'open' AND d.kind = 'individual'
          AND (SELECT COUNT(*) FROM collection_case o WHERE o.debtor_id = d.id) = 1
        ORDER BY c.reference LIMIT 1`,
      [clientId]
    )
  )
  known = {
    name: found.name,
    lastName: found.last_name,
    firstName: found.first_name,
    postal: found.postal,
    reference: found.reference,
    invoice: found.invoice,
    caseId: found.case_id
  }
})

afterAll(async () => {
  await dispose()
})

describe('a messy Windows-1252 CSV', () => {
  it('is previewed row by row with every problem, its row, column and French reason', async () => {
    const { analysis, plan } = await analyzeAndPlan(messyCsv(), 'impayés janvier.csv')
    expect(analysis).toMatchObject({
      format: 'csv',
      encoding: 'windows-1252',
      separator: ';',
      headers: HEADERS,
      rowCount: 12
    })
    expect(plan.problems).toEqual<ImportProblem[]>([
      {
        row: 5,
        field: 'siren',
        column: 'SIREN',
        severity: 'error',
        message: 'SIREN invalide « 123456789 » : clé de contrôle fausse'
      },
      { row: 6, field: 'amount', column: 'Montant TTC', severity: 'error', message: 'Montant manquant' },
      {
        row: 7,
        field: 'dueOn',
        column: 'Échéance',
        severity: 'error',
        message: 'Échéance : date inexistante « 32/13/2026 »'
      },
      {
        row: 8,
        field: 'invoiceNumber',
        column: 'N° facture',
        severity: 'error',
        message: 'Facture « F-001 » en double dans le fichier (déjà ligne 2)'
      },
      {
        row: 9,
        field: 'lastName',
        column: 'Nom',
        severity: 'error',
        message:
          'Même débiteur que ligne 4 sous une autre orthographe ? « DUPOND Jean » / « DUPONT Jean » : harmonisez le nom'
      },
      {
        row: 11,
        field: 'invoiceNumber',
        column: 'N° facture',
        severity: 'error',
        message: `Facture « ${known.invoice} » déjà importée pour ce client (dossier ${known.reference})`
      },
      {
        row: 12,
        field: 'amount',
        column: 'Montant TTC',
        severity: 'error',
        message: 'Montant ambigu « 1.234 » : écrivez 1234 ou 1 234,00'
      },
      {
        row: 13,
        field: 'phone',
        column: 'Téléphone',
        severity: 'warning',
        message: 'Téléphone illisible « 12 » : il ne sera pas enregistré'
      },
      {
        row: 13,
        field: 'email',
        column: 'Email',
        severity: 'warning',
        message: 'Adresse e-mail invalide « pas-un-email » : elle ne sera pas enregistrée'
      },
      {
        row: 13,
        field: 'dueOn',
        column: 'Échéance',
        severity: 'warning',
        message: 'Échéance pas encore atteinte : la facture n’est pas encore exigible'
      }
    ])
    expect(plan.rows).toEqual([
      row({
        row: 2,
        debtorName: 'BOULANGERIE MARTIN',
        invoiceNumber: 'F-001',
        amountCents: 123456,
        dueOn: '2026-02-14',
        debtorAction: 'create',
        caseAction: 'create'
      }),
      row({
        row: 3,
        debtorName: 'BOULANGERIE MARTIN',
        invoiceNumber: 'F-002',
        amountCents: 9990,
        dueOn: '2026-02-19',
        debtorAction: 'repeat',
        debtorFirstRow: 2,
        caseAction: 'repeat',
        caseFirstRow: 2
      }),
      row({
        row: 4,
        debtorName: 'DUPONT Jean',
        invoiceNumber: 'F-003',
        amountCents: 45000,
        dueOn: '2026-03-31',
        debtorAction: 'create',
        caseAction: 'create'
      }),
      row({
        row: 5,
        debtorName: 'SARL TEST',
        invoiceNumber: 'F-004',
        amountCents: 10000,
        dueOn: '2026-03-01',
        severity: 'error'
      }),
      row({ row: 6, debtorName: 'LEFÈVRE Éloïse', invoiceNumber: 'F-005', dueOn: '2026-03-01', severity: 'error' }),
      row({ row: 7, debtorName: 'LEFÈVRE Éloïse', invoiceNumber: 'F-006', amountCents: 1000, severity: 'error' }),
      row({
        row: 8,
        debtorName: 'GARAGE LEROY',
        invoiceNumber: 'F-001',
        amountCents: 1000,
        dueOn: '2026-03-01',
        severity: 'error'
      }),
      row({
        row: 9,
        debtorName: 'DUPOND Jean',
        invoiceNumber: 'F-007',
        amountCents: 2000,
        dueOn: '2026-03-01',
        severity: 'error'
      }),
      row({
        row: 10,
        debtorName: known.name,
        invoiceNumber: 'F-010',
        amountCents: 7550,
        dueOn: '2026-10-31',
        debtorAction: 'match',
        caseAction: 'add',
        caseReference: known.reference
      }),
      row({
        row: 11,
        debtorName: 'NOUVEAU CLIENT',
        invoiceNumber: known.invoice,
        amountCents: 1000,
        dueOn: '2026-03-01',
        severity: 'error'
      }),
      row({ row: 12, debtorName: 'CAFÉ DU PORT', invoiceNumber: 'F-012', dueOn: '2026-03-01', severity: 'error' }),
      row({
        row: 13,
        debtorName: 'ŒNOTHÈQUE DUBŒUF',
        invoiceNumber: 'F-013',
        amountCents: 200000,
        dueOn: '2027-01-15',
        debtorAction: 'create',
        caseAction: 'create',
        severity: 'warning'
      })
    ])
    expect(plan.counts).toEqual({
      rows: 12,
      importedRows: 5,
      errorRows: 7,
      warningRows: 1,
      newDebtors: 3,
      matchedDebtors: 1,
      newCases: 3,
      casesAddedTo: 1,
      claims: 5,
      totalCents: 123456 + 9990 + 45000 + 7550 + 200000,
      newPhones: 0,
      newEmails: 0
    })
  })

  it('pages through the rows with a problem, each with all of its own problems', async () => {
    const analysis = await app.services.imports.analyzeBytes(messyCsv(), 'impayés janvier.csv', clientId)
    const page = await app.call('imports:preview', {
      uploadId: analysis.uploadId,
      clientId,
      mandateId,
      mapping: analysis.mapping,
      onlyProblems: true,
      rowsOffset: 6,
      rowsLimit: 2
    })
    expect(page.rowsTotal).toBe(8)
    expect(page.problemCount).toBe(10)
    expect(page.rows.map((r) => [r.row, r.severity])).toEqual([
      [12, 'error'],
      [13, 'warning']
    ])
    expect(page.rowProblems.map((p) => [p.row, p.field])).toEqual([
      [12, 'amount'],
      [13, 'phone'],
      [13, 'email'],
      [13, 'dueOn']
    ])
  })

  it('writes the error report as an xlsx with an error column', async () => {
    const analysis = await app.services.imports.analyzeBytes(messyCsv(), 'impayés janvier.csv', clientId)
    const report = await app.call('imports:error-report', {
      uploadId: analysis.uploadId,
      clientId,
      mandateId,
      mapping: analysis.mapping
    })
    expect(report.fileName).toBe('impayés janvier - lignes à corriger.xlsx')
    const { default: ExcelJS } = await import('exceljs')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(report.contentBase64, 'base64') as never)
    const sheet = workbook.worksheets[0]!
    expect(sheet.name).toBe('Lignes à corriger')
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual([...HEADERS, 'Ligne du fichier', 'Erreurs'])
    const rows: Array<[unknown, unknown, unknown]> = []
    sheet.eachRow((r, n) => {
      if (n > 1) rows.push([r.getCell(10).value, r.getCell(14).value, r.getCell(15).value])
    })
    expect(rows[0]).toEqual(['F-004', 5, 'SIREN : SIREN invalide « 123456789 » : clé de contrôle fausse'])
    expect(rows.map((r) => r[1])).toEqual([5, 6, 7, 8, 9, 11, 12, 13])
    expect(rows.at(-1)![2]).toBe(
      '(avertissement) Téléphone : Téléphone illisible « 12 » : il ne sera pas enregistré ; (avertissement) Email : Adresse e-mail invalide « pas-un-email » : elle ne sera pas enregistrée ; (avertissement) Échéance : Échéance pas encore atteinte : la facture n’est pas encore exigible'
    )
  })
})

describe('commit and undo', () => {
  it('imports the valid rows in one transaction, indexed for search, and undoes them', async () => {
    const before = {
      cases: await count('collection_case'),
      debtors: await count('debtor'),
      claims: await count('claim'),
      docs: await count('search_case_doc')
    }
    const [knownBefore] = await app.db.read((m) =>
      m.query('SELECT principal_cents, balance_cents, claim_count, version FROM collection_case WHERE id = ?', [
        known.caseId
      ])
    )
    const analysis = await app.services.imports.analyzeBytes(messyCsv(), 'impayés janvier.csv', clientId)
    const input = { uploadId: analysis.uploadId, clientId, mandateId, mapping: analysis.mapping }

    // Rows in error refuse the import unless they are explicitly left out.
    await expect(app.call('imports:commit', input)).rejects.toThrow(
      '7 ligne(s) en erreur : corrigez le fichier, ou importez sans elles en cochant « Ignorer les lignes en erreur ».'
    )
    const batch = await app.call('imports:commit', { ...input, skipErrorRows: true, saveMappingAs: 'Export comptable' })
    expect(batch).toMatchObject({
      status: 'committed',
      fileName: 'impayés janvier.csv',
      undoBlockedReason: null,
      counts: { importedRows: 5, newDebtors: 3, newCases: 3, casesAddedTo: 1, claims: 5 }
    })
    expect(await count('collection_case')).toBe(before.cases + 3)
    expect(await count('debtor')).toBe(before.debtors + 3)
    expect(await count('claim')).toBe(before.claims + 5)
    expect(await count('search_case_doc')).toBe(before.cases + 3)
    // Each case with something to collect has its prescription date, stored by the import itself.
    const unfilled = await app.db.read((m) =>
      m.query(
        `SELECT COUNT(*) AS n FROM collection_case WHERE prescription_on IS NULL AND balance_cents > 0
          AND id IN (SELECT record_id FROM import_batch_record WHERE batch_id = ? AND kind IN ('case', 'touched_case'))`,
        [batch.id]
      )
    )
    expect(Number(unfilled[0].n)).toBe(0)

    const martin = await app.call('cases:list', { filters: { text: 'boulangerie mart' } } as never)
    expect(
      martin.rows.map((r: { debtorName: string; balanceCents: number }) => [r.debtorName, r.balanceCents])
    ).toEqual([['BOULANGERIE MARTIN', 133446]])
    const byPhone = await app.call('cases:list', { filters: { text: '06 12 34 56 78' } } as never)
    expect(byPhone.rows.map((r: { debtorName: string }) => r.debtorName)).toContain('DUPONT Jean')
    const [martinCase] = await app.db.read((m) =>
      m.query(
        `SELECT c.reference, c.phase, c.status, c.claim_count, c.oldest_due_on, d.siren, d.kind, cl.interest_basis, cl.indemnity_applies
          FROM collection_case c JOIN debtor d ON d.id = c.debtor_id JOIN claim cl ON cl.case_id = c.id
          WHERE d.display_name = 'BOULANGERIE MARTIN' ORDER BY cl.invoice_number LIMIT 1`
      )
    )
    expect(martinCase).toMatchObject({
      phase: 'amicable',
      status: 'open',
      claim_count: 2,
      oldest_due_on: '2026-02-14',
      siren: '732829320',
      kind: 'company',
      interest_basis: 'b2b_penalty'
    })
    expect(Boolean(martinCase.indemnity_applies)).toBe(true) // 1 on SQLite, true on PostgreSQL
    expect(martinCase.reference).toMatch(/^REC-2026-\d{6}$/)
    const [knownAfter] = await app.db.read((m) =>
      m.query('SELECT principal_cents, balance_cents, claim_count FROM collection_case WHERE id = ?', [known.caseId])
    )
    expect(knownAfter).toEqual({
      principal_cents: knownBefore.principal_cents + 7550,
      balance_cents: knownBefore.balance_cents + 7550,
      claim_count: knownBefore.claim_count + 1
    })
    const journal = await app.db.read((m) =>
      m.query(`SELECT kind, summary FROM journal_entry WHERE case_id = ? AND related_id = ?`, [known.caseId, batch.id])
    )
    expect(journal).toEqual([
      { kind: 'system', summary: 'Import du fichier « impayés janvier.csv » : 1 créance(s) ajoutée(s) (F-010)' }
    ])
    // The mapping is saved for the client, and proposed for the next file.
    const setup = await app.call('imports:setup', { clientId })
    expect(setup.savedMappings.map((m) => [m.name, m.mapping.amount])).toEqual([['Export comptable', 'Montant TTC']])

    // The same file again: every invoice is now already imported.
    const again = await analyzeAndPlan(messyCsv(), 'impayés janvier.csv')
    expect(again.analysis.mappingName).toBe('Export comptable')
    expect(again.plan.counts.importedRows).toBe(0)

    // Undo.
    const undone = await app.call('imports:undo', { batchId: batch.id })
    expect(undone).toMatchObject({ status: 'undone', undoBlockedReason: 'Import déjà annulé.' })
    expect(await count('collection_case')).toBe(before.cases)
    expect(await count('debtor')).toBe(before.debtors)
    expect(await count('claim')).toBe(before.claims)
    expect(await count('search_case_doc')).toBe(before.cases)
    const [knownUndone] = await app.db.read((m) =>
      m.query('SELECT principal_cents, balance_cents, claim_count FROM collection_case WHERE id = ?', [known.caseId])
    )
    expect(knownUndone).toEqual({
      principal_cents: knownBefore.principal_cents,
      balance_cents: knownBefore.balance_cents,
      claim_count: knownBefore.claim_count
    })
    const afterUndo = await app.db.read((m) =>
      m.query(`SELECT summary FROM journal_entry WHERE case_id = ? AND related_id = ? ORDER BY created_at, id`, [
        known.caseId,
        batch.id
      ])
    )
    expect(afterUndo.map((e: { summary: string }) => e.summary)).toEqual([
      'Import du fichier « impayés janvier.csv » : 1 créance(s) ajoutée(s) (F-010)',
      'Import du fichier « impayés janvier.csv » annulé : créance(s) retirée(s) (F-010)'
    ])
    const none = await app.call('cases:list', { filters: { text: 'boulangerie mart' } } as never)
    expect(none.rows).toEqual([])
    await expect(app.call('imports:undo', { batchId: batch.id })).rejects.toThrow('Cet import a déjà été annulé.')
  })

  it('cannot be undone once one of its cases has been worked on', async () => {
    const analysis = await app.services.imports.analyzeBytes(messyCsv(), 'impayés janvier.csv', clientId)
    const batch = await app.call('imports:commit', {
      uploadId: analysis.uploadId,
      clientId,
      mandateId,
      mapping: analysis.mapping,
      skipErrorRows: true
    })
    const [created] = await app.db.read((m) =>
      m.query(
        `SELECT c.id, c.reference FROM collection_case c JOIN import_batch_record r ON r.record_id = c.id
          WHERE r.batch_id = ? AND r.kind = 'case' ORDER BY c.reference LIMIT 1`,
        [batch.id]
      )
    )
    await app.call('case:add-note', { caseId: created.id, text: 'Appelé le débiteur, rappelle demain' } as never)
    const [listed] = await app.call('imports:list', { clientId })
    expect(listed!.undoBlockedReason).toBe(
      `Annulation impossible : le dossier ${created.reference} a été travaillé depuis l’import (entrée au journal).`
    )
    await expect(app.call('imports:undo', { batchId: batch.id })).rejects.toThrow(listed!.undoBlockedReason!)
  })
})

describe('known debtors and collectors', () => {
  it('gives a known debtor the file’s new phone and e-mail (never twice), shown in the preview, undone with the batch', async () => {
    const [existing] = await app.db.read((m) =>
      m.query(
        `SELECT number FROM debtor_phone WHERE debtor_id = (SELECT debtor_id FROM collection_case WHERE id = ?) LIMIT 1`,
        [known.caseId]
      )
    )
    const known06 = existing ? `0${String(existing.number).slice(3)}` : ''
    const file = utf8(
      [
        'Nom;Prénom;CP;Ville;Adresse;Téléphone;Email;N° facture;Échéance;Montant',
        `${known.lastName};${known.firstName};${known.postal};Ville;1 rue X;06 99 88 77 66;Nouvelle.Adresse@Example.fr;K-001;01/02/2026;40`,
        `${known.lastName};${known.firstName};${known.postal};Ville;1 rue X;${known06};nouvelle.adresse@example.fr;K-002;01/03/2026;60`
      ].join('\n')
    )
    const { analysis, plan } = await analyzeAndPlan(file, 'contacts.csv')
    expect(plan.counts).toMatchObject({ matchedDebtors: 1, newPhones: 1, newEmails: 1, casesAddedTo: 1 })
    expect(plan.rows.map((r) => [r.row, r.debtorAction, r.newContacts])).toEqual([
      [2, 'match', ['+33699887766', 'nouvelle.adresse@example.fr']],
      [3, 'match', []]
    ])
    const before = await count('debtor_phone')
    const batch = await app.call('imports:commit', {
      uploadId: analysis.uploadId,
      clientId,
      mandateId,
      mapping: analysis.mapping
    })
    expect(batch.counts).toMatchObject({ newPhones: 1, newEmails: 1 })
    expect(await count('debtor_phone')).toBe(before + 1)
    const [phone] = await app.db.read((m) =>
      m.query(`SELECT kind, status, source FROM debtor_phone WHERE number = '+33699887766'`)
    )
    expect(phone).toEqual({ kind: 'mobile', status: 'unverified', source: 'Import contacts.csv' })
    const found = await app.call('cases:list', { filters: { text: '06 99 88 77 66' } } as never)
    expect(found.rows.map((r: { reference: string }) => r.reference)).toEqual([known.reference])
    // The same file again: nothing new to add.
    const again = await analyzeAndPlan(file, 'contacts.csv')
    expect(again.plan.counts).toMatchObject({ newPhones: 0, newEmails: 0 })
    // Once a collector has changed the number (marked wrong…), the batch cannot be undone.
    await app.db.write((m) => m.query(`UPDATE debtor_phone SET version = 2 WHERE number = '+33699887766'`))
    const [blocked] = await app.call('imports:list', { clientId })
    expect(blocked!.undoBlockedReason).toBe(
      'Annulation impossible : un téléphone ajouté par cet import a été modifié depuis.'
    )
    await app.db.write((m) => m.query(`UPDATE debtor_phone SET version = 1 WHERE number = '+33699887766'`))
    await app.call('imports:undo', { batchId: batch.id })
    expect(await count('debtor_phone')).toBe(before)
    const none = await app.call('cases:list', { filters: { text: '06 99 88 77 66' } } as never)
    expect(none.rows).toEqual([])
  })

  it('gives the new cases to one collector, or to several in turn', async () => {
    const collectors: Array<{ id: string }> = await app.db.read((m) =>
      m.query(`SELECT id FROM app_user WHERE role = 'collector' AND active = TRUE ORDER BY display_name LIMIT 2`)
    )
    expect(collectors).toHaveLength(2)
    const file = (prefix: string) =>
      utf8(
        [
          'Nom;Prénom;CP;Ville;Adresse;N° facture;Échéance;Montant',
          `Arnaud;Paul;31000;Toulouse;1 rue A;${prefix}-1;01/02/2026;10`,
          `Blanc;Marie;31000;Toulouse;2 rue B;${prefix}-2;01/02/2026;20`,
          `Carré;Luc;31000;Toulouse;3 rue C;${prefix}-3;01/02/2026;30`
        ].join('\n')
      )
    const collectorsOf = async (batchId: string) =>
      (
        (await app.db.read((m) =>
          m.query(
            `SELECT c.collector_id FROM collection_case c JOIN import_batch_record r ON r.record_id = c.id
              WHERE r.batch_id = ? AND r.kind = 'case' ORDER BY c.reference`,
            [batchId]
          )
        )) as Array<{ collector_id: string | null }>
      ).map((r) => r.collector_id)
    const one = await app.services.imports.analyzeBytes(file('RR'), 'un.csv', clientId)
    const first = await app.call('imports:commit', {
      uploadId: one.uploadId,
      clientId,
      mandateId,
      mapping: one.mapping,
      assignment: { mode: 'collector', collectorId: collectors[0]!.id }
    })
    expect(await collectorsOf(first.id)).toEqual([collectors[0]!.id, collectors[0]!.id, collectors[0]!.id])
    await app.call('imports:undo', { batchId: first.id })
    const two = await app.services.imports.analyzeBytes(file('RS'), 'deux.csv', clientId)
    const second = await app.call('imports:commit', {
      uploadId: two.uploadId,
      clientId,
      mandateId,
      mapping: two.mapping,
      assignment: { mode: 'round-robin', collectorIds: collectors.map((c) => c.id) }
    })
    expect(await collectorsOf(second.id)).toEqual([collectors[0]!.id, collectors[1]!.id, collectors[0]!.id])
    await app.call('imports:undo', { batchId: second.id })
    const three = await app.services.imports.analyzeBytes(file('RT'), 'trois.csv', clientId)
    await expect(
      app.call('imports:commit', {
        uploadId: three.uploadId,
        clientId,
        mandateId,
        mapping: three.mapping,
        assignment: { mode: 'collector', collectorId: '01900000-0000-7000-8000-000000000000' }
      })
    ).rejects.toThrow('Gestionnaire introuvable ou inactif')
  })
})

describe('all or nothing', () => {
  it('leaves nothing behind when the commit fails half-way', async () => {
    const before = await Promise.all(
      ['collection_case', 'debtor', 'claim', 'debtor_address', 'search_case_doc', 'import_batch', 'journal_entry'].map(
        count
      )
    )
    const file = utf8(
      [
        'Nom;Prénom;CP;Ville;Adresse;N° facture;Échéance;Montant',
        'Moreau;Alice;31000;Toulouse;1 rue A;Z-001;01/02/2026;10',
        'Girard;Paul;31000;Toulouse;2 rue B;Z-002;01/02/2026;20',
        'Bonnet;Léa;31000;Toulouse;3 rue C;Z-BOOM;01/02/2026;30',
        `${known.lastName};${known.firstName};${known.postal};Ville;1 rue X;Z-004;01/02/2026;40`
      ].join('\n')
    )
    const analysis = await app.services.imports.analyzeBytes(file, 'boom.csv', clientId)
    // A failure injected in the middle of the claims' INSERT (after debtors, contacts and cases);
    // not a TEMP trigger: the bulk write's PRAGMA temp_store drops those.
    await app.db.write(async (m) => {
      if (testingOnPostgres()) {
        await m.query(
          `CREATE FUNCTION import_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.invoice_number = 'Z-BOOM' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`
        )
        await m.query('CREATE TRIGGER import_boom BEFORE INSERT ON claim FOR EACH ROW EXECUTE FUNCTION import_boom()')
      } else {
        await m.query(
          `CREATE TRIGGER import_boom BEFORE INSERT ON claim WHEN NEW.invoice_number = 'Z-BOOM' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`
        )
      }
    })
    try {
      await expect(
        app.call('imports:commit', { uploadId: analysis.uploadId, clientId, mandateId, mapping: analysis.mapping })
      ).rejects.toThrow('Une erreur interne est survenue. L’opération n’a pas été enregistrée.')
    } finally {
      await app.db.write(async (m) => {
        if (testingOnPostgres()) {
          await m.query('DROP TRIGGER import_boom ON claim')
          await m.query('DROP FUNCTION import_boom()')
        } else {
          await m.query('DROP TRIGGER import_boom')
        }
      })
    }
    const after = await Promise.all(
      ['collection_case', 'debtor', 'claim', 'debtor_address', 'search_case_doc', 'import_batch', 'journal_entry'].map(
        count
      )
    )
    expect(after).toEqual(before)
    // And it goes through once the cause is gone.
    const batch = await app.call('imports:commit', {
      uploadId: analysis.uploadId,
      clientId,
      mandateId,
      mapping: analysis.mapping
    })
    expect(batch.counts).toMatchObject({ importedRows: 4, newCases: 3, casesAddedTo: 1 })
    await app.call('imports:undo', { batchId: batch.id })
  })
})

describe('other file shapes', () => {
  it('reads an xlsx with typed cells: dates, serials, numbers, postal codes and phones that lost their 0', async () => {
    const file = await xlsx([
      [
        'Société',
        'N° SIRET',
        'Adresse',
        'Code postal',
        'Ville',
        'Tél',
        'Facture',
        'Date de facture',
        'Date d’échéance',
        'Montant TTC (€)',
        'Libellé'
      ],
      [
        'Transports Azur',
        AZUR_SIRET,
        '1 bd Gambetta',
        6000,
        'Nice',
        612345678,
        'AZ-1',
        new Date(Date.UTC(2025, 11, 31)),
        46053,
        1234.5,
        'Fret décembre'
      ],
      [
        'Transports Azur',
        AZUR_SIRET,
        '1 bd Gambetta',
        6000,
        'Nice',
        null,
        'AZ-2',
        '2026-01-15',
        '15/02/2026',
        '2 500,00',
        null
      ],
      [null, null, null, null, null, null, null, null, null, null, null],
      [
        'Hôtel Bellevue',
        '12345678900000',
        '2 rue B',
        6000,
        'Nice',
        null,
        'AZ-3',
        new Date(Date.UTC(2026, 0, 2)),
        new Date(Date.UTC(2026, 1, 2)),
        0,
        null
      ]
    ])
    const { analysis, plan } = await analyzeAndPlan(file, 'azur.xlsx')
    expect(analysis).toMatchObject({ format: 'xlsx', sheetName: 'Impayés', rowCount: 3 })
    expect(analysis.mapping).toMatchObject({
      legalName: 0,
      siret: 1,
      addressLine1: 2,
      postalCode: 3,
      city: 4,
      phone: 5,
      invoiceNumber: 6,
      issuedOn: 7,
      dueOn: 8,
      amount: 9,
      description: 10
    })
    expect(plan.problems).toEqual([
      {
        row: 5,
        field: 'siret',
        column: 'N° SIRET',
        severity: 'error',
        message: 'SIRET invalide « 12345678900000 » : 14 chiffres avec une clé de contrôle juste attendus'
      },
      {
        row: 5,
        field: 'amount',
        column: 'Montant TTC (€)',
        severity: 'error',
        message: 'Montant nul ou négatif (un avoir ne s’importe pas)'
      }
    ])
    expect(
      plan.rows.map((r) => [r.row, r.invoiceNumber, r.amountCents, r.dueOn, r.debtorAction, r.caseAction])
    ).toEqual([
      [2, 'AZ-1', 123450, '2026-01-31', 'create', 'create'],
      [3, 'AZ-2', 250000, '2026-02-15', 'repeat', 'repeat'],
      [5, 'AZ-3', null, '2026-02-02', null, null]
    ])
    const debtor = plan.debtors[0]!
    expect(debtor.first).toMatchObject({
      siren: AZUR_SIRET.slice(0, 9),
      siret: AZUR_SIRET,
      issuedOn: '2025-12-31',
      description: 'Fret décembre'
    })
    expect(debtor.address).toEqual({ line1: '1 bd Gambetta', line2: null, postalCode: '06000', city: 'NICE' })
    expect(debtor.phones).toEqual(['+33612345678'])
  })

  it('does not take a debtor’s second invoice for a misspelling when its name begins and ends alike', async () => {
    // "monique simon": its identity words begin and end with "mon" (one bucket, not two).
    const file = utf8(
      [
        'Nom;Prénom;CP;Ville;Adresse;N° facture;Échéance;Montant',
        'Simon;Monique;35000;Rennes;3 rue Hoche;SM-1;01/02/2026;10',
        'Simon;Monique;35000;Rennes;3 rue Hoche;SM-2;01/03/2026;20',
        'Simon;Moniqe;35000;Rennes;3 rue Hoche;SM-3;01/03/2026;30'
      ].join('\n')
    )
    const { plan } = await analyzeAndPlan(file, 'simon.csv')
    expect(plan.problems.map((p) => [p.row, p.message])).toEqual([
      [
        4,
        'Même débiteur que ligne 2 sous une autre orthographe ? « SIMON Moniqe » / « SIMON Monique » : harmonisez le nom'
      ]
    ])
    expect(plan.rows.map((r) => [r.row, r.debtorAction, r.caseAction])).toEqual([
      [2, 'create', 'create'],
      [3, 'repeat', 'repeat'],
      [4, null, null]
    ])
  })

  it('reads a UTF-8 CSV with BOM, comma separator and English headers', async () => {
    const file = utf8(
      [
        'Company,Last name,First name,Zip,City,Address,Invoice number,Invoice date,Due date,Amount due,Email',
        ',Roux,Anaïs,75011,Paris,"10, rue Oberkampf",INV-1,2026-01-05,2026-02-04,"1,234.56",ANAIS.ROUX@EXAMPLE.FR',
        ',Roux,Anaïs,75011,Paris,"10, rue Oberkampf",INV-2,05/01/2026,04/02/2026,12.5,'
      ].join('\r\n'),
      true
    )
    const { analysis, plan } = await analyzeAndPlan(file, 'export.csv')
    expect(analysis).toMatchObject({ encoding: 'utf-8-bom', separator: ',' })
    expect(plan.problems).toEqual([])
    expect(plan.rows.map((r) => [r.debtorName, r.amountCents, r.debtorAction])).toEqual([
      ['ROUX Anaïs', 123456, 'create'],
      ['ROUX Anaïs', 1250, 'repeat']
    ])
    expect(plan.debtors[0]!.emails).toEqual(['anais.roux@example.fr'])
    expect(plan.debtors[0]!.address?.line1).toBe('10, rue Oberkampf')
  })
})

describe('command line', () => {
  it('prints the preview of a file without writing anything (--dry-run), then imports it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const { runImportCli, formatImportCli } = await import('../../../src-main/modules/imports/imports-cli')
    const dir = mkdtempSync(join(tmpdir(), 'recouvra-import-cli-'))
    const file = join(dir, 'relances.csv')
    writeFileSync(
      file,
      windows1252(
        [
          'Nom;Prénom;CP;Ville;Adresse;N° facture;Échéance;Montant TTC',
          'Perrin;Hugo;59000;Lille;4 rue Nationale;CLI-1;15/03/2026;1 500,00 €',
          'Perrin;Hugo;59000;Lille;4 rue Nationale;CLI-2;15/04/2026;abc'
        ].join('\r\n')
      )
    )
    const [client] = await app.call('clients:list', {})
    const before = await count('collection_case')
    const preview = await runImportCli(app, { file, client: client!.code, 'dry-run': true })
    expect(await count('collection_case')).toBe(before)
    expect(formatImportCli(preview)).toBe(
      [
        'Aperçu (rien n’est enregistré) : relances.csv — CSV Windows-1252 (ANSI), séparateur point-virgule',
        `Client ${client!.code} ${client!.legalName}, mandat ${preview.mandate}${preview.mappingName ? ` , modèle « ${preview.mappingName} »`.replace(' ,', ',') : ''}`,
        'Colonnes : Nom ← « Nom », Prénom ← « Prénom », Adresse ← « Adresse », Code postal ← « CP », Ville ← « Ville », N° de facture ← « N° facture », Échéance ← « Échéance », Montant TTC ← « Montant TTC »',
        '2 ligne(s) : 1 à importer, 1 en erreur, 0 avec avertissement',
        '  Débiteurs : 1 nouveau(x), 0 existant(s) retrouvé(s)',
        '  Dossiers : 1 nouveau(x), 0 dossier(s) en cours complété(s)',
        '  Créances : 1 pour 1\u202f500,00\u00a0€',
        '',
        'Problèmes :',
        '  ligne 3, colonne « Montant TTC » — erreur : Montant illisible « abc »'
      ].join('\n')
    )
    await expect(runImportCli(app, { file, client: client!.code })).rejects.toThrow('1 ligne(s) en erreur')
    const done = await runImportCli(app, { file, client: client!.legalName.toUpperCase(), 'skip-errors': true })
    expect(done.batch?.counts).toMatchObject({ importedRows: 1, newCases: 1 })
    expect(await count('collection_case')).toBe(before + 1)
    await expect(runImportCli(app, { file, client: 'Nobody' })).rejects.toThrow(
      'aucun client ne correspond à « Nobody ».'
    )
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CASE_AGE_BUCKETS,
  CASE_SORT_FIELDS,
  type CaseSortField,
  type CaseSummary,
  type ReportExportInput,
  type ReportFile
} from '@shared/contract'
import { addDays, addMonths, todayInParis } from '@shared/dates/calendar-date'
import { ageBucketOf, excelSerial, monthStart } from '@shared/reports/figures'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp, TEST_TODAY } from '../helpers/temp-app'

/**
 * Each report written through the channel (as the app does), reopened with exceljs, its totals
 * checked against the database with SQL of the test's own, and against the dashboard.
 */

let app: RecouvraApp
let dispose: () => Promise<void>
const FROM = addMonths(monthStart(TEST_TODAY), -11)

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 600, seed: 11 }))
})
afterAll(() => dispose())

async function exported(input: ReportExportInput): Promise<{ file: ReportFile; book: ExcelJS.Workbook }> {
  const file = await app.call('reports:export', input)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(Buffer.from(file.base64, 'base64') as never)
  // The same bytes are in the data folder.
  expect(readFileSync(file.path).toString('base64')).toBe(file.base64)
  return { file, book }
}

const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
  app.db.read((manager) => manager.query(sql, params) as Promise<T[]>)

/** The totals row of a table sheet: header names → cell results (numbers), plus its formulas. */
function totals(sheet: ExcelJS.Worksheet): { values: Record<string, unknown>; formulas: Record<string, string> } {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String)
  const last = sheet.getRow(sheet.rowCount)
  expect(last.getCell(1).value).toBe('Total')
  const values: Record<string, unknown> = {}
  const formulas: Record<string, string> = {}
  headers.forEach((header, i) => {
    const value = last.getCell(i + 1).value as ExcelJS.CellFormulaValue | number | string | null
    if (value && typeof value === 'object' && 'formula' in value) {
      // exceljs leaves out a cached result of 0: Excel recalculates it on opening.
      values[header] = value.result ?? 0
      formulas[header] = value.formula
    } else values[header] = value
  })
  return { values, formulas }
}

/** Data rows (between the header and the blank line before the totals), as header → value. */
function dataRows(sheet: ExcelJS.Worksheet): Array<Record<string, unknown>> {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String)
  const rows: Array<Record<string, unknown>> = []
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r)
    if (!row.hasValues) break
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])))
  }
  return rows
}

const euros = (cents: number) => cents / 100
const close = (a: unknown, b: number) => expect(Number(a)).toBeCloseTo(b, 2)

function checkTable(sheet: ExcelJS.Worksheet): void {
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
  expect(sheet.autoFilter).toBeTruthy()
  expect(sheet.getRow(1).font?.bold ?? sheet.getRow(1).getCell(1).font?.bold).toBe(true)
}

describe('aging balance', () => {
  it('by client and collector: totals equal the database and the portfolio age filter', async () => {
    const { book } = await exported({ kind: 'aging' })
    expect(book.worksheets.map((s) => s.name)).toEqual(['Paramètres', 'Par client', 'Par chargé de recouvrement'])
    const cover = book.getWorksheet('Paramètres')!
    expect(cover.getCell('A1').value).toBe('Balance âgée')
    // Arrêté au: a real Excel date, the calendar day itself.
    const asOfRow = cover.getRows(1, cover.rowCount)!.find((r) => r.getCell(1).value === 'Arrêté au')!
    expect((asOfRow.getCell(2).value as Date).toISOString().slice(0, 10)).toBe(TEST_TODAY)

    // The test's own figures: every open or suspended case with an unpaid due date.
    const cases = await query<{ b: number; d: string; client: string }>(
      `SELECT balance_cents AS b, oldest_due_on AS d, client_id AS client FROM collection_case
       WHERE status IN ('open', 'suspended') AND oldest_due_on IS NOT NULL`
    )
    const byBucket = new Map<string, number>()
    for (const c of cases) {
      const days = Math.max(0, (Date.parse(TEST_TODAY) - Date.parse(c.d)) / 86_400_000)
      const bucket = ageBucketOf(days)
      byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + Number(c.b))
    }
    const total = cases.reduce((s, c) => s + Number(c.b), 0)
    for (const name of ['Par client', 'Par chargé de recouvrement']) {
      const sheet = book.getWorksheet(name)!
      checkTable(sheet)
      const { values, formulas } = totals(sheet)
      expect(values['Dossiers']).toBe(cases.length)
      close(values['Solde dû total'], euros(total))
      expect(formulas['Solde dû total']).toMatch(/^SUBTOTAL\(109,H2:H\d+\)$/)
      CASE_AGE_BUCKETS.forEach((bucket, i) => {
        const header = (sheet.getRow(1).getCell(3 + i).value as string) ?? ''
        close(values[header], euros(byBucket.get(bucket) ?? 0))
      })
    }
    // Same as the portfolio's own filter, bucket by bucket, and as the dashboard.
    const dashboard = await app.call('reports:dashboard', {})
    for (const bucket of CASE_AGE_BUCKETS) {
      const page = await app.call('cases:list', {
        limit: 1,
        filters: { statuses: ['open', 'suspended'], ageBuckets: [bucket] }
      })
      expect(page.totalBalanceCents).toBe(byBucket.get(bucket) ?? 0)
      expect(dashboard.aging.find((a) => a.bucket === bucket)!.balanceCents).toBe(page.totalBalanceCents)
    }
    // A client's line is that client's cases.
    const rows = dataRows(book.getWorksheet('Par client')!)
    const first = rows[0]!
    const clientName = String(first['Client'])
    const [client] = await query<{ id: string }>('SELECT id FROM client WHERE legal_name = ?', [clientName])
    const own = cases.filter((c) => c.client === client!.id)
    close(first['Solde dû total'], euros(own.reduce((s, c) => s + Number(c.b), 0)))
  })

  it('follows the client filter', async () => {
    const [client] = await query<{ id: string; name: string }>(
      `SELECT cl.id, cl.legal_name AS name FROM client cl JOIN collection_case c ON c.client_id = cl.id
       WHERE c.status = 'open' GROUP BY cl.id ORDER BY COUNT(*) DESC LIMIT 1`
    )
    const { book } = await exported({ kind: 'aging', scope: { clientIds: [client!.id] } })
    const rows = dataRows(book.getWorksheet('Par client')!)
    expect(rows.map((r) => r['Client'])).toEqual([client!.name])
    const cover = book.getWorksheet('Paramètres')!
    expect(cover.getRows(1, cover.rowCount)!.some((r) => r.getCell(2).value === client!.name)).toBe(true)
  })
})

describe('recovery performance', () => {
  it('placed, recovered and rate by client, month and phase reached equal the case summaries', async () => {
    const { book } = await exported({ kind: 'recovery' })
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Paramètres',
      'Par client',
      'Par mois d’ouverture',
      'Par phase atteinte'
    ])
    const [db] = await query<{ n: number; p: number; r: number; b: number }>(
      `SELECT COUNT(*) AS n, SUM(principal_cents) AS p, SUM(paid_cents) AS r, SUM(balance_cents) AS b
       FROM collection_case WHERE opened_on >= ? AND opened_on <= ?`,
      [FROM, TEST_TODAY]
    )
    expect(db!.n).toBeGreaterThan(0)
    for (const sheet of book.worksheets.slice(1)) {
      checkTable(sheet)
      const { values, formulas } = totals(sheet)
      expect(values['Dossiers confiés']).toBe(Number(db!.n))
      close(values['Montant confié'], euros(Number(db!.p)))
      close(values['Recouvré'], euros(Number(db!.r)))
      close(values['Solde restant dû'], euros(Number(db!.b)))
      expect(Number(values['Taux de recouvrement'])).toBeCloseTo(Number(db!.r) / Number(db!.p), 10)
      expect(formulas['Taux de recouvrement']).toMatch(/^IF\(C\d+=0,0,D\d+\/C\d+\)$/)
    }
    // Months: one line per month of the period, as real dates (first of the month).
    const months = dataRows(book.getWorksheet('Par mois d’ouverture')!)
    expect(months).toHaveLength(12)
    expect((months[0]!['Mois d’ouverture'] as Date).toISOString().slice(0, 10)).toBe(FROM)
    // Cash collected in the month: the payments received.
    const [cash] = await query<{ s: number }>(
      'SELECT SUM(amount_cents) AS s FROM payment WHERE received_on >= ? AND received_on <= ?',
      [FROM, TEST_TODAY]
    )
    close(totals(book.getWorksheet('Par mois d’ouverture')!).values['Encaissements du mois'], euros(Number(cash!.s)))
    // The dashboard shows the same totals.
    const dashboard = await app.call('reports:dashboard', {})
    expect(dashboard.totals.placedCents).toBe(Number(db!.p))
    expect(dashboard.totals.recoveredCents).toBe(Number(db!.r))
    expect(dashboard.totals.collectedCents).toBe(Number(cash!.s))
    expect(dashboard.months.reduce((s, m) => s + m.placedCents, 0)).toBe(Number(db!.p))
  })
})

describe('collector activity', () => {
  it('calls, contacts, promises, plans and collections equal the journal and the records', async () => {
    const { book } = await exported({ kind: 'activity' })
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'Paramètres',
      'Par chargé de recouvrement',
      'Par semaine',
      'Chargé et semaine'
    ])
    const end = addDays(TEST_TODAY, 1)
    const [calls] = await query<{ n: number; c: number }>(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN json_extract(details, '$.outcome') IN ('message_left', 'no_answer', 'wrong_number') THEN 0 ELSE 1 END) AS c
       FROM journal_entry WHERE kind = 'call' AND occurred_at >= ? AND occurred_at < ?`,
      [FROM, end]
    )
    const [promises] = await query<{ n: number; kept: number; judged: number }>(
      `SELECT COUNT(*) AS n, SUM(status = 'kept') AS kept, SUM(status IN ('kept', 'broken', 'partially_kept')) AS judged
       FROM payment_promise WHERE made_on >= ? AND made_on <= ?`,
      [FROM, TEST_TODAY]
    )
    const [plans] = await query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM payment_plan WHERE created_at >= ? AND created_at < ?',
      [FROM, end]
    )
    const [cash] = await query<{ s: number }>(
      'SELECT SUM(amount_cents) AS s FROM payment WHERE received_on >= ? AND received_on <= ?',
      [FROM, TEST_TODAY]
    )
    expect(Number(calls!.n)).toBeGreaterThan(0)
    for (const sheet of book.worksheets.slice(1)) {
      checkTable(sheet)
      const { values } = totals(sheet)
      expect(values['Appels']).toBe(Number(calls!.n))
      expect(values['Contacts']).toBe(Number(calls!.c))
      expect(Number(values['Taux de contact'])).toBeCloseTo(Number(calls!.c) / Number(calls!.n), 10)
      expect(values['Promesses faites']).toBe(Number(promises!.n))
      expect(values['Promesses tenues']).toBe(Number(promises!.kept))
      expect(values['Promesses échues']).toBe(Number(promises!.judged))
      expect(values['Échéanciers négociés']).toBe(Number(plans!.n))
      close(values['Encaissé'], euros(Number(cash!.s)))
    }
    // Weeks are Mondays, written as real dates.
    for (const row of dataRows(book.getWorksheet('Par semaine')!)) {
      expect((row['Semaine du'] as Date).getUTCDay()).toBe(1)
    }
    const dashboard = await app.call('reports:dashboard', {})
    expect(dashboard.collectors.reduce((s, c) => s + c.calls, 0)).toBe(Number(calls!.n))
    expect(dashboard.promises.keptRate).toBeCloseTo(Number(promises!.kept) / Number(promises!.judged), 10)
    // Row by row, the dashboard's collector chart is the workbook's per-collector sheet.
    const sheetRows = dataRows(book.getWorksheet('Par chargé de recouvrement')!).map((r) => [
      r['Chargé de recouvrement'],
      r['Appels'],
      r['Contacts'],
      r['Promesses faites'],
      r['Promesses tenues'],
      r['Échéanciers négociés'],
      Math.round(Number(r['Encaissé']) * 100)
    ])
    expect(sheetRows).toEqual(
      dashboard.collectors.map((c) => [
        c.collectorName,
        c.calls,
        c.contacts,
        c.promisesMade,
        c.promisesKept,
        c.plansNegotiated,
        c.collectedCents
      ])
    )
  })
})

describe('dashboard filtered by client', () => {
  it('counts only that client’s cases, calls and payments', async () => {
    const [client] = await query<{ id: string }>(
      'SELECT client_id AS id FROM collection_case GROUP BY client_id ORDER BY COUNT(*) DESC LIMIT 1'
    )
    const id = client!.id
    const dashboard = await app.call('reports:dashboard', { clientIds: [id] })
    const [calls] = await query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM journal_entry j JOIN collection_case c ON c.id = j.case_id
       WHERE j.kind = 'call' AND c.client_id = ? AND j.occurred_at >= ? AND j.occurred_at < ?`,
      [id, FROM, addDays(TEST_TODAY, 1)]
    )
    const [cash] = await query<{ s: number }>(
      `SELECT COALESCE(SUM(p.amount_cents), 0) AS s FROM payment p JOIN collection_case c ON c.id = p.case_id
       WHERE c.client_id = ? AND p.received_on >= ? AND p.received_on <= ?`,
      [id, FROM, TEST_TODAY]
    )
    const open = await app.call('cases:list', {
      limit: 1,
      filters: { statuses: ['open', 'suspended'], clientIds: [id] }
    })
    expect(dashboard.collectors.reduce((s, c) => s + c.calls, 0)).toBe(Number(calls!.n))
    expect(dashboard.totals.collectedCents).toBe(Number(cash!.s))
    expect(dashboard.totals.openCount).toBe(open.total)
    expect(dashboard.totals.openBalanceCents).toBe(open.totalBalanceCents)
  })
})

describe('remittance statements', () => {
  it('are the remittance previews of each client, totalled', async () => {
    const from = addMonths(monthStart(TEST_TODAY), -3)
    const { book } = await exported({ kind: 'remittance', scope: { from, to: TEST_TODAY } })
    const summary = book.getWorksheet('Synthèse par client')!
    checkTable(summary)
    const rows = dataRows(summary)
    expect(rows.length).toBeGreaterThan(0)
    const clients = await query<{ id: string; name: string }>('SELECT id, legal_name AS name FROM client')
    let commission = 0
    let agency = 0
    for (const row of rows) {
      const client = clients.find((c) => c.name === row['Client'])!
      const preview = await app.call('remittances:preview', { clientId: client.id, from, to: TEST_TODAY })
      close(row['Commission HT'], euros(preview.totals.commissionCents))
      close(row['À reverser'], euros(preview.totals.toRemitCents))
      commission += preview.totals.commissionCents
      agency += preview.totals.agencyCollectedCents
    }
    close(totals(summary).values['Commission HT'], euros(commission))
    close(totals(summary).values['Encaissé par le cabinet'], euros(agency))
    const [collected] = await query<{ s: number }>(
      `SELECT SUM(amount_cents) AS s FROM payment WHERE collected_on >= ? AND collected_on <= ?`,
      [from, TEST_TODAY]
    )
    close(totals(book.getWorksheet('Détail des paiements')!).values['Montant'], euros(Number(collected!.s)))
  })
})

describe('portfolio export', () => {
  it('is the filtered and sorted view, every page, with the totals of cases:list', async () => {
    const filters = {
      statuses: ['open' as const, 'suspended' as const],
      ageBuckets: ['91-180' as const, '181+' as const]
    }
    const sort = { field: 'balance' as const, direction: 'desc' as const }
    const { file, book } = await exported({ kind: 'cases', filters, sort })
    const expected: string[] = []
    let page
    for (let offset = 0; ; offset += 100) {
      page = await app.call('cases:list', { offset, limit: 100, filters, sort })
      expected.push(...page.rows.map((r) => r.reference))
      if (expected.length >= page.total) break
    }
    const sheet = book.getWorksheet('Dossiers')!
    checkTable(sheet)
    const rows = dataRows(sheet)
    expect(file.rowCount).toBe(page.total)
    expect(rows.map((r) => r['Référence'])).toEqual(expected)
    close(totals(sheet).values['Solde dû'], euros(page.totalBalanceCents))
    // Dates are the calendar days themselves (no time zone shift).
    const first = await app.call('cases:get-summary', {
      id: (await query<{ id: string }>('SELECT id FROM collection_case WHERE reference = ?', [expected[0]]))[0]!.id
    })
    expect((rows[0]!['Ouvert le'] as Date).toISOString().slice(0, 10)).toBe(first.openedOn)
    expect(rows[0]!['Jours de retard']).toBe(first.daysPastDue)
    // The last contact is an instant: its day in France.
    const contacted = await query<{ id: string; at: string }>(
      'SELECT id, last_contact_at AS at FROM collection_case WHERE last_contact_at IS NOT NULL AND reference IN (SELECT value FROM json_each(?))',
      [JSON.stringify(expected)]
    )
    const byReference = new Map(rows.map((r) => [r['Référence'], r]))
    for (const c of contacted.slice(0, 50)) {
      const summary = await app.call('cases:get-summary', { id: c.id })
      const row = byReference.get(summary.reference)!
      expect((row['Dernier contact'] as Date).toISOString().slice(0, 10)).toBe(todayInParis(new Date(c.at)))
    }
    expect(file.fileName).toMatch(/^portefeuille-\d{4}-\d\d-\d\d-\d{4}\.xlsx$/)
    expect(file.path).toBe(join(app.db.dataDir, 'exports', file.fileName))
  })
})

describe('portfolio export read in one pass (ids in display order, rows by key)', () => {
  it('gives, for every sort and a filtered view, the rows position-paged cases:list gives, in the same order', async () => {
    const views: Array<{ sort: { field: CaseSortField; direction: 'asc' | 'desc' }; filters: object }> = [
      ...CASE_SORT_FIELDS.map((field, i) => ({
        sort: { field, direction: i % 2 ? ('desc' as const) : ('asc' as const) },
        filters: {}
      })),
      { sort: { field: 'collectorName', direction: 'asc' }, filters: { statuses: ['open'] } },
      { sort: { field: 'prescriptionOn', direction: 'desc' }, filters: { ageBuckets: ['181+'] } }
    ]
    for (const view of views) {
      const paged: CaseSummary[] = []
      for (let offset = 0; ; offset += 70) {
        const page = await app.call('cases:list', {
          offset,
          limit: 70,
          filters: view.filters,
          sort: view.sort
        } as never)
        paged.push(...page.rows)
        if (page.rows.length < 70 || paged.length >= page.total) break
      }
      const { ids, asOf } = await app.services.cases.orderedIds({ ...view, asOf: TEST_TODAY } as never)
      expect(ids, JSON.stringify(view)).toEqual(paged.map((r) => r.id))
      expect(await app.services.cases.summariesOf(ids, asOf)).toEqual(paged)
      const { file } = await exported({ kind: 'cases', ...view } as ReportExportInput)
      expect(file.rowCount).toBe(paged.length)
    }
  })
})

describe('excel dates', () => {
  it('are serial numbers of the calendar day', () => {
    expect(excelSerial('1900-03-01')).toBe(61)
    expect(excelSerial('2026-11-23')).toBe(46349)
  })
})

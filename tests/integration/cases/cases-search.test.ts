import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseListQuery, CasePage } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { parseSearch, storedNumberForm } from '../../../src-main/modules/search/search-text'
import { openTempApp, TEST_NOW } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { sqlDialect } from '../../../src-main/db/dialect'

let app: RecouvraApp
let dispose: () => Promise<void>
let dataDir: string

/** Two cases written the way a service would: rows, then SearchIndex.indexCase in the same transaction. */
const FIX = {
  debtor: '0192f000-0000-7000-8000-0000000d0001',
  company: '0192f000-0000-7000-8000-0000000d0002',
  case: '0192f000-0000-7000-8000-0000000c0001',
  companyCase: '0192f000-0000-7000-8000-0000000c0002',
  claim: '0192f000-0000-7000-8000-0000000f0001',
  reference: 'REC-2026-990001',
  companyReference: 'REC-2026-990002',
  invoice: 'FAC-2026-99123',
  mobile: '+33612345678',
  landline: '+33478912345',
  email: 'helene.lefevre@exemple.fr',
  siren: '552100554',
  siret: '55210055400013'
}

beforeAll(async () => {
  ;({ app, dispose, dataDir } = await openTempApp({ demoCases: 1200, seed: 11 }))
  await app.db.write(async (manager) => {
    const [mandate] = await manager.query('SELECT id, client_id FROM mandate ORDER BY id LIMIT 1')
    const now = TEST_NOW
    const record = `'${now}', '${now}', 1`
    await manager.query(
      `INSERT INTO debtor (id, created_at, updated_at, version, kind, civility, first_name, last_name, display_name, acts_professionally)
       VALUES (?, ${record}, 'individual', 'Mme', 'Hélène', 'Lefèvre', 'LEFÈVRE Hélène', FALSE)`,
      [FIX.debtor]
    )
    await manager.query(
      `INSERT INTO debtor (id, created_at, updated_at, version, kind, legal_name, display_name, siren, siret, acts_professionally)
       VALUES (?, ${record}, 'company', 'Boulangerie de l’Église SARL', 'BOULANGERIE DE L’ÉGLISE SARL', ?, ?, TRUE)`,
      [FIX.company, FIX.siren, FIX.siret]
    )
    for (const [id, debtor, reference] of [
      [FIX.case, FIX.debtor, FIX.reference],
      [FIX.companyCase, FIX.company, FIX.companyReference]
    ]) {
      await manager.query(
        `INSERT INTO collection_case (id, created_at, updated_at, version, reference, client_id, mandate_id, debtor_id, phase, status, priority, opened_on, principal_cents, balance_cents, oldest_due_on)
         VALUES (?, ${record}, ?, ?, ?, ?, 'amicable', 'open', 'normal', '2026-11-01', 123456, 123456, '2026-09-30')`,
        [id, reference, mandate.client_id, mandate.id, debtor]
      )
    }
    await manager.query(
      `INSERT INTO claim (id, created_at, updated_at, version, case_id, client_id, invoice_number, issued_on, due_on, principal_cents, interest_basis)
       VALUES (?, ${record}, ?, ?, ?, '2026-08-31', '2026-09-30', 123456, 'legal')`,
      [FIX.claim, FIX.case, mandate.client_id, FIX.invoice]
    )
    let n = 0
    for (const number of [FIX.mobile, FIX.landline]) {
      await manager.query(
        `INSERT INTO debtor_phone (id, created_at, updated_at, version, debtor_id, number, kind, status) VALUES (?, ${record}, ?, ?, 'mobile', 'valid')`,
        [`0192f000-0000-7000-8000-0000000e000${++n}`, FIX.debtor, number]
      )
    }
    await manager.query(
      `INSERT INTO debtor_email (id, created_at, updated_at, version, debtor_id, address, status) VALUES (?, ${record}, ?, ?, 'valid')`,
      ['0192f000-0000-7000-8000-0000000e0009', FIX.debtor, FIX.email]
    )
    await app.services.search.indexCases(manager, [FIX.case, FIX.companyCase])
  })
})
afterAll(() => dispose())

const list = (text: string, extra: Partial<CaseListQuery> = {}): Promise<CasePage> =>
  app.call('cases:list', { limit: 500, ...extra, filters: { ...extra.filters, text } })
const ids = async (text: string) => (await list(text)).rows.map((r) => r.id)

describe('search: one box for names, references, invoices, phones, emails, SIREN', () => {
  it.each([
    ['lefev', 'accents ignored, beginning of a word'],
    ['LEFÈV', 'upper case with the accent'],
    ['Lefèvre', 'the whole name'],
    ['hélène lef', 'two words, any order'],
    ['lefevre helene', 'two words, the order of the display name'],
    ['Helene', 'first name only']
  ])('finds Hélène Lefèvre by "%s" (%s)', async (text) => {
    expect(await ids(text)).toContain(FIX.case)
  })

  it.each([
    '06 12 34 56 78',
    '0612345678',
    '06.12.34.56.78',
    '06-12-34-56-78',
    '+33 6 12 34 56 78',
    '+33612345678',
    '0033 6 12 34 56 78',
    '+33 (0)6 12 34 56 78',
    '06 12 34',
    '04 78 91 23 45'
  ])('finds her by the phone number typed as "%s"', async (text) => {
    expect(await ids(text)).toContain(FIX.case)
  })

  it('finds a case by reference, invoice number, email, SIREN and SIRET, whole or begun', async () => {
    expect(await ids(FIX.reference)).toEqual([FIX.case])
    expect(await ids('rec-2026-99000')).toEqual(expect.arrayContaining([FIX.case, FIX.companyCase]))
    expect(await ids('990001')).toEqual([FIX.case])
    expect(await ids(FIX.invoice)).toEqual([FIX.case])
    expect(await ids('fac-2026-991')).toContain(FIX.case)
    expect(await ids(FIX.email)).toEqual([FIX.case])
    expect(await ids('helene.lefevre@')).toEqual([FIX.case])
    expect(await ids('552 100 554')).toEqual([FIX.companyCase])
    expect(await ids('552100554')).toEqual([FIX.companyCase])
    expect(await ids('552 100 554 00013')).toEqual([FIX.companyCase])
    expect(await ids('boulangerie eglise')).toContain(FIX.companyCase)
    expect(await ids('l’église')).toContain(FIX.companyCase)
  })

  it('does not filter on too little, finds nothing on nothing searchable', async () => {
    const all = await app.call('cases:list', { limit: 1 })
    for (const text of ['l', 'é', '06', '  ']) {
      const page = await list(text, { limit: 1 })
      expect(page.total, text).toBe(all.total)
      expect(page.searchIgnored, text).toBe(text.trim() !== '')
    }
    for (const text of ['%', '_', '--', '"', '*', 'NEAR(', ')']) {
      const page = await list(text)
      expect(page.total, text).toBe(0)
      expect(page.searchIgnored).toBe(false)
    }
    // FTS5 syntax typed by someone is just text.
    expect(await ids('lefev* OR a')).toEqual([])
    expect(await ids('"lefev"')).toContain(FIX.case)
  })

  it('a search every case matches (a reference being typed) gives the list without it', async () => {
    const all = await app.call('cases:list', { limit: 20, sort: { field: 'balance', direction: 'desc' } })
    for (const text of ['rec', 'REC-', 'REC-20']) {
      const page = await list(text, { limit: 20, sort: { field: 'balance', direction: 'desc' } })
      expect(page.total, text).toBe(all.total)
      expect(page.rows, text).toEqual(all.rows)
      expect(page.searchIgnored).toBe(false)
    }
    expect((await list('REC-2026-99')).total).toBe(2)
  })

  it('combines a search with filters, sorts and totals', async () => {
    const page = await list('lefev', { filters: { statuses: ['open'] }, sort: { field: 'balance', direction: 'desc' } })
    expect(page.rows.map((r) => r.id)).toContain(FIX.case)
    expect(page.rows.every((r) => r.status === 'open')).toBe(true)
    const balances = page.rows.map((r) => r.balanceCents)
    expect([...balances].sort((a, b) => b - a)).toEqual(balances)
    expect(page.totalBalanceCents).toBe(page.rows.reduce((sum, r) => sum + r.balanceCents, 0))
    expect((await list('lefev', { filters: { statuses: ['closed'] } })).rows.map((r) => r.id)).not.toContain(FIX.case)
  })
})

/** Every case's searchable text, read from the tables (the FTS index is never read here). */
async function documents(): Promise<Map<string, string[][]>> {
  const rows: Array<{
    id: string
    display_name: string
    legal_name: string | null
    reference: string
    siren: string | null
    siret: string | null
    invoices: string | null
    phones: string | null
    emails: string | null
  }> = await app.db.read((manager) => {
    const concat = (column: string) => sqlDialect(manager).groupConcat(column, "' '")
    return manager.query(`SELECT c.id, d.display_name, d.legal_name, c.reference, d.siren, d.siret,
        (SELECT ${concat('invoice_number')} FROM claim WHERE case_id = c.id) AS invoices,
        (SELECT ${concat('number')} FROM debtor_phone WHERE debtor_id = d.id) AS phones,
        (SELECT ${concat('address')} FROM debtor_email WHERE debtor_id = d.id) AS emails
      FROM collection_case c JOIN debtor d ON d.id = c.debtor_id`)
  })
  const tokens = (text: string) =>
    (
      text
        .normalize('NFD')
        .replace(/\p{M}+/gu, '')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? []
    ).map(String)
  return new Map(
    rows.map((r) => [
      r.id,
      [
        tokens(`${r.display_name} ${r.legal_name ?? ''}`),
        tokens([r.reference, r.siren, r.siret, r.invoices].filter(Boolean).join(' ')),
        tokens([...(r.phones ?? '').split(' ').filter(Boolean).map(storedNumberForm), r.emails ?? ''].join(' '))
      ]
    ])
  )
}

/** The search semantics, restated over plain token lists. */
function matches(columns: string[][], text: string): boolean {
  const parsed = parseSearch(text)
  if (parsed.kind !== 'search') throw new Error(`not a search: ${text}`)
  const fold = (w: string) =>
    w
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
  const phrase = (words: string[]) =>
    columns.some((tokens) =>
      tokens.some((_, start) =>
        words.every((word, i) =>
          i === words.length - 1 ? (tokens[start + i] ?? '').startsWith(fold(word)) : tokens[start + i] === fold(word)
        )
      )
    )
  if (parsed.number !== null && phrase([parsed.number])) return true
  return parsed.chunks.every(phrase)
}

describe('search over the whole demo portfolio agrees with the same rules applied to the tables', () => {
  it('for name beginnings, emails, phones in every format, invoices and SIREN', async () => {
    const docs = await documents()
    const sample: Array<{
      display_name: string
      reference: string
      invoice: string
      phone: string
      email: string
      siren: string
    }> = await app.db.read((manager) =>
      manager.query(`SELECT d.display_name, c.reference,
            (SELECT invoice_number FROM claim WHERE case_id = c.id ORDER BY invoice_number LIMIT 1) AS invoice,
            (SELECT number FROM debtor_phone WHERE debtor_id = d.id ORDER BY number LIMIT 1) AS phone,
            (SELECT address FROM debtor_email WHERE debtor_id = d.id ORDER BY address LIMIT 1) AS email,
            d.siren
          FROM collection_case c JOIN debtor d ON d.id = c.debtor_id
          WHERE d.siren IS NOT NULL AND EXISTS (SELECT 1 FROM debtor_email WHERE debtor_id = d.id)
            AND EXISTS (SELECT 1 FROM debtor_phone WHERE debtor_id = d.id AND number LIKE '+33%')
          ORDER BY c.reference LIMIT 12`)
    )
    expect(sample.length).toBeGreaterThan(5)
    const texts = sample.flatMap((s) => {
      const national = storedNumberForm(s.phone)
      const words = s.display_name.split(/\s+/)
      return [
        words[0]!.slice(0, 3),
        words.at(-1)!.slice(0, 4).toLowerCase(),
        `${words.at(-1)} ${words[0]!.slice(0, 2)}`,
        s.reference.slice(0, 12),
        s.invoice,
        s.invoice.slice(0, -2),
        s.email,
        s.email.split('@')[0]!,
        national.replace(/(\d{2})(?=\d)/g, '$1 '),
        `+33 ${national.slice(1, 2)} ${national.slice(2, 6)}`,
        national.replace(/(\d{2})(?=\d)/g, '$1.').slice(0, 8),
        s.siren.replace(/(\d{3})(?=\d)/g, '$1 ')
      ]
    })
    for (const text of texts) {
      const expected = [...docs].filter(([, columns]) => matches(columns, text)).map(([id]) => id)
      const page = await list(text, { limit: 500 })
      expect(page.total, text).toBe(expected.length)
      expect(page.total, text).toBeGreaterThan(0)
      expect(page.rows.map((r) => r.id).sort(), text).toEqual(expected.sort().slice(0, 500))
    }
  })
})

describe('the index stays in step with the tables', () => {
  it('a new phone or email is found once the debtor is re-indexed, a renamed debtor sorts and matches anew', async () => {
    expect(await ids('07 88 77 66 55')).toEqual([])
    await app.db.write(async (manager) => {
      await manager.query(
        `INSERT INTO debtor_phone (id, created_at, updated_at, version, debtor_id, number, kind, status) VALUES (?, ?, ?, 1, ?, '+33788776655', 'mobile', 'unverified')`,
        ['0192f000-0000-7000-8000-0000000e0010', TEST_NOW, TEST_NOW, FIX.debtor]
      )
      await manager.query(`UPDATE debtor SET display_name = 'ÉTIENNE-LEFÈVRE Hélène' WHERE id = ?`, [FIX.debtor])
      await app.services.search.indexDebtor(manager, FIX.debtor)
    })
    expect(await ids('07 88 77 66 55')).toEqual([FIX.case])
    expect(await ids('etienne')).toContain(FIX.case)
    const [row] = await app.db.read((manager) =>
      manager.query('SELECT debtor_sort_name FROM collection_case WHERE id = ?', [FIX.case])
    )
    expect(row.debtor_sort_name).toBe('etienne lefevre helene')
  })

  it('a case a writer forgot to index is indexed at the next start; a case deleted is forgotten', async () => {
    const forgotten = '0192f000-0000-7000-8000-0000000c0003'
    await app.db.write(async (manager) => {
      const [mandate] = await manager.query('SELECT id, client_id FROM mandate ORDER BY id LIMIT 1')
      await manager.query(
        `INSERT INTO collection_case (id, created_at, updated_at, version, reference, client_id, mandate_id, debtor_id, phase, status, priority, opened_on)
         VALUES (?, ?, ?, 1, 'REC-2026-990003', ?, ?, ?, 'amicable', 'open', 'normal', '2026-11-02')`,
        [forgotten, TEST_NOW, TEST_NOW, mandate.client_id, mandate.id, FIX.company]
      )
    })
    expect(await ids('REC-2026-990003')).toEqual([])
    await app.services.search.ensureConsistent(app.db)
    expect(await ids('REC-2026-990003')).toEqual([forgotten])
    const [row] = await app.db.read((manager) =>
      manager.query('SELECT debtor_sort_name FROM collection_case WHERE id = ?', [forgotten])
    )
    expect(row.debtor_sort_name).toBe('boulangerie de l eglise sarl')

    await app.db.write(async (manager) => {
      await app.services.search.removeCase(manager, forgotten)
      await manager.query('DELETE FROM collection_case WHERE id = ?', [forgotten])
    })
    expect(await ids('REC-2026-990003')).toEqual([])
    expect(await ids('REC-2026-99000')).toEqual(expect.arrayContaining([FIX.case, FIX.companyCase]))
  })

  // SQLite drops and re-creates the portfolio's indexes around a bulk load; PostgreSQL keeps them.
  it.skipIf(testingOnPostgres())(
    'the bulk load of the demo leaves the case indexes exactly as the migrations made them',
    async () => {
      const indexes = (target: RecouvraApp) =>
        target.db.read((m) =>
          m.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'collection_case' ORDER BY name"
          )
        )
      const fresh = await openTempApp()
      try {
        expect(await indexes(app)).toEqual(await indexes(fresh.app))
      } finally {
        await fresh.dispose()
      }
    }
  )

  it('a rebuild finds the same cases as the index kept case by case', async () => {
    const before = await Promise.all(['lefev', 'boulangerie', '06 12 34', 'FAC-2026', 'gmail'].map(ids))
    await app.db.write((manager) => app.services.search.rebuild(manager))
    const after = await Promise.all(['lefev', 'boulangerie', '06 12 34', 'FAC-2026', 'gmail'].map(ids))
    expect(after).toEqual(before)
    expect(dataDir).toBeTruthy()
  })
})

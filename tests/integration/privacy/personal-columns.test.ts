import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { isAuditedTable } from '../../../src-main/modules/audit/audit-trail'
import { PERSONAL_COLUMNS } from '../../../src-main/modules/audit/personal-columns'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'

/**
 * Every column that can hold a debtor's personal data, in a table linked to a debtor, is either
 * in PERSONAL_COLUMNS (kept out of the audit chain, blanked by anonymisation) or listed here as
 * not personal, with the reason. A new table or column cannot slip through unnoticed.
 */

const LOOKS_PERSONAL =
  /(note|comment|reason|text|summary|description|details|facts|source|title|name|address|line|city|postal|phone|number|email|recipient|siren|siret|birth|court|reference|administrator|basis|value|values|json|payload|label|columns)/i

const NOT_PERSONAL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  collection_case: { reference: 'agency case reference (REC-…)', closure_reason: 'code', suspension_reason: 'code' },
  claim: { invoice_number: 'the creditor’s invoice number', interest_basis: 'code' },
  sync_conflict: { table_name: 'a table name' },
  letter: { reference: 'letter reference built from the case reference', tracking_number: 'La Poste tracking number' },
  document: { file_name: 'built from the letter reference', storage_path: 'content hash path' },
  legal_event: { court: 'court name', reference: 'court docket number of the agency’s claim' },
  insolvency_proceeding: {
    court: 'court name',
    reference: 'proceeding number',
    administrator: 'court-appointed administrator (a professional, not the debtor)'
  },
  case_deadline: { basis: 'legal basis of the deadline, app-written' },
  dunning_action: { step_name: 'name of the agency’s scenario step', tracking_number: 'La Poste tracking number' },
  payment: { reverses_payment_id: 'identifier' },
  journal_entry: { corrects_entry_id: 'identifier' }
}

let app: RecouvraApp
let dispose: () => Promise<void>
beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

// SQLite-specific: the file's bytes, SQLite's schema pragmas and migrations (PostgreSQL has its own).
describe.skipIf(testingOnPostgres())('personal columns', () => {
  it('are all classified in the tables linked to a debtor', async () => {
    const tables = (await app.db.read((m) =>
      m.query("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' ORDER BY name")
    )) as Array<{ name: string }>
    const unclassified: string[] = []
    for (const { name } of tables) {
      if (!isAuditedTable(name)) continue
      const columns = (await app.db.read((m) =>
        m.query('SELECT name, type FROM pragma_table_info(?)', [name])
      )) as Array<{
        name: string
        type: string
      }>
      const linked = name === 'debtor' || columns.some((c) => ['debtor_id', 'case_id', 'payment_id'].includes(c.name))
      if (!linked) continue
      for (const c of columns) {
        if (!/text|char/i.test(c.type) || c.name.endsWith('_id') || c.name === 'id') continue
        if (!LOOKS_PERSONAL.test(c.name)) continue
        if (PERSONAL_COLUMNS[name]?.columns.includes(c.name) || NOT_PERSONAL[name]?.[c.name]) continue
        unclassified.push(`${name}.${c.name}`)
      }
    }
    expect(unclassified, 'add them to personal-columns.ts or to NOT_PERSONAL here, with the reason').toEqual([])
  })

  it('name only columns that exist', async () => {
    for (const [table, spec] of Object.entries(PERSONAL_COLUMNS)) {
      const columns = (
        (await app.db.read((m) => m.query('SELECT name FROM pragma_table_info(?)', [table]))) as Array<{ name: string }>
      ).map((c) => c.name)
      expect(columns.length, table).toBeGreaterThan(0)
      for (const c of spec.columns) expect(columns, `${table}.${c}`).toContain(c)
    }
  })
})

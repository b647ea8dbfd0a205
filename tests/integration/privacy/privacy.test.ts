import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { openTempApp } from '../helpers/temp-app'

let app: RecouvraApp
let dispose: () => Promise<void>
let debtorId: string
let caseIds: string[]
beforeAll(async () => {
  ;({ app, dispose } = await openTempApp({ demoCases: 40 }))
  // A debtor with contacts and a note, whose cases all closed long ago.
  const [row] = await app.db.read((m) =>
    m.query(
      `SELECT d.id FROM debtor d WHERE EXISTS (SELECT 1 FROM debtor_phone p WHERE p.debtor_id = d.id)
       AND EXISTS (SELECT 1 FROM debtor_address a WHERE a.debtor_id = d.id) ORDER BY d.id LIMIT 1`
    )
  )
  debtorId = row.id
  caseIds = (await app.db.read((m) => m.query('SELECT id FROM collection_case WHERE debtor_id = ?', [debtorId]))).map(
    (r: { id: string }) => r.id
  )
  await app.call('case:add-note', { caseId: caseIds[0]!, text: 'Le débiteur rappellera Mme Martin lundi.' })
  await app.db.write((m) =>
    m.query(
      `UPDATE collection_case SET status = 'closed', phase = 'closed', closed_on = '2019-03-01' WHERE debtor_id = ?`,
      [debtorId]
    )
  )
})
afterAll(() => dispose())

describe('access request', () => {
  it('exports everything held on a debtor as JSON and a workbook, and journals it', async () => {
    const file = await app.call('privacy:debtor-export', { debtorId })
    const parsed = JSON.parse(file.json) as { tables: Record<string, Array<Record<string, unknown>>> }
    expect(parsed.tables.debtor![0]!.id).toBe(debtorId)
    expect(parsed.tables.collection_case!.map((c) => c.id).sort()).toEqual([...caseIds].sort())
    expect(file.counts.debtor_phone).toBeGreaterThan(0)
    expect(file.counts.debtor_address).toBeGreaterThan(0)
    expect(file.counts.claim).toBeGreaterThan(0)
    // The note typed by a collector is part of it (CNIL: comments are subject to access).
    expect(parsed.tables.journal_entry!.some((j) => String(j.summary).includes('Mme Martin'))).toBe(true)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(Buffer.from(file.xlsxBase64, 'base64') as never)
    expect(workbook.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['Lisez-moi', 'debtor', 'collection_case'])
    )
    expect(file.fileBaseName).toMatch(/^acces-.+-2026-11-23$/)
    const journal = await app.db.read((m) =>
      m.query(`SELECT COUNT(*) AS n FROM journal_entry WHERE case_id = ? AND summary LIKE 'Droit d’accès%'`, [
        caseIds[0]
      ])
    )
    expect(Number(journal[0].n)).toBe(1)
  })

  it('finds the debtor from a case reference', async () => {
    const [c] = await app.db.read((m) => m.query('SELECT reference FROM collection_case WHERE id = ?', [caseIds[0]]))
    const file = await app.call('privacy:debtor-export', { caseReference: c.reference })
    expect(JSON.parse(file.json).debtorId).toBe(debtorId)
    await expect(app.call('privacy:debtor-export', { caseReference: 'REC-NOPE' })).rejects.toThrow(/Aucun dossier/)
    await expect(app.call('privacy:debtor-export', {})).rejects.toThrow(/Indiquez le débiteur/)
  })

  it('refuses an unknown debtor', async () => {
    await expect(
      app.call('privacy:debtor-export', { debtorId: '01a20694-173b-7790-9b74-feb5553e2168' })
    ).rejects.toThrow(/Débiteur introuvable/)
  })
})

describe('retention', () => {
  it('previews the debtors past retention, then anonymises them with a journal entry and no erased value in the audit trail', async () => {
    expect((await app.call('privacy:settings', {})).retentionYears).toBe(5)
    const preview = await app.call('privacy:retention-preview', {})
    expect(preview.cutoff).toBe('2021-11-23')
    const candidate = preview.candidates.find((c) => c.debtorId === debtorId)
    expect(candidate).toMatchObject({ cases: caseIds.length, lastClosedOn: '2019-03-01' })
    const before = await app.db.read((m) => m.query('SELECT display_name FROM debtor WHERE id = ?', [debtorId]))
    const name = before[0].display_name as string

    const result = await app.call('privacy:anonymise', { debtorIds: [debtorId] })
    expect(result).toEqual({ anonymised: 1, cases: caseIds.length, storedFilesErased: 0 })
    const after = await app.call('privacy:debtor-export', { debtorId })
    const tables = JSON.parse(after.json).tables as Record<string, Array<Record<string, unknown>>>
    expect(tables.debtor![0]).toMatchObject({ display_name: 'Débiteur anonymisé', first_name: null, last_name: null })
    expect(tables.debtor_phone ?? []).toEqual([])
    expect(tables.debtor_address ?? []).toEqual([])
    expect(after.json).not.toContain(name)
    expect(after.json).not.toContain('Mme Martin')
    expect(tables.journal_entry!.some((j) => String(j.summary).startsWith('Données personnelles anonymisées'))).toBe(
      true
    )
    // Still append-only afterwards.
    await expect(
      app.db.write((m) => m.query(`UPDATE journal_entry SET summary = 'x' WHERE case_id = ?`, [caseIds[0]]))
    ).rejects.toThrow(/append-only/)
    // The trail has one summary entry, not the erased values, and its chain is whole.
    const entries = (await app.call('audit:list', { tableName: 'debtor', rowId: debtorId })).entries
    expect(entries[0]).toMatchObject({ operation: 'anonymise', action: 'privacy:anonymise' })
    const recent = (await app.call('audit:list', { limit: 200 })).entries.filter(
      (e) => e.action === 'privacy:anonymise'
    )
    expect(recent.some((e) => (e.before ?? '').includes('Mme Martin'))).toBe(false)
    expect((await app.call('audit:verify', {})).ok).toBe(true)
    // Gone from the preview; asking again is refused, and nothing changes.
    expect((await app.call('privacy:retention-preview', {})).candidates.some((c) => c.debtorId === debtorId)).toBe(
      false
    )
    await expect(app.call('privacy:anonymise', { debtorIds: [debtorId] })).rejects.toThrow(/rafraîchissez/)
  })

  it('refuses a debtor with an open case', async () => {
    const [open] = await app.db.read((m) =>
      m.query(`SELECT debtor_id FROM collection_case WHERE status = 'open' LIMIT 1`)
    )
    await expect(app.call('privacy:anonymise', { debtorIds: [open.debtor_id] })).rejects.toThrow(/Rien n’a été modifié/)
  })
})

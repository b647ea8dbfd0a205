import { afterEach, describe, expect, it } from 'vitest'
import { RpcCallError } from '@shared/contract'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function temp(demoCases?: number) {
  const t = await openTempApp({ demoCases })
  cleanups.push(t.dispose)
  return t
}

describe('audit trail', () => {
  it('records who, when, what, before and after for a write through a channel', async () => {
    const { app } = await temp()
    const me = await app.call('session:current', {})
    await app.call('backup:set-retention', { retentionDays: 10 })
    await app.call('backup:set-retention', { retentionDays: 12 })
    const page = await app.call('audit:list', { tableName: 'app_setting' })
    const [update, insert] = page.entries
    expect(insert).toMatchObject({
      userId: me.id,
      userName: me.displayName,
      action: 'backup:set-retention',
      tableName: 'app_setting',
      rowId: 'backup.retentionDays',
      operation: 'insert',
      before: null,
      at: '2026-11-23T09:00:00.000Z'
    })
    expect(JSON.parse(insert!.after!)).toMatchObject({ key: 'backup.retentionDays', value: '10' })
    // An update keeps only the columns that changed.
    expect(update!.operation).toBe('update')
    expect(JSON.parse(update!.before!)).toEqual({ value: '10' })
    expect(JSON.parse(update!.after!)).toEqual({ value: '12' })
  })

  it('journals a case note with its journal row, and nothing for a refused call', async () => {
    const { app } = await temp(3)
    const [caseRow] = await app.db.read((m) => m.query('SELECT id FROM collection_case LIMIT 1'))
    const before = (await app.call('audit:list', { limit: 500 })).entries.length
    await app.call('case:add-note', { caseId: caseRow.id, text: 'Rappel convenu pour lundi.' })
    const entries = (await app.call('audit:list', { limit: 500 })).entries
    const added = entries.slice(0, entries.length - before)
    expect(added.some((e) => e.tableName === 'journal_entry' && e.operation === 'insert')).toBe(true)
    expect(added.every((e) => e.action === 'case:add-note')).toBe(true)
    // A refused write (validation or business rule) adds nothing.
    await expect(app.call('case:add-note', { caseId: caseRow.id, text: '' })).rejects.toBeInstanceOf(RpcCallError)
    await expect(app.call('backup:restore', { name: 'manual-2026-11-23T09-00-00-000Z.sqlite' })).rejects.toThrow()
    expect((await app.call('audit:list', { limit: 500 })).entries.length).toBe(entries.length)
  })

  it('audits a bulk write per table (row count, first and last id), not row by row', async () => {
    const { app } = await temp(20)
    const bulk = (await app.call('audit:list', { limit: 500 })).entries.filter((e) => e.operation === 'bulk-insert')
    const cases = bulk.find((e) => e.tableName === 'collection_case')
    expect(cases).toBeDefined()
    expect(JSON.parse(cases!.after!)).toMatchObject({ rows: 20 })
    expect(new Set(bulk.map((e) => e.tableName)).size).toBe(bulk.length)
  })

  // The tampering below uses SQLite's own syntax (PostgreSQL: migrations-pg.test.ts checks the guards).
  it.skipIf(testingOnPostgres())(
    'is append-only, and verify names the first row changed or removed outside the app',
    async () => {
      const { app } = await temp(2)
      await app.call('backup:set-retention', { retentionDays: 9 })
      const ok = await app.call('audit:verify', {})
      expect(ok.ok).toBe(true)
      expect(ok.checked).toBeGreaterThan(5)
      expect(ok.message).toMatch(/intact/)
      await expect(app.db.write((m) => m.query('UPDATE audit_entry SET user_id = NULL WHERE seq = 3'))).rejects.toThrow(
        /append-only/
      )
      await expect(app.db.write((m) => m.query('DELETE FROM audit_entry WHERE seq = 3'))).rejects.toThrow(/append-only/)

      // Someone with the file and a SQLite tool drops the trigger and edits row 4.
      await app.db.exclusive(async (ds) => {
        await ds.query('DROP TRIGGER "trg_audit_entry_no_update"')
        await ds.query(`UPDATE audit_entry SET after_json = '{"value":"99"}' WHERE seq = 4`)
      })
      const broken = await app.call('audit:verify', {})
      expect(broken).toMatchObject({ ok: false, checked: 3, firstBroken: { seq: 4, reason: 'hash' } })
      expect(broken.message).toMatch(/n° 4/)

      await app.db.exclusive(async (ds) => {
        await ds.query('DROP TRIGGER "trg_audit_entry_no_delete"')
        await ds.query('DELETE FROM audit_entry WHERE seq = 2')
      })
      const gap = await app.call('audit:verify', {})
      expect(gap.firstBroken).toMatchObject({ seq: 3, expectedSeq: 2, reason: 'gap' })
    }
  )

  it('exports the filtered trail as CSV', async () => {
    const { app } = await temp()
    await app.call('backup:set-retention', { retentionDays: 7 })
    const file = await app.call('audit:export', { tableName: 'app_setting', rowId: 'backup.retentionDays' })
    expect(file.fileName).toBe('journal-audit-2026-11-23.csv')
    expect(file.rows).toBe(1)
    const [header, row] = file.csv.replace('\uFEFF', '').split('\r\n')
    expect(header).toMatch(/^N°;Date \(UTC\);Utilisateur;Opération/)
    expect(row).toMatch(/Création;backup:set-retention;app_setting;backup.retentionDays/)
  })

  // File backups and restores are the embedded file's (a PostgreSQL server refuses them).
  it.skipIf(testingOnPostgres())('keeps the chain across a restore, with the restore as an entry', async () => {
    const { app } = await temp()
    const backup = await app.call('backup:create', {})
    await app.call('backup:set-retention', { retentionDays: 5 })
    await app.call('backup:restore', { name: backup.name })
    const recent = (await app.call('audit:list', { limit: 5 })).entries
    expect(recent.find((e) => e.operation === 'restore')).toMatchObject({
      action: 'backup:restore',
      tableName: 'database'
    })
    await app.call('backup:set-retention', { retentionDays: 6 })
    expect((await app.call('audit:verify', {})).ok).toBe(true)
  })
})

import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { AuditPersonalData1763858713000 } from '../../../src-main/db/migrations/1763858713000-audit-personal-data'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'
import { openTempApp } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'

/**
 * Migration 1763858713000 on a trail written before it (personal values inside the chain, old
 * hash): the values move to audit_personal, the chain is sealed again and verifies, the old
 * chain's state is recorded in a `reseal` entry, anonymised debtors' values are dropped.
 */

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

function oldHash(previous: string, r: unknown[]): string {
  return createHash('sha256').update(previous).update('\n').update(JSON.stringify(r)).digest('hex')
}

async function oldTrail(tamper: boolean) {
  const t = await openTempApp()
  cleanups.push(t.dispose)
  const { app } = t
  const a = await seedCase(app, { creditor: COMPANY, debtor: CONSUMER, claims: [] })
  const b = await seedCase(app, { creditor: COMPANY, debtor: CONSUMER, claims: [] })
  const migration = new AuditPersonalData1763858713000()
  await app.db.exclusive(async (ds) => {
    const runner = ds.createQueryRunner()
    try {
      await migration.down(runner)
      await ds.query('DROP TRIGGER "trg_audit_entry_no_delete"')
      await ds.query('DELETE FROM audit_entry')
      const rows: unknown[][] = [
        [1, '2026-01-05T10:00:00.000Z', null, 'system', 'app_setting', 'x', 'insert', null, '{"key":"x","value":"1"}'],
        [
          2,
          '2026-01-05T10:00:00.000Z',
          null,
          'case:update',
          'debtor',
          a.debtorId,
          'update',
          '{"last_name":"DUPONT"}',
          '{"last_name":"ZORGLUB"}'
        ],
        [
          3,
          '2026-01-05T10:00:00.000Z',
          null,
          'case:add-note',
          'journal_entry',
          'j1',
          'insert',
          null,
          JSON.stringify({ id: 'j1', case_id: a.caseId, kind: 'note', summary: 'Appeler M. Zorglub' })
        ],
        [
          4,
          '2026-01-06T10:00:00.000Z',
          null,
          'case:add-note',
          'journal_entry',
          'j2',
          'insert',
          null,
          JSON.stringify({ id: 'j2', case_id: b.caseId, kind: 'note', summary: 'Mme Quenouille rappellera' })
        ],
        [5, '2026-01-07T10:00:00.000Z', null, 'privacy:anonymise', 'debtor', b.debtorId, 'anonymise', null, '{}']
      ]
      let previous = '0'.repeat(64)
      for (const r of rows) {
        previous = oldHash(previous, r)
        await ds.query(
          'INSERT INTO audit_entry (seq, at, user_id, action, table_name, row_id, operation, before_json, after_json, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [...r, previous]
        )
      }
      if (tamper) {
        await ds.query('DROP TRIGGER "trg_audit_entry_no_update"')
        await ds.query(`UPDATE audit_entry SET after_json = '{"key":"x","value":"2"}' WHERE seq = 1`)
      }
      await ds.query(
        `CREATE TRIGGER "trg_audit_entry_no_delete" BEFORE DELETE ON "audit_entry" BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END`
      )
      await migration.up(runner)
    } finally {
      await runner.release()
    }
  })
  return { app, a, b }
}

// SQLite-specific: the file's bytes, SQLite's schema pragmas and migrations (PostgreSQL has its own).
describe.skipIf(testingOnPostgres())('migration of an existing audit trail', () => {
  it('moves personal values out of the chain, reseals it, and drops those of anonymised debtors', async () => {
    const { app, a } = await oldTrail(false)
    const check = await app.call('audit:verify', {})
    expect(check).toMatchObject({ ok: true, checked: 6 })
    const entries = await app.db.read((m) => m.query('SELECT * FROM audit_entry ORDER BY seq'))
    expect(JSON.stringify(entries)).not.toMatch(/ZORGLUB|Zorglub|Quenouille|DUPONT/)
    expect(entries[1]).toMatchObject({ subject_id: a.debtorId })
    expect(entries[2]).toMatchObject({ subject_id: a.debtorId })
    expect(entries[5]).toMatchObject({ operation: 'reseal', table_name: 'audit_entry' })
    expect(JSON.parse(entries[5].after_json)).toMatchObject({ previousChainIntact: true, firstBrokenSeq: null })
    // Kept for the debtor still on file, erased for the one anonymised before the migration.
    const personal = await app.db.read((m) => m.query('SELECT seq, subject_id FROM audit_personal ORDER BY seq'))
    expect(personal.map((p: { seq: number }) => p.seq)).toEqual([2, 3])
    const shown = (await app.call('audit:list', { tableName: 'debtor', rowId: a.debtorId })).entries
    expect(shown.find((e) => e.seq === 2)).toMatchObject({
      before: '{"last_name":"DUPONT"}',
      after: '{"last_name":"ZORGLUB"}'
    })
    const erased = (await app.call('audit:list', { tableName: 'journal_entry', rowId: 'j2' })).entries[0]!
    expect(JSON.parse(erased.after!).summary).toBe('[effacé – anonymisation]')
    // New writes chain on.
    await app.call('backup:set-retention', { retentionDays: 9 })
    expect((await app.call('audit:verify', {})).ok).toBe(true)
  })

  it('records that the old chain was already broken, so the reseal launders nothing', async () => {
    const { app } = await oldTrail(true)
    const [seal] = await app.db.read((m) => m.query(`SELECT after_json FROM audit_entry WHERE operation = 'reseal'`))
    expect(JSON.parse(seal.after_json)).toMatchObject({ previousChainIntact: false, firstBrokenSeq: 1 })
  })
})

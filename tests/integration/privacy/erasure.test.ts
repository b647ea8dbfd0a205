import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { uuid7 } from '@shared/ids/uuid7'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DebtorEmailEntity, DebtorPhoneEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { AGENCY, addAddress } from '../documents/fixtures'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'
import { openTempApp, TEST_NOW } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'

/**
 * Anonymisation erases for real: after it, no byte of the database file (nor its WAL) holds the
 * debtor's name, phone, e-mail, address or the notes about them, the stored letters are gone
 * (their hash and metadata stay), and the audit trail still verifies and still detects tampering.
 */

const AT = '2026-06-30'
const SECRETS = ['Zorglubian', 'Quenouille', '0698765432', '06 98 76 54 32', 'zorg.quenouille@exemple.fr', 'Lilas']

let app: RecouvraApp
let dataDir: string
let dispose: () => Promise<void>
beforeEach(async () => {
  ;({ app, dataDir, dispose } = await openTempApp())
})
afterEach(() => dispose())

/** Every file of the data folder but the backups (kept for their own retention period). */
function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'backups' ? [] : filesOf(path)
    return [path]
  })
}

function traces(): string[] {
  const found: string[] = []
  for (const file of filesOf(dataDir)) {
    const bytes = readFileSync(file).toString('latin1').toLowerCase()
    const utf8 = readFileSync(file).toString('utf8').toLowerCase()
    for (const secret of SECRETS) {
      const s = secret.toLowerCase()
      if (bytes.includes(s) || utf8.includes(s)) found.push(`${secret} in ${file}`)
    }
  }
  return found
}

async function debtorWithHistory() {
  await app.call('documents:agency-save', AGENCY)
  const seeded = await seedCase(app, {
    creditor: COMPANY,
    debtor: CONSUMER,
    claims: [{ invoiceNumber: 'F-2025-77', principalCents: 80_000, dueOn: '2025-01-15', interestBasis: 'none' }]
  })
  await addAddress(app, seeded.debtorId)
  // Written through the app's writer: the audit triggers record every value.
  await app.db.write(async (m) => {
    await m.query(`UPDATE debtor SET last_name = 'ZORGLUBIAN', display_name = 'ZORGLUBIAN Quenouille' WHERE id = ?`, [
      seeded.debtorId
    ])
    await m.query(`UPDATE debtor_address SET line1 = '3 impasse des Lilas' WHERE debtor_id = ?`, [seeded.debtorId])
    const base = { createdAt: TEST_NOW, createdBy: null, updatedAt: TEST_NOW, updatedBy: null, version: 1 }
    await m.insert(DebtorPhoneEntity, {
      ...base,
      id: uuid7(),
      debtorId: seeded.debtorId,
      number: '0698765432',
      kind: 'mobile',
      status: 'unverified',
      statusChangedAt: null,
      source: 'test'
    })
    await m.insert(DebtorEmailEntity, {
      ...base,
      id: uuid7(),
      debtorId: seeded.debtorId,
      address: 'zorg.quenouille@exemple.fr',
      status: 'unverified',
      source: 'test'
    })
    await app.services.search.indexDebtor(m, seeded.debtorId)
  })
  await app.call('case:add-note', { caseId: seeded.caseId, text: 'Rappeler M. Zorglubian au 06 98 76 54 32.' })
  const letter = await app.call('letters:generate', {
    caseId: seeded.caseId,
    templateCode: 'reminder',
    at: AT,
    channel: 'letter'
  })
  await app.db.write((m) =>
    m.query(`UPDATE collection_case SET status = 'closed', phase = 'closed', closed_on = '2019-03-01' WHERE id = ?`, [
      seeded.caseId
    ])
  )
  return { ...seeded, letter }
}

// SQLite-specific: the file's bytes, SQLite's schema pragmas and migrations (PostgreSQL has its own).
describe.skipIf(testingOnPostgres())('anonymisation erases for real', () => {
  it('leaves no trace of the debtor in the database file, deletes the stored letter, and the trail still verifies', async () => {
    const { debtorId, letter } = await debtorWithHistory()
    // Before: the trail holds the values, outside its chain (audit_personal).
    const personal = await app.db.read((m) =>
      m.query('SELECT COUNT(*) AS n FROM audit_personal WHERE subject_id = ?', [debtorId])
    )
    expect(Number(personal[0].n)).toBeGreaterThan(3)
    const chained = await app.db.read((m) =>
      m.query(
        `SELECT COUNT(*) AS n FROM audit_entry WHERE before_json LIKE '%ZORGLUBIAN%' OR after_json LIKE '%ZORGLUBIAN%'`
      )
    )
    expect(Number(chained[0].n)).toBe(0)
    const shown = (await app.call('audit:list', { tableName: 'debtor', rowId: debtorId })).entries
    expect(shown.some((e) => (e.after ?? '').includes('ZORGLUBIAN'))).toBe(true)
    const [doc] = await app.db.read((m) =>
      m.query('SELECT storage_path, sha256, size_bytes FROM document WHERE id = ?', [letter.documentId])
    )
    expect(existsSync(join(dataDir, doc.storage_path))).toBe(true)
    expect((await app.call('audit:verify', {})).ok).toBe(true)

    const result = await app.call('privacy:anonymise', { debtorIds: [debtorId] })
    expect(result).toMatchObject({ anonymised: 1, cases: 1, storedFilesErased: 1 })

    // The stored letter is gone; its record (hash, size) stays, and opening it says why.
    expect(existsSync(join(dataDir, doc.storage_path))).toBe(false)
    const [kept] = await app.db.read((m) =>
      m.query('SELECT sha256, size_bytes, title FROM document WHERE id = ?', [letter.documentId])
    )
    expect(kept).toMatchObject({ sha256: doc.sha256, size_bytes: doc.size_bytes, title: '[anonymisé]' })
    await expect(app.call('documents:open', { documentId: letter.documentId })).rejects.toThrow(
      /n’est plus conservé \(effacé à l’anonymisation/
    )

    // The trail: still whole, the erased values shown as erased.
    expect((await app.call('audit:verify', {})).ok).toBe(true)
    const after = (await app.call('audit:list', { tableName: 'debtor', rowId: debtorId })).entries
    expect(after.some((e) => (e.after ?? '').includes('[effacé – anonymisation]'))).toBe(true)

    // No byte of the file holds them: not even in freed pages (secure_delete), the search
    // index's old segments (optimised) or the WAL (checkpointed) — nor after a compaction.
    expect(traces()).toEqual([])
    await app.db.exclusive(async (ds) => {
      await ds.query('VACUUM')
      await ds.query('PRAGMA wal_checkpoint(TRUNCATE)')
    })
    expect(traces()).toEqual([])
  })

  it('still detects a changed or removed personal value of a debtor not anonymised', async () => {
    const { debtorId } = await debtorWithHistory()
    const [row] = await app.db.read((m) =>
      m.query('SELECT seq FROM audit_personal WHERE subject_id = ? ORDER BY seq LIMIT 1', [debtorId])
    )
    await app.db.exclusive(async (ds) => {
      await ds.query('DROP TRIGGER "trg_audit_personal_no_update"')
      await ds.query(`UPDATE audit_personal SET after_json = '{"last_name":"AUTRE"}' WHERE seq = ?`, [row.seq])
    })
    const changed = await app.call('audit:verify', {})
    expect(changed).toMatchObject({ ok: false, firstBroken: { seq: row.seq, reason: 'personal' } })
    expect(changed.message).toMatch(/données personnelles de l’entrée n° \d+ ont été modifiées/)
    await app.db.exclusive((ds) => ds.query('DELETE FROM audit_personal WHERE seq = ?', [row.seq]))
    expect((await app.call('audit:verify', {})).firstBroken).toMatchObject({ seq: row.seq, reason: 'personal' })
  })
})

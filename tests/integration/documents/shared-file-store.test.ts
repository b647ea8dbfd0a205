import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { FileStore } from '../../../src-main/modules/documents/file-store'
import { AGENCY, addAddress } from './fixtures'
import { CONSUMER, COMPANY, seedCase } from '../money/fixtures'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { tempPostgresDatabase, testingOnPostgres } from '../helpers/temp-pg'

/**
 * Stored files (letters, e-mails, logos): on the local file (SQLite) they live in the data
 * folder; on a shared PostgreSQL server their bytes live in the database (stored_file), so a
 * letter made by one workstation opens on another with its own data folder, every read checks
 * the SHA-256, and anonymisation erases the bytes for every workstation.
 */

const AT = '2026-06-30'
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function letterOn(app: RecouvraApp) {
  await app.call('documents:agency-save', AGENCY)
  const seeded = await seedCase(app, {
    creditor: COMPANY,
    debtor: CONSUMER,
    claims: [{ invoiceNumber: 'F-2025-91', principalCents: 45_000, dueOn: '2025-01-15', interestBasis: 'none' }]
  })
  await addAddress(app, seeded.debtorId)
  const letter = await app.call('letters:generate', {
    caseId: seeded.caseId,
    templateCode: 'reminder',
    at: AT,
    channel: 'letter'
  })
  const [doc] = (await app.db.read((m) =>
    m.query('SELECT storage_path, sha256 FROM document WHERE id = ?', [letter.documentId])
  )) as Array<{ storage_path: string; sha256: string }>
  return { ...seeded, letter, doc: doc! }
}

describe.skipIf(testingOnPostgres())('stored files on the local file (SQLite)', () => {
  it('keeps the bytes in the data folder and refuses a file that no longer has its SHA-256', async () => {
    const { app, dataDir, dispose } = await openTempApp()
    cleanups.push(dispose)
    const { letter, doc } = await letterOn(app)
    expect(existsSync(join(dataDir, doc.storage_path))).toBe(true)
    const opened = await app.call('documents:open', { documentId: letter.documentId })
    expect(FileStore.sha256(Buffer.from(opened.dataBase64, 'base64'))).toBe(doc.sha256)
    writeFileSync(join(dataDir, doc.storage_path), 'tampered')
    await expect(app.call('documents:open', { documentId: letter.documentId })).rejects.toThrow()
  })
})

describe.skipIf(!testingOnPostgres())('stored files on a shared PostgreSQL server', () => {
  it('a letter made on workstation 1 opens on workstation 2 (another data folder), checked, and anonymisation erases it for both', async () => {
    const database = await tempPostgresDatabase()
    cleanups.push(() => database.drop())
    const dir1 = tempDir()
    const dir2 = tempDir()
    cleanups.push(dir1.remove, dir2.remove)
    const one = await createApp({ dataDir: dir1.path, clock: fixedClock(TEST_NOW), databaseUrl: database.url })
    cleanups.push(() => one.close())
    const two = await createApp({ dataDir: dir2.path, clock: fixedClock(TEST_NOW), databaseUrl: database.url })
    cleanups.push(() => two.close())

    const { letter, doc, debtorId, caseId } = await letterOn(one)
    const [row] = (await one.db.read((m) =>
      m.query('SELECT byte_size, content IS NOT NULL AS kept FROM stored_file WHERE sha256 = ?', [doc.sha256])
    )) as Array<{ byte_size: number; kept: boolean }>
    expect(row).toMatchObject({ kept: true })
    expect(existsSync(join(dir2.path, doc.storage_path))).toBe(false)

    // Workstation 2 opens it: from the database, then from its cache.
    const opened = await two.call('documents:open', { documentId: letter.documentId })
    const bytes = Buffer.from(opened.dataBase64, 'base64')
    expect(FileStore.sha256(bytes)).toBe(doc.sha256)
    expect(bytes.length).toBe(row!.byte_size)
    expect(readFileSync(join(dir2.path, doc.storage_path)).equals(bytes)).toBe(true)

    // A damaged cache copy is not served: the bytes come again from the database.
    writeFileSync(join(dir2.path, doc.storage_path), 'tampered')
    const again = await two.call('documents:open', { documentId: letter.documentId })
    expect(FileStore.sha256(Buffer.from(again.dataBase64, 'base64'))).toBe(doc.sha256)
    expect(FileStore.sha256(readFileSync(join(dir2.path, doc.storage_path)))).toBe(doc.sha256)

    // The bytes in the database are checked too.
    await one.db.write((m) => m.query("UPDATE stored_file SET content = '\\x00'::bytea WHERE sha256 = ?", [doc.sha256]))
    writeFileSync(join(dir2.path, doc.storage_path), 'tampered')
    await expect(two.call('documents:open', { documentId: letter.documentId })).rejects.toThrow()
    await one.db.write((m) =>
      m.query('UPDATE stored_file SET content = ? WHERE sha256 = ?', [
        readFileSync(join(dir1.path, doc.storage_path)),
        doc.sha256
      ])
    )

    // Anonymisation on workstation 1: the bytes leave the database (a tombstone stays), and
    // workstation 2's cached copy is not served again.
    await two.call('documents:open', { documentId: letter.documentId })
    await one.db.write((m) =>
      m.query(`UPDATE collection_case SET status = 'closed', phase = 'closed', closed_on = '2019-03-01' WHERE id = ?`, [
        caseId
      ])
    )
    const result = await one.call('privacy:anonymise', { debtorIds: [debtorId] })
    expect(result).toMatchObject({ anonymised: 1, storedFilesErased: 1 })
    const [erased] = (await one.db.read((m) =>
      m.query('SELECT content IS NULL AS gone, erased_at FROM stored_file WHERE sha256 = ?', [doc.sha256])
    )) as Array<{ gone: boolean; erased_at: string | null }>
    expect(erased).toMatchObject({ gone: true })
    expect(erased!.erased_at).toBeTruthy()
    expect(existsSync(join(dir1.path, doc.storage_path))).toBe(false)
    await expect(two.call('documents:open', { documentId: letter.documentId })).rejects.toThrow(/introuvable/)
    expect(existsSync(join(dir2.path, doc.storage_path))).toBe(false)
  })
})

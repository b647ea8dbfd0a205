import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { copySqliteToPostgres } from '../../../src-main/db/db-copy'
import { fixedClock } from '../../../src-main/platform/clock'
import { FileStore } from '../../../src-main/modules/documents/file-store'
import { AGENCY, addAddress } from '../documents/fixtures'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { emptyPostgresDatabase, testingOnPostgres, testPostgresUrl } from '../helpers/temp-pg'

/**
 * `db copy` of a local file into a shared server takes the letters' files along: after it, a
 * workstation with another data folder opens a letter made before the move.
 */
describe.skipIf(!testPostgresUrl() || testingOnPostgres())('db copy: documents’ files go to the server', () => {
  const cleanups: Array<() => unknown> = []
  afterAll(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })

  it('uploads every stored file (checked), resumes, and another workstation opens the letters', async () => {
    const sqlite = await openTempApp({ postgres: false })
    cleanups.push(() => sqlite.dispose())
    await sqlite.app.call('documents:agency-save', AGENCY)
    const seeded = await seedCase(sqlite.app, {
      creditor: COMPANY,
      debtor: CONSUMER,
      claims: [{ invoiceNumber: 'F-2025-12', principalCents: 30_000, dueOn: '2025-01-15', interestBasis: 'none' }]
    })
    await addAddress(sqlite.app, seeded.debtorId)
    const letter = await sqlite.app.call('letters:generate', {
      caseId: seeded.caseId,
      templateCode: 'reminder',
      at: '2026-06-30',
      channel: 'letter'
    })
    const original = await sqlite.app.call('documents:open', { documentId: letter.documentId })
    await sqlite.app.db.close()

    const target = await emptyPostgresDatabase()
    cleanups.push(target.drop)
    const work = tempDir()
    cleanups.push(work.remove)
    const report = await copySqliteToPostgres(join(sqlite.dataDir, DATABASE_FILE_NAME), target.url, {
      dataDir: sqlite.dataDir
    })
    expect(report.storedFiles).toBeGreaterThanOrEqual(1)
    const again = await copySqliteToPostgres(join(sqlite.dataDir, DATABASE_FILE_NAME), target.url, {
      dataDir: sqlite.dataDir
    })
    expect(again.storedFiles).toBe(0)

    const other = await createApp({ dataDir: work.path, clock: fixedClock(TEST_NOW), databaseUrl: target.url })
    cleanups.push(() => other.close())
    const opened = await other.call('documents:open', { documentId: letter.documentId })
    expect(FileStore.sha256(Buffer.from(opened.dataBase64, 'base64'))).toBe(
      FileStore.sha256(Buffer.from(original.dataBase64, 'base64'))
    )
  })
})

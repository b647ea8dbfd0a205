import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { FileStore } from '../../../src-main/modules/documents/file-store'
import { AGENCY, addAddress } from '../documents/fixtures'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { actAs, seedUser, seedWorkspaceCase } from '../case-file/helpers'

/**
 * Field work and stored files: a checkout brings the office's letters' files to the laptop, and
 * a letter made in the field reaches the office with its file — into the office's data folder
 * (SQLite) or its database (PostgreSQL, project integration-pg), where any workstation opens it.
 */

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function sha(app: RecouvraApp, documentId: string): Promise<string> {
  const file = await app.call('documents:open', { documentId })
  return FileStore.sha256(Buffer.from(file.dataBase64, 'base64'))
}

describe('field work carries stored files both ways', () => {
  it('an office letter opens on the laptop; a field letter opens at the office after the sync', async () => {
    const office = await openTempApp()
    cleanups.push(office.dispose)
    await office.app.call('documents:agency-save', AGENCY)
    const collector = await seedUser(office.app, 'collector')
    const theCase = await seedWorkspaceCase(office.app, { collectorId: collector })
    const debtorId = (await office.app.call('casefile:get', { caseId: theCase.caseId })).debtor.id
    await addAddress(office.app, debtorId)
    const officeLetter = await office.app.call('letters:generate', {
      caseId: theCase.caseId,
      templateCode: 'reminder',
      at: '2026-11-02',
      channel: 'letter'
    })

    const manager = await seedUser(office.app, 'manager')
    await actAs(office.app, manager)
    const dir = tempDir('recouvra-laptop-')
    cleanups.push(dir.remove)
    const laptopDir = join(dir.path, 'terrain')
    const checkout = await office.app.call('sync:checkout', {
      collectorId: collector,
      deviceId: 'PC-DOC',
      targetDir: laptopDir,
      caseIds: [theCase.caseId]
    })
    expect(checkout.fileCount).toBe(1)

    const laptop = await createApp({ dataDir: laptopDir, clock: fixedClock(TEST_NOW) })
    cleanups.push(() => laptop.close())
    await actAs(laptop, collector)
    expect(await sha(laptop, officeLetter.documentId)).toBe(await sha(office.app, officeLetter.documentId))

    const fieldLetter = await laptop.call('letters:generate', {
      caseId: theCase.caseId,
      templateCode: 'firm-reminder',
      at: '2026-11-23',
      channel: 'letter'
    })
    const fieldSha = await sha(laptop, fieldLetter.documentId)
    const run = await laptop.call('sync:run', {})
    expect(run).toBeTruthy()

    if (testingOnPostgres()) {
      const rows = (await office.app.db.read((m) =>
        m.query('SELECT content IS NOT NULL AS kept FROM stored_file WHERE sha256 = ?', [fieldSha])
      )) as Array<{ kept: boolean }>
      expect(rows).toEqual([{ kept: true }])
      // Another workstation on the same server, with its own data folder, opens it.
      const other = tempDir()
      cleanups.push(other.remove)
      const url = (office.app.db.dataSource.options as { url?: string }).url!
      const second = await createApp({ dataDir: other.path, clock: fixedClock(TEST_NOW), databaseUrl: url })
      cleanups.push(() => second.close())
      expect(await sha(second, fieldLetter.documentId)).toBe(fieldSha)
    } else {
      const [doc] = (await office.app.db.read((m) =>
        m.query('SELECT storage_path FROM document WHERE id = ?', [fieldLetter.documentId])
      )) as Array<{ storage_path: string }>
      expect(existsSync(join(office.dataDir, doc!.storage_path))).toBe(true)
    }
    expect(await sha(office.app, fieldLetter.documentId)).toBe(fieldSha)
  })
})

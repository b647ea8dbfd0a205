import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { DB_COMMANDS } from '../../../src-main/db/db-cli'
import { FileStore } from '../../../src-main/modules/documents/file-store'
import {
  collectStoredFiles,
  DEFAULT_CACHE_BYTES,
  pruneFileCache,
  setFileCacheLimit,
  type FilesGcReport
} from '../../../src-main/modules/documents/file-gc'
import { AGENCY, addAddress } from './fixtures'
import { CONSUMER, COMPANY, seedCase } from '../money/fixtures'
import { openTempApp } from '../helpers/temp-app'

/**
 * `db files-gc`: stored files nothing refers to are removed (rows of the shared server's
 * stored_file, files of the embedded store), never one a document, a dunning print file or a
 * setting (the logo) refers to, never one younger than the grace period; a workstation's cache
 * of the server is bounded, and what it dropped is fetched again from the server.
 */

let app: RecouvraApp
let dataDir: string
let dispose: () => Promise<void>
let letter: { documentId: string }
let letterPath: string
/** A valid 1×1 PNG. */
const LOGO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64'
)
/** Two days later: the files made by the test are past the 24-hour grace period. */
const later = () => new Date(Date.now() + 48 * 3600_000)

beforeAll(async () => {
  ;({ app, dataDir, dispose } = await openTempApp())
  await app.call('documents:agency-save', AGENCY)
  await app.call('documents:logo-upload', { dataBase64: LOGO.toString('base64'), mimeType: 'image/png' })
  const seeded = await seedCase(app, {
    creditor: COMPANY,
    debtor: CONSUMER,
    claims: [{ invoiceNumber: 'F-2025-77', principalCents: 30_000, dueOn: '2025-01-15', interestBasis: 'none' }]
  })
  await addAddress(app, seeded.debtorId)
  letter = await app.call('letters:generate', {
    caseId: seeded.caseId,
    templateCode: 'reminder',
    at: '2026-06-30',
    channel: 'letter'
  })
  const [doc] = (await app.db.read((m) =>
    m.query('SELECT storage_path FROM document WHERE id = ?', [letter.documentId])
  )) as Array<{ storage_path: string }>
  letterPath = doc!.storage_path
})
afterAll(() => dispose())

describe('db files-gc', () => {
  it('removes unreferenced stored files only, past the grace period; documents and the logo still open', async () => {
    const store = new FileStore(dataDir, app.db)
    const orphan = await store.put(Buffer.from('brouillon abandonné'), '.txt')
    // Within the grace period: kept.
    const early = await collectStoredFiles(app.db)
    expect(early.removed).toBe(0)
    // A dry run counts without removing.
    const dry = await collectStoredFiles(app.db, { now: later(), dryRun: true })
    expect(dry.removed).toBe(1)
    expect(await store.readIfPresent(orphan.storagePath)).not.toBeNull()

    const report = await collectStoredFiles(app.db, { now: later() })
    expect(report).toMatchObject({ engine: app.db.dialect, removed: 1, kept: 2 })
    expect(await store.readIfPresent(orphan.storagePath)).toBeNull()
    expect(existsSync(join(dataDir, orphan.storagePath))).toBe(false)
    // The letter (a document row) and the logo (a setting) are still there.
    const opened = await app.call('documents:open', { documentId: letter.documentId })
    expect(opened.dataBase64.length).toBeGreaterThan(100)
    const logo = await app.call('documents:logo-get', {})
    expect(logo).not.toBeNull()
    // Nothing left to remove.
    expect((await collectStoredFiles(app.db, { now: later() })).removed).toBe(0)
  })

  it('the CLI command reports in French', async () => {
    const command = DB_COMMANDS['db files-gc']
    command.check({})
    const report = (await command.run(app, { 'dry-run': true })) as FilesGcReport
    expect(command.print(report)).toMatch(
      /^0 fichier\(s\) non référencé\(s\) à supprimer \(essai : rien n’a été supprimé\)/
    )
  })

  it('bounds the workstation cache of a shared server; dropped files come back from it', async () => {
    if (app.db.dialect !== 'postgres') {
      // The embedded store is not a cache: never pruned by size.
      expect(existsSync(join(dataDir, letterPath))).toBe(true)
      return
    }
    expect(existsSync(join(dataDir, letterPath))).toBe(true)
    const pruned = pruneFileCache(dataDir, 0)
    expect(pruned.removed).toBeGreaterThan(0)
    expect(existsSync(join(dataDir, letterPath))).toBe(false)
    const opened = await app.call('documents:open', { documentId: letter.documentId })
    expect(opened.dataBase64.length).toBeGreaterThan(100)
    expect(existsSync(join(dataDir, letterPath))).toBe(true)
    // The bound applies by itself as files enter the cache: a 1-byte cache keeps nothing.
    setFileCacheLimit(1)
    try {
      pruneFileCache(dataDir, 0)
      const again = await app.call('documents:open', { documentId: letter.documentId })
      expect(again.dataBase64).toBe(opened.dataBase64)
      expect(existsSync(join(dataDir, letterPath))).toBe(false)
    } finally {
      setFileCacheLimit(DEFAULT_CACHE_BYTES)
    }
  })
})

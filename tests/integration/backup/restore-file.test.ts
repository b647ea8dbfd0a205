import { closeSync, copyFileSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import sqlite3 from 'sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BACKUP_UPLOAD_CHUNK_BYTES, RpcCallError } from '@shared/contract'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { TRUST_COMMANDS } from '../../../src-main/modules/audit/trust-cli'
import { listBackups } from '../../../src-main/modules/backup/backup.service'
import { openTempApp, tempDir } from '../helpers/temp-app'
import { COMPANY, CONSUMER, seedCase } from '../money/fixtures'

/**
 * Restore from any file the user picks (Paramètres upload, `backup restore --file`): the same
 * guards as a restore from the backups folder, and clear French refusals that change nothing.
 */

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function setup() {
  const t = await openTempApp()
  cleanups.push(t.dispose)
  const elsewhere = tempDir('recouvra-elsewhere-')
  cleanups.push(elsewhere.remove)
  const { app } = t
  // A copy of the database with 4 cases, kept outside the data folder under another name.
  await app.services.demo.generate({ cases: 4, seed: 3 })
  const backup = await app.call('backup:create', {})
  const picked = join(elsewhere.path, 'recouvra-cabinet-2026-11-20.sqlite')
  copyFileSync(join(app.services.backups.folder, backup.name), picked)
  await seedCase(app, { creditor: COMPANY, debtor: CONSUMER, claims: [] })
  expect((await app.call('app:info', {})).counts.cases).toBe(5)
  return { app, picked, dir: elsewhere.path }
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())))
}

async function sqliteFile(path: string, sql: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(path, (e) => (e ? reject(e) : resolve(d)))
  })
  await run(db, sql)
  await new Promise<void>((resolve) => db.close(() => resolve()))
}

/** What the Paramètres page does: the file in chunks, then the restore. */
async function upload(app: RecouvraApp, file: string, fileName = 'choisi.sqlite') {
  const content = readFileSync(file)
  const { uploadId } = await app.call('backup:upload-begin', { fileName, sizeBytes: content.length })
  const size = Math.min(BACKUP_UPLOAD_CHUNK_BYTES, Math.ceil(content.length / 3))
  for (let offset = 0; offset < content.length; offset += size) {
    await app.call('backup:upload-chunk', {
      uploadId,
      offset,
      dataBase64: content.subarray(offset, offset + size).toString('base64')
    })
  }
  return app.call('backup:restore-upload', { uploadId })
}

async function refused(app: RecouvraApp, attempt: () => Promise<unknown>, pattern: RegExp) {
  const before = (await app.call('app:info', {})).counts
  const error = await attempt().catch((e: unknown) => e)
  expect(error).toBeInstanceOf(Error)
  const message = (error as { userMessage?: string }).userMessage ?? (error as RpcCallError).message
  expect(message).toMatch(pattern)
  expect(message).toMatch(/rien n’a été modifié/)
  expect((await app.call('app:info', {})).counts).toEqual(before)
  expect(listBackups(app.db.dataDir).some((b) => b.kind === 'pre-restore')).toBe(false)
}

describe('restore from a file the user picks', () => {
  it('uploaded in chunks: replaces the database after a safety backup, and the trail records it', async () => {
    const { app, picked } = await setup()
    const result = await upload(app, picked, 'recouvra-cabinet-2026-11-20.sqlite')
    expect(result).toMatchObject({ fileName: 'recouvra-cabinet-2026-11-20.sqlite', migrated: 0 })
    expect(result.sizeBytes).toBe(statSync(picked).size)
    expect(result.safetyBackup.kind).toBe('pre-restore')
    expect((await app.call('app:info', {})).counts.cases).toBe(4)
    const [entry] = (await app.call('audit:list', { tableName: 'database' })).entries
    expect(entry).toMatchObject({ operation: 'restore' })
    expect(JSON.parse(entry!.after!)).toMatchObject({ restoredFromFile: 'recouvra-cabinet-2026-11-20.sqlite' })
    expect((await app.call('audit:verify', {})).ok).toBe(true)
    // The upload is gone from the data folder; the safety backup undoes the restore.
    expect(listBackups(app.db.dataDir).length).toBeGreaterThan(1)
    await app.call('backup:restore', { name: result.safetyBackup.name })
    expect((await app.call('app:info', {})).counts.cases).toBe(5)
  })

  it('from the command line: backup restore --file', async () => {
    const { app, picked } = await setup()
    const command = TRUST_COMMANDS['backup restore']
    expect(() => command.check({})).toThrow(/l’un ou l’autre/)
    expect(() => command.check({ name: 'x', file: 'y' })).toThrow(/l’un ou l’autre/)
    const result = await command.run(app, { file: picked })
    expect(command.print(result)).toMatch(/^Base restaurée depuis le fichier recouvra-cabinet-2026-11-20\.sqlite\./)
    expect((await app.call('app:info', {})).counts.cases).toBe(4)
  })

  it('refuses, in French and changing nothing: not SQLite, not Recouvra, damaged, newer than the app', async () => {
    const { app, picked, dir } = await setup()
    const text = join(dir, 'notes.sqlite')
    writeFileSync(text, 'Ceci est un fichier texte, pas une base.\n'.repeat(200))
    await refused(
      app,
      () => upload(app, text, 'notes.sqlite'),
      /« notes\.sqlite » n’est pas une base de données SQLite/
    )

    const other = join(dir, 'autre-logiciel.sqlite')
    await sqliteFile(
      other,
      "CREATE TABLE clients (id INTEGER PRIMARY KEY, nom TEXT); INSERT INTO clients VALUES (1, 'x');"
    )
    await refused(app, () => app.services.backups.restoreFile(other, 'autre-logiciel.sqlite'), /pas une base Recouvra/)

    const damaged = join(dir, 'abime.sqlite')
    copyFileSync(picked, damaged)
    const size = statSync(damaged).size
    const fd = openSync(damaged, 'r+')
    const garbage = Buffer.alloc(4096 * 3, 0xa5)
    for (let offset = 4096 * 2; offset < size - 4096; offset += 4096 * 5)
      writeSync(fd, garbage, 0, garbage.length, offset)
    closeSync(fd)
    await refused(app, () => upload(app, damaged, 'abime.sqlite'), /« abime\.sqlite » est endommagé/)

    const newer = join(dir, 'future.sqlite')
    copyFileSync(picked, newer)
    await sqliteFile(
      newer,
      "INSERT INTO schema_migration (timestamp, name) VALUES (1999999999999, 'FutureFeature1999999999999')"
    )
    await refused(
      app,
      () => app.services.backups.restoreFile(newer, 'future.sqlite'),
      /version plus récente de Recouvra \(mise à jour inconnue de cette version : FutureFeature1999999999999\)/
    )
    // Same guard for a backup of the folder made by a newer version.
    copyFileSync(newer, join(app.services.backups.folder, 'manual-2026-11-23T08-00-00-000Z.sqlite'))
    await refused(
      app,
      () => app.call('backup:restore', { name: 'manual-2026-11-23T08-00-00-000Z.sqlite' }),
      /version plus récente/
    )
  })

  it('refuses an upload out of order, larger than announced, or incomplete', async () => {
    const { app } = await setup()
    const { uploadId } = await app.call('backup:upload-begin', { fileName: 'a.sqlite', sizeBytes: 10 })
    await expect(
      app.call('backup:upload-chunk', { uploadId, offset: 5, dataBase64: Buffer.from('abc').toString('base64') })
    ).rejects.toThrow(/hors d’ordre/)
    await app.call('backup:upload-chunk', { uploadId, offset: 0, dataBase64: Buffer.from('abc').toString('base64') })
    await expect(app.call('backup:restore-upload', { uploadId })).rejects.toThrow(/reçu en entier/)
    // The failed restore dropped the upload.
    await expect(app.call('backup:restore-upload', { uploadId })).rejects.toThrow(/inconnu ou expiré/)
    const second = await app.call('backup:upload-begin', { fileName: 'b.sqlite', sizeBytes: 2 })
    await expect(
      app.call('backup:upload-chunk', {
        uploadId: second.uploadId,
        offset: 0,
        dataBase64: Buffer.from('abcd').toString('base64')
      })
    ).rejects.toThrow(/plus gros qu’annoncé/)
    await expect(app.call('backup:upload-begin', { fileName: 'c.sqlite', sizeBytes: 0 })).rejects.toBeInstanceOf(
      RpcCallError
    )
  })
})

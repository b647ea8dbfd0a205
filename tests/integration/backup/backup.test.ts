import { closeSync, openSync, readdirSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { DatabaseCorruptError, DATABASE_FILE_NAME } from '../../../src-main/db/database'
import { fixedClock } from '../../../src-main/platform/clock'
import { checkDatabaseFile } from '../../../src-main/modules/backup/sqlite-backup'
import { listBackups } from '../../../src-main/modules/backup/backup.service'
import { RpcCallError } from '@shared/contract'
import { TEST_NOW, openTempApp, tempDir } from '../helpers/temp-app'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function temp(options: { demoCases?: number } = {}) {
  const t = await openTempApp(options)
  cleanups.push(t.dispose)
  return t
}

describe('backups', () => {
  it('writes a manual backup that passes integrity_check and lists it', async () => {
    const { app } = await temp({ demoCases: 5 })
    const backup = await app.call('backup:create', {})
    expect(backup.kind).toBe('manual')
    const overview = await app.call('backup:list', {})
    expect(overview.backups.map((b) => b.name)).toContain(backup.name)
    expect(overview.retentionDays).toBe(30)
    expect((await checkDatabaseFile(join(overview.folder, backup.name))).ok).toBe(true)
  })

  it('restores a backup: the database is as it was, and the state before is kept', async () => {
    const { app } = await temp()
    const empty = await app.call('backup:create', {})
    await app.services.demo.generate({ cases: 5, seed: 1 })
    expect((await app.call('app:info', {})).counts.cases).toBe(5)
    const result = await app.call('backup:restore', { name: empty.name })
    expect(result.safetyBackup.kind).toBe('pre-restore')
    expect((await app.call('app:info', {})).counts.cases).toBe(0)
    // The app keeps working on the restored database, and the restore can be undone.
    await app.call('backup:restore', { name: result.safetyBackup.name })
    expect((await app.call('app:info', {})).counts.cases).toBe(5)
  })

  it('refuses a damaged backup and changes nothing', async () => {
    const { app } = await temp({ demoCases: 3 })
    const backup = await app.call('backup:create', {})
    const file = join((await app.call('backup:list', {})).folder, backup.name)
    damage(file)
    const before = await app.call('app:info', {})
    const error = await app.call('backup:restore', { name: backup.name }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcCallError)
    expect((error as RpcCallError).message).toMatch(/endommagée/)
    expect((await app.call('app:info', {})).counts).toEqual(before.counts)
    expect(listBackups(app.db.dataDir).some((b) => b.kind === 'pre-restore')).toBe(false)
  })

  it('refuses names outside the backup folder', async () => {
    const { app } = await temp()
    await expect(app.call('backup:restore', { name: '../recouvra.sqlite' })).rejects.toThrow(
      /Nom de sauvegarde invalide/
    )
  })

  it('makes a daily backup once a day and prunes automatic ones past the retention, keeping manual ones', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    let now = TEST_NOW
    const clock = { now: () => new Date(now), today: () => fixedClock(now).today() }
    const app: RecouvraApp = await createApp({ dataDir: dir.path, clock })
    cleanups.push(() => app.close())
    const backups = app.services.backups
    expect(await backups.runDailyIfDue()).not.toBeNull()
    expect(await backups.runDailyIfDue()).toBeNull()
    await app.call('backup:create', {})
    for (const day of [1, 2, 3, 4]) {
      now = new Date(Date.parse(TEST_NOW) + day * 86_400_000).toISOString()
      expect(await backups.runDailyIfDue()).not.toBeNull()
    }
    expect(listBackups(dir.path).filter((b) => b.kind === 'daily')).toHaveLength(5)
    const overview = await app.call('backup:set-retention', { retentionDays: 2 })
    expect(overview.retentionDays).toBe(2)
    const daily = overview.backups.filter((b) => b.kind === 'daily').map((b) => b.createdAt.slice(0, 10))
    expect(daily).toEqual(['2026-11-27', '2026-11-26', '2026-11-25'])
    expect(overview.backups.filter((b) => b.kind === 'manual')).toHaveLength(1)
    await expect(app.call('backup:set-retention', { retentionDays: 0 })).rejects.toThrow(/Au moins 1 jour/)
  })
})

describe('start-up check', () => {
  it('refuses to open a damaged database with DatabaseCorruptError', async () => {
    const dir = tempDir()
    cleanups.push(dir.remove)
    const app = await createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW) })
    await app.services.demo.generate({ cases: 30, seed: 3 })
    await app.close()
    const file = join(dir.path, DATABASE_FILE_NAME)
    damage(file)
    const error = await createApp({ dataDir: dir.path, clock: fixedClock(TEST_NOW) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DatabaseCorruptError)
    expect(readdirSync(dir.path)).toContain(DATABASE_FILE_NAME)
  })
})

/** Overwrites pages in the middle of the file with garbage (not the header). */
function damage(file: string): void {
  const size = statSync(file).size
  const fd = openSync(file, 'r+')
  const garbage = Buffer.alloc(4096 * 3, 0xa5)
  for (let offset = 4096 * 2; offset < size - 4096; offset += 4096 * 5)
    writeSync(fd, garbage, 0, garbage.length, offset)
  closeSync(fd)
}

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { fileSecretStore } from '../../../src-main/platform/secret-store'
import {
  OFFICE_PASSWORD_SECRET,
  openOfficeDatabase,
  splitPassword,
  SyncService
} from '../../../src-main/modules/sync/sync.service'
import { SyncMarkerEntity } from '../../../src-main/modules/sync/sync.entities'
import { tempDir, TEST_NOW } from '../helpers/temp-app'
import { SKIP_PG_REASON, tempPostgresDatabase, testPostgresUrl } from '../helpers/temp-pg'
import { actAs, seedUser, seedWorkspaceCase } from '../case-file/helpers'

/**
 * A laptop checked out from a PostgreSQL office keeps the server's address in its marker
 * WITHOUT the password: the password is in the laptop folder's secret store (encrypted), given
 * back to the connection at each sync. A marker written in clear by an earlier version is
 * cleaned at its next sync.
 */

const PASSWORD = 'Terr@in:%2026/secret'
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function filesOf(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesOf(path) : [path]
  })
}

describe('field sync: office password', () => {
  it('splits a PostgreSQL address from its password, data folders unchanged', () => {
    expect(splitPassword(`postgres://rec:${encodeURIComponent(PASSWORD)}@10.0.0.5:5432/agence`)).toEqual({
      location: 'postgres://rec@10.0.0.5:5432/agence',
      password: PASSWORD
    })
    expect(splitPassword('postgres://rec@10.0.0.5/agence')).toEqual({
      location: 'postgres://rec@10.0.0.5/agence',
      password: null
    })
    expect(splitPassword('/srv/recouvra')).toEqual({ location: '/srv/recouvra', password: null })
  })

  it.skipIf(!testPostgresUrl())('keeps the password in the secret store, not the marker; syncs with it', async () => {
    if (!testPostgresUrl()) throw new Error(SKIP_PG_REASON)
    const database = await tempPostgresDatabase()
    cleanups.push(() => database.drop())
    const withPassword = new URL(database.url)
    withPassword.password = encodeURIComponent(PASSWORD)
    const officeDir = tempDir()
    cleanups.push(officeDir.remove)
    // The test server trusts loopback: the password is carried, not checked.
    const office = await createApp({
      dataDir: officeDir.path,
      clock: fixedClock(TEST_NOW),
      databaseUrl: withPassword.toString()
    })
    cleanups.push(() => office.close())
    const collector = await seedUser(office, 'collector')
    const theCase = await seedWorkspaceCase(office, { collectorId: collector })
    await actAs(office, await seedUser(office, 'manager'))
    const dir = tempDir('recouvra-laptop-')
    cleanups.push(dir.remove)
    const laptopDir = join(dir.path, 'terrain')
    await office.call('sync:checkout', {
      collectorId: collector,
      deviceId: 'PC-PW',
      targetDir: laptopDir,
      caseIds: [theCase.caseId]
    })

    const laptop = await createApp({ dataDir: laptopDir, clock: fixedClock(TEST_NOW) })
    cleanups.push(() => laptop.close())
    const marker = await laptop.db.read((m) => m.findOneByOrFail(SyncMarkerEntity, {}))
    expect(marker.officeLocation).not.toContain(encodeURIComponent(PASSWORD))
    expect(new URL(marker.officeLocation).password).toBe('')
    expect(fileSecretStore(laptopDir).get(OFFICE_PASSWORD_SECRET)).toBe(PASSWORD)
    // In clear nowhere in the laptop's folder (database file, WAL, secrets.json).
    for (const file of filesOf(laptopDir)) {
      const text = readFileSync(file).toString('latin1')
      expect(text.includes(PASSWORD) || text.includes(encodeURIComponent(PASSWORD)), file).toBe(false)
    }

    // The sync opens the office with the password from the store.
    const opened: string[] = []
    const sync = new SyncService(laptop.db, fixedClock(TEST_NOW), null, (location) => {
      opened.push(location)
      return openOfficeDatabase(location)
    })
    await sync.run()
    expect(decodeURIComponent(new URL(opened[0]!).password)).toBe(PASSWORD)

    // A marker written in clear by an earlier version: cleaned at the next sync.
    fileSecretStore(laptopDir).delete(OFFICE_PASSWORD_SECRET)
    await laptop.db.write((m) =>
      m.update(SyncMarkerEntity, { id: marker.id }, { officeLocation: withPassword.toString() })
    )
    await sync.run()
    expect(decodeURIComponent(new URL(opened[1]!).password)).toBe(PASSWORD)
    const cleaned = await laptop.db.read((m) => m.findOneByOrFail(SyncMarkerEntity, {}))
    expect(new URL(cleaned.officeLocation).password).toBe('')
    expect(fileSecretStore(laptopDir).get(OFFICE_PASSWORD_SECRET)).toBe(PASSWORD)
  })
})

import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { uuid7 } from '@shared/ids/uuid7'
import { createApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { SyncConflictEntity } from '../../../src-main/modules/sync/sync.entities'
import { formatSyncCli, parseSyncArgs, runSyncCli } from '../../../src-main/modules/sync/sync-cli'
import { openTempApp, tempDir, TEST_NOW } from '../helpers/temp-app'
import { actAs, seedUser, seedWorkspaceCase } from '../case-file/helpers'

/**
 * "Rendre les dossiers": a laptop ends its checkout. Refused while a conflict is open; else a
 * final sync sends the field's work, the office marks the checkout returned (its cases are no
 * longer out), and the laptop copy is closed: no further sync, its case records read-only, still
 * readable after a restart. Office on SQLite, or PostgreSQL in the integration-pg project.
 */

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('returning a checkout', () => {
  it('final sync, office marks it returned, the laptop copy becomes read-only (channel and CLI)', async () => {
    const office = await openTempApp()
    cleanups.push(office.dispose)
    const collector = await seedUser(office.app, 'collector')
    const first = await seedWorkspaceCase(office.app, { collectorId: collector })
    const second = await seedWorkspaceCase(office.app, { collectorId: collector })
    await actAs(office.app, await seedUser(office.app, 'manager'))
    const dir = tempDir('recouvra-laptop-')
    cleanups.push(dir.remove)
    const laptopDir = join(dir.path, 'terrain')
    const { checkoutId } = await office.app.call('sync:checkout', {
      collectorId: collector,
      deviceId: 'PC-RET',
      targetDir: laptopDir,
      caseIds: [first.caseId]
    })
    expect((await office.app.call('sync:checked-out-cases', {})).map((c) => c.caseId)).toEqual([first.caseId])

    let laptop = await createApp({ dataDir: laptopDir, clock: fixedClock(TEST_NOW) })
    cleanups.push(() => laptop.close())
    await actAs(laptop, collector)
    await laptop.call('case:add-note', { caseId: first.caseId, text: 'Passé voir le client sur place.' })

    // An open conflict: refused, nothing returned.
    const conflictId = uuid7()
    await laptop.db.write((m) =>
      m.insert(SyncConflictEntity, {
        id: conflictId,
        createdAt: TEST_NOW,
        tableName: 'debtor_phone',
        rowId: uuid7(),
        caseId: first.caseId,
        kind: 'field',
        label: 'Téléphone',
        columns: '{}',
        officeVersion: 2,
        officeRowJson: '{}',
        status: 'open',
        resolution: null,
        resolvedAt: null,
        resolvedBy: null
      })
    )
    await expect(laptop.call('sync:return', {})).rejects.toThrow(/conflit/)
    expect((await office.app.call('sync:checkouts', {}))[0]).toMatchObject({ id: checkoutId, status: 'active' })
    await laptop.db.write((m) => m.update(SyncConflictEntity, { id: conflictId }, { status: 'resolved' }))

    // Returned through the CLI's command (the Terrain page calls the same service).
    parseSyncArgs({ action: 'return' })
    const out = await runSyncCli(laptop, { action: 'return' })
    expect(formatSyncCli(out)).toContain('Dossiers rendus au cabinet')
    expect(out).toMatchObject({ action: 'return', result: { checkoutId, caseCount: 1 } })

    // The office: the field's note arrived, the checkout is returned, its case no longer out.
    const journal = await office.app.call('casefile:get', { caseId: first.caseId })
    expect(journal.journalCounts).toMatchObject({ note: 1 })
    expect((await office.app.call('sync:checkouts', {}))[0]).toMatchObject({ id: checkoutId, status: 'returned' })
    expect(await office.app.call('sync:checked-out-cases', {})).toEqual([])
    // The same cases can go out again.
    expect(second.caseId).toBeTruthy()

    // The laptop copy: closed, read-only, no further sync nor return; readable after a restart.
    expect(await laptop.call('sync:status', {})).toMatchObject({ fieldCopy: true, lastRunStatus: 'returned' })
    await expect(laptop.call('sync:run', {})).rejects.toThrow(/rendus au cabinet/)
    await expect(laptop.call('sync:return', {})).rejects.toThrow(/rendus au cabinet/)
    await expect(laptop.call('case:add-note', { caseId: first.caseId, text: 'Après retour.' })).rejects.toThrow(
      /lecture seule/
    )
    await laptop.close()
    cleanups.pop()
    laptop = await createApp({ dataDir: laptopDir, clock: fixedClock(TEST_NOW) })
    cleanups.push(() => laptop.close())
    await actAs(laptop, collector)
    const file = await laptop.call('casefile:get', { caseId: first.caseId })
    expect(file.journalCounts).toMatchObject({ note: 1 })
    await expect(laptop.call('case:add-note', { caseId: first.caseId, text: 'Après retour.' })).rejects.toThrow(
      /lecture seule/
    )
  })
})

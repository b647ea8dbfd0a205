import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type RecouvraApp } from '../../../src-main/app/create-app'
import { fixedClock } from '../../../src-main/platform/clock'
import { DebtorPhoneEntity } from '../../../src-main/modules/debtors/debtor-contact.entity'
import { checkedOutRowSets } from '../../../src-main/modules/sync/sync.service'
import { SyncCheckoutCaseEntity, SyncMarkerEntity } from '../../../src-main/modules/sync/sync.entities'
import { uuid7 } from '../../../src-shared/ids/uuid7'
import { openTempApp, tempDir } from '../helpers/temp-app'
import { testingOnPostgres } from '../helpers/temp-pg'
import { spawnChildAndKill } from '../helpers/child-process'
import { actAs, seedUser, seedWorkspaceCase, type WorkspaceCase } from '../case-file/helpers'

/**
 * Offline field work, the whole cycle: an office database (SQLite; PostgreSQL in the
 * integration-pg project) and two laptops' SQLite copies.
 * Both laptops work offline (calls, payments, a promise, a plan, a phone edit), the office
 * edits the same phone and closes a case meanwhile; syncs find the conflicts, one is cut
 * between batches and one is killed (SIGKILL) in a child process; both resume without
 * duplicates; conflicts are resolved; office and laptops end with equal rows for the cases.
 */

/** The field works later in the day than the office's last write: original timestamps must survive. */
const FIELD_NOW = '2026-11-23T14:30:00.000Z'

let office: { app: RecouvraApp; dataDir: string; dispose: () => Promise<void> }
const dirs: Array<{ path: string; remove: () => void }> = []
const laptops: RecouvraApp[] = []
let collectorA: string
let collectorB: string
let cases: WorkspaceCase[]
let dirA: string
let dirB: string

function laptopDir(): string {
  const dir = tempDir('recouvra-laptop-')
  dirs.push(dir)
  return join(dir.path, 'terrain')
}

async function openLaptop(dataDir: string, userId: string): Promise<RecouvraApp> {
  const app = await createApp({ dataDir, clock: fixedClock(FIELD_NOW) })
  laptops.push(app)
  await actAs(app, userId)
  return app
}

async function closeLaptop(app: RecouvraApp): Promise<void> {
  laptops.splice(laptops.indexOf(app), 1)
  await app.close()
}

async function editPhone(app: RecouvraApp, phoneId: string, number: string): Promise<void> {
  await app.db.write(async (m) => {
    const phone = await m.findOneByOrFail(DebtorPhoneEntity, { id: phoneId })
    await m.update(DebtorPhoneEntity, { id: phoneId }, { number, version: phone.version + 1 })
  })
}

function count(app: RecouvraApp, sql: string, params: unknown[] = []): Promise<number> {
  return app.db.read(async (m) => Number(((await m.query(sql, params)) as Array<{ n: number }>)[0]!.n))
}

/** Row sets of the checked-out cases, comparable across databases. */
async function rowSets(app: RecouvraApp, caseIds: string[]): Promise<Record<string, unknown[]>> {
  const sets = await checkedOutRowSets(app.db, caseIds)
  return Object.fromEntries([...sets].map(([table, rows]) => [table, rows]))
}

/** Runs sync-child.test.ts and SIGKILLs it after `afterBatches` batches. */
function runSyncChildAndKill(dataDir: string, afterBatches: number): Promise<string[]> {
  return spawnChildAndKill({
    file: 'tests/integration/sync/sync-child.test.ts',
    env: { RECOUVRA_SYNC_CHILD_DIR: dataDir, RECOUVRA_SYNC_BATCH_DELAY_MS: '150' },
    marker: 'SYNC:',
    killWhen: (_line, lines) => lines.filter((l) => l.startsWith('batch')).length >= afterBatches,
    label: 'Sync child'
  })
}

beforeAll(async () => {
  office = await openTempApp()
  collectorA = await seedUser(office.app, 'collector')
  collectorB = await seedUser(office.app, 'collector')
  const first = await seedWorkspaceCase(office.app, { collectorId: collectorA })
  const client = { clientId: first.clientId, mandateId: first.mandateId }
  cases = [
    first,
    await seedWorkspaceCase(office.app, { collectorId: collectorA, client }),
    await seedWorkspaceCase(office.app, { collectorId: collectorB, client }),
    await seedWorkspaceCase(office.app, { collectorId: collectorB, client })
  ]
  // Cases made by the app carry their search keys (the fixtures write rows directly).
  await office.app.db.write((m) => office.app.services.search.rebuild(m))
  dirA = laptopDir()
  dirB = laptopDir()
})

afterAll(async () => {
  for (const app of laptops.splice(0)) await app.close()
  await office.dispose()
  for (const dir of dirs) dir.remove()
})

describe('offline field work: checkout, offline work on two laptops, sync with conflicts, cut and resume', () => {
  it('checks out a client portfolio and a selection; the office marks them checked out', async () => {
    const manager = await seedUser(office.app, 'manager')
    await actAs(office.app, manager)
    const a = await office.app.call('sync:checkout', {
      collectorId: collectorA,
      deviceId: 'PC-A',
      targetDir: dirA,
      clientId: cases[0]!.clientId
    })
    expect(a.caseCount).toBe(4)
    const b = await office.app.call('sync:checkout', {
      collectorId: collectorB,
      deviceId: 'PC-B',
      targetDir: dirB,
      caseIds: [cases[1]!.caseId, cases[2]!.caseId]
    })
    expect(b.caseCount).toBe(2)
    const list = await office.app.call('sync:checkouts', {})
    expect(list.map((c) => [c.deviceId, c.caseCount, c.status])).toEqual([
      ['PC-B', 2, 'active'],
      ['PC-A', 4, 'active']
    ])
    // The portfolio marks the cases out on laptops (the newest checkout of a case).
    const out = await office.app.call('sync:checked-out-cases', {})
    expect(out.length).toBe(4)
    expect(out.find((c) => c.caseId === cases[1]!.caseId)).toMatchObject({ deviceId: 'PC-B' })
    // A checkout into a folder that already holds a database is refused.
    await expect(
      office.app.call('sync:checkout', {
        collectorId: collectorA,
        deviceId: 'PC-A',
        targetDir: dirA,
        caseIds: [cases[0]!.caseId]
      })
    ).rejects.toThrow(/déjà une base/)
  })

  it('opens a laptop copy as a Recouvra database that knows its office, works offline', async () => {
    const laptopA = await openLaptop(dirA, collectorA)
    const status = await laptopA.call('sync:status', {})
    expect(status).toMatchObject({ fieldCopy: true, deviceId: 'PC-A', caseCount: 4, pendingNew: 0, pendingEdits: 0 })
    // The office is a SQLite data folder, or (project integration-pg) a PostgreSQL server.
    expect(office.app.db.dialect).toBe(testingOnPostgres() ? 'postgres' : 'sqlite')
    expect(laptopA.db.dialect).toBe('sqlite')
    if (status.fieldCopy) expect(status.officeLocation.startsWith('postgres')).toBe(testingOnPostgres())
    // Everything needed to work: the case file, the statement, users to sign in with.
    const file = await laptopA.call('casefile:get', { caseId: cases[0]!.caseId })
    expect(file.debtor.phones.length).toBe(2)
    await laptopA.call('money:statement', { caseId: cases[0]!.caseId, at: '2026-11-23' })
    expect(await count(laptopA, 'SELECT COUNT(*) AS n FROM app_user')).toBeGreaterThanOrEqual(4)
    // The office keeps working meanwhile (its own session).
    expect(await office.app.call('sync:status', {})).toEqual({ fieldCopy: false })
    await closeLaptop(laptopA)
  })

  it('syncs two laptops worked offline: appended records, edits, conflicts, a cut and a SIGKILL, resumed', async () => {
    const [c0, c1, c2] = cases as [WorkspaceCase, WorkspaceCase, WorkspaceCase]
    const officeBefore = {
      payments: await count(office.app, 'SELECT COUNT(*) AS n FROM payment'),
      journal: await count(office.app, 'SELECT COUNT(*) AS n FROM journal_entry')
    }

    // Laptop A, offline: a call with a promise on c0, a payment on c0, a plan on c1, a phone edit on c0.
    const laptopA = await openLaptop(dirA, collectorA)
    const called = await laptopA.call('calls:log', {
      caseId: c0.caseId,
      phoneId: c0.phoneIds[0]!,
      direction: 'outbound',
      answeredBy: 'debtor',
      outcome: 'promise_to_pay',
      startedAt: '2026-11-23T14:00:00.000Z',
      durationSeconds: 120,
      nextActionOn: '2026-12-01',
      promise: { amountCents: 30_000, dueOn: '2026-11-30' }
    })
    expect(called.promise).not.toBeNull()
    const paidA = await laptopA.call('money:record-payment', {
      caseId: c0.caseId,
      receivedOn: '2026-11-23',
      amountCents: 20_000,
      method: 'cash',
      receivedBy: 'agency'
    })
    const planA = await laptopA.call('plans:accept', {
      caseId: c1.caseId,
      interestMode: 'frozen',
      sizing: { installmentCount: 5 },
      frequency: 'monthly',
      firstDueDate: '2026-12-15'
    })
    await editPhone(laptopA, c0.phoneIds[0]!, '+33611111111')
    expect(await laptopA.call('sync:status', {})).toMatchObject({ pendingEdits: 2 })

    // Laptop B, offline: a call and a payment on c2, a promise on c1, a phone edit on c2 (office does not touch it).
    const laptopB = await openLaptop(dirB, collectorB)
    await laptopB.call('calls:log', {
      caseId: c2.caseId,
      phoneId: c2.phoneIds[0]!,
      direction: 'outbound',
      answeredBy: 'no_answer',
      outcome: 'no_answer',
      startedAt: '2026-11-23T13:00:00.000Z',
      durationSeconds: 20,
      nextActionOn: '2026-11-25'
    })
    const paidB = await laptopB.call('money:record-payment', {
      caseId: c2.caseId,
      receivedOn: '2026-11-23',
      amountCents: 15_000,
      method: 'cheque',
      receivedBy: 'agency'
    })
    await laptopB.call('promises:create', { caseId: c1.caseId, amountCents: 10_000, dueOn: '2026-12-05' })
    await editPhone(laptopB, c2.phoneIds[1]!, '+33144444444')

    // The office meanwhile: the same phone of c0 changed, c1 closed (returned to the client).
    await editPhone(office.app, c0.phoneIds[0]!, '+33622222222')
    const c1Office = await office.app.call('casefile:get', { caseId: c1.caseId })
    await office.app.call('case:close', {
      caseId: c1.caseId,
      expectedVersion: c1Office.case.version,
      reason: 'returned_to_client'
    })

    // Sync A, cut after its third batch (the connection drops between batches).
    let batches = 0
    await expect(
      laptopA.services.sync.run({
        batchSize: 2,
        afterBatch: () => {
          if (++batches === 3) throw new Error('network cut')
        }
      })
    ).rejects.toThrow('network cut')
    const cut = await laptopA.call('sync:status', {})
    expect(cut).toMatchObject({ lastRunStatus: 'interrupted', resumable: true })
    const resumedA = await laptopA.services.sync.run({ batchSize: 2 })
    expect(resumedA.resumed).toBe(true)

    const statusA = await laptopA.call('sync:status', {})
    if (!statusA.fieldCopy) throw new Error('not a field copy')
    const open = statusA.conflicts.filter((c) => c.status === 'open')
    expect(open.map((c) => c.kind).sort()).toEqual(['case-closed', 'field'])
    const phoneConflict = open.find((c) => c.kind === 'field')!
    expect(phoneConflict.columns).toEqual({
      number: { base: expect.any(String), mine: '+33611111111', office: '+33622222222' }
    })
    const planConflict = open.find((c) => c.kind === 'case-closed')!
    expect(planConflict.rowId).toBe(planA.plan.id)
    expect(planConflict.columns.status).toMatchObject({ mine: 'open', office: 'closed' })

    // Office: A's payment, allocations, promise, call entry arrived once, with their original timestamps.
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment WHERE id = ?', [paidA.payment.id])).toBe(1)
    const [entry] = (await office.app.db.read((m) =>
      m.query("SELECT created_at, occurred_at FROM journal_entry WHERE case_id = ? AND kind = 'call'", [c0.caseId])
    )) as Array<{ created_at: string; occurred_at: string }>
    expect(entry).toEqual({ created_at: FIELD_NOW, occurred_at: '2026-11-23T14:00:00.000Z' })
    // Money: the case summary was recomputed at the office in the same transaction.
    expect(await count(office.app, 'SELECT paid_cents AS n FROM collection_case WHERE id = ?', [c0.caseId])).toBe(
      20_000
    )
    // The plan negotiated on the closed case waits for the collector; its installments too.
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment_plan WHERE id = ?', [planA.plan.id])).toBe(0)
    // Audit: synced writes are the field collector's, through the channel "sync".
    const audit = (await office.app.db.read((m) =>
      m.query("SELECT user_id, action FROM audit_entry WHERE table_name = 'payment' AND row_id = ?", [paidA.payment.id])
    )) as Array<{ user_id: string; action: string }>
    expect(audit).toEqual([{ user_id: collectorA, action: 'sync' }])

    // Sync B in a child process, killed (SIGKILL) after two batches; then resumed here.
    await closeLaptop(laptopB)
    const seen = await runSyncChildAndKill(dirB, 2)
    expect(seen.filter((l) => l.startsWith('batch')).length).toBeGreaterThanOrEqual(2)
    const laptopB2 = await openLaptop(dirB, collectorB)
    const markerB = await laptopB2.db.read((m) => m.findOneByOrFail(SyncMarkerEntity, {}))
    expect(markerB.cursor).not.toBeNull()
    const resumedB = await laptopB2.services.sync.run({ batchSize: 2 })
    expect(resumedB.resumed).toBe(true)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment WHERE id = ?', [paidB.payment.id])).toBe(1)
    // B's promise on c1 (closed at the office) waits for B too.
    const statusB = await laptopB2.call('sync:status', {})
    if (!statusB.fieldCopy) throw new Error('not a field copy')
    expect(statusB.conflicts.filter((c) => c.status === 'open').map((c) => c.kind)).toEqual(['case-closed'])

    // Resolutions: A keeps the field's phone number and reopens c1 for its plan; B drops its promise.
    await laptopA.call('sync:resolve', { conflictId: phoneConflict.id, choice: 'mine' })
    await laptopA.call('sync:resolve', { conflictId: planConflict.id, choice: 'mine' })
    await laptopB2.call('sync:resolve', { conflictId: statusB.conflicts[0]!.id, choice: 'office' })
    expect(
      await count(
        laptopA,
        "SELECT COUNT(*) AS n FROM journal_entry WHERE summary LIKE 'Conflit de synchronisation résolu%'"
      )
    ).toBe(2)

    // Final syncs: A sends its resolutions, B sends its cancelled promise, A pulls B's work.
    const finalA = await laptopA.services.sync.run()
    expect(finalA.openConflicts).toBe(0)
    const finalB = await laptopB2.services.sync.run()
    expect(finalB.openConflicts).toBe(0)
    await laptopA.services.sync.run()
    // A sync with nothing new on either side moves nothing.
    const idle = await laptopA.services.sync.run()
    expect({ sent: idle.sent, pulled: idle.pulled, conflicts: idle.conflicts }).toEqual({
      sent: 0,
      pulled: 0,
      conflicts: 0
    })

    // The office took the resolutions: phone number from the field, c1 reopened with A's plan.
    const phone = await office.app.db.read((m) => m.findOneByOrFail(DebtorPhoneEntity, { id: c0.phoneIds[0]! }))
    expect(phone.number).toBe('+33611111111')
    expect(
      await count(office.app, "SELECT COUNT(*) AS n FROM collection_case WHERE id = ? AND status = 'open'", [c1.caseId])
    ).toBe(1)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM installment WHERE plan_id = ?', [planA.plan.id])).toBe(5)

    // Nothing duplicated: the field's records arrived once each.
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment')).toBe(officeBefore.payments + 2)
    // No record twice under different ids either (same summary, time and case).
    expect(
      await count(
        office.app,
        'SELECT COUNT(*) AS n FROM (SELECT summary, occurred_at, case_id FROM journal_entry GROUP BY summary, occurred_at, case_id HAVING COUNT(*) > 1)'
      )
    ).toBe(0)

    // Both sides end equal for the checked-out cases.
    const idsA = cases.map((c) => c.caseId)
    const idsB = [c1.caseId, c2.caseId]
    expect(await rowSets(laptopA, idsA)).toEqual(await rowSets(office.app, idsA))
    expect(await rowSets(laptopB2, idsB)).toEqual(await rowSets(office.app, idsB))

    // The office shows when each laptop last synced.
    const list = await office.app.call('sync:checkouts', {})
    expect(list.every((c) => c.lastSyncAt !== null && c.openConflicts === 0)).toBe(true)
  })
  it('carries office deletions to the laptop; a deleted record the field changed is a conflict, never dropped', async () => {
    const [c0] = cases as [WorkspaceCase]
    const laptopA = laptops.find((app) => app.db.dataDir === dirA)!
    // The office adds three phones to c0's debtor; the laptop gets them.
    const template = await office.app.db.read((m) => m.findOneByOrFail(DebtorPhoneEntity, { id: c0.phoneIds[0]! }))
    const [p1, p2, p3] = [uuid7(), uuid7(), uuid7()]
    await office.app.db.write(async (m) => {
      for (const [id, number] of [
        [p1, '+33622222201'],
        [p2, '+33622222202'],
        [p3, '+33622222203']
      ] as const)
        await m.insert(DebtorPhoneEntity, { ...template, id, number, version: 1 })
    })
    await laptopA.services.sync.run()
    const localPhones = () =>
      laptopA.db.read(async (m) =>
        (await m.findBy(DebtorPhoneEntity, { debtorId: template.debtorId })).map((p) => p.id)
      )
    expect(await localPhones()).toEqual(expect.arrayContaining([p1, p2, p3]))

    // Offline, the field corrects p2 and p3; the office removes all three meanwhile.
    await editPhone(laptopA, p2, '+33633333302')
    await editPhone(laptopA, p3, '+33633333303')
    await office.app.db.write((m) =>
      m
        .createQueryBuilder()
        .delete()
        .from(DebtorPhoneEntity)
        .where('id IN (:...ids)', { ids: [p1, p2, p3] })
        .execute()
    )
    const run = await laptopA.services.sync.run()
    expect(run.openConflicts).toBe(2)
    // p1, untouched in the field, is gone from the laptop; p2 and p3 stay, listed with both sides.
    const after = await localPhones()
    expect(after).not.toContain(p1)
    expect(after).toEqual(expect.arrayContaining([p2, p3]))
    const status = await laptopA.call('sync:status', {})
    if (!status.fieldCopy) throw new Error('not a field copy')
    const deleted = status.conflicts.filter((c) => c.status === 'open' && c.kind === 'office-deleted')
    expect(deleted.map((c) => c.rowId).sort()).toEqual([p2, p3].sort())
    const c2 = deleted.find((c) => c.rowId === p2)!
    expect(c2.label).toContain('supprimé au cabinet')
    expect(c2.columns.number).toEqual({ base: '+33622222202', mine: '+33633333302', office: null })
    // A second sync keeps them held: not deleted, not sent.
    expect((await laptopA.services.sync.run()).openConflicts).toBe(2)
    expect(await localPhones()).toEqual(expect.arrayContaining([p2, p3]))

    // Keep p2 (recreated at the office with the field's number); accept the deletion of p3.
    await laptopA.call('sync:resolve', { conflictId: c2.id, choice: 'mine' })
    await laptopA.call('sync:resolve', { conflictId: deleted.find((c) => c.rowId === p3)!.id, choice: 'office' })
    const final = await laptopA.services.sync.run()
    expect(final.openConflicts).toBe(0)
    const officePhone = await office.app.db.read((m) => m.findOneBy(DebtorPhoneEntity, { id: p2 }))
    expect(officePhone?.number).toBe('+33633333302')
    for (const app of [laptopA, office.app])
      expect(await app.db.read((m) => m.countBy(DebtorPhoneEntity, { id: p3 }))).toBe(0)
    const ids = cases.map((c) => c.caseId)
    expect(await rowSets(laptopA, ids)).toEqual(await rowSets(office.app, ids))
    // Nothing more to do on either side.
    const idle = await laptopA.services.sync.run()
    expect({ sent: idle.sent, pulled: idle.pulled, conflicts: idle.conflicts }).toEqual({
      sent: 0,
      pulled: 0,
      conflicts: 0
    })
  })

  it('holds back field records under a case the office deleted: later syncs go on, the kept case takes them along', async () => {
    const [c0] = cases as [WorkspaceCase]
    const laptopA = laptops.find((app) => app.db.dataDir === dirA)!
    // A new case (and debtor) for A's client reaches the laptop.
    const cx = await seedWorkspaceCase(office.app, {
      collectorId: collectorA,
      client: { clientId: c0.clientId, mandateId: c0.mandateId }
    })
    const checkoutId = (await laptopA.db.read((m) => m.findOneByOrFail(SyncMarkerEntity, {}))).id
    await office.app.db.write((m) => m.insert(SyncCheckoutCaseEntity, { checkoutId, caseId: cx.caseId }))
    await laptopA.services.sync.run()
    expect(await count(laptopA, 'SELECT COUNT(*) AS n FROM collection_case WHERE id = ?', [cx.caseId])).toBe(1)

    // Offline: a note and a payment on cx, a phone for its debtor; a note on c0.
    await laptopA.call('case:add-note', { caseId: cx.caseId, text: 'Débiteur rencontré à son domicile' })
    const paid = await laptopA.call('money:record-payment', {
      caseId: cx.caseId,
      receivedOn: '2026-11-23',
      amountCents: 5_000,
      method: 'cash',
      receivedBy: 'agency'
    })
    const newPhone = uuid7()
    const template = await laptopA.db.read((m) => m.findOneByOrFail(DebtorPhoneEntity, { id: cx.phoneIds[0]! }))
    await laptopA.db.write((m) =>
      m.insert(DebtorPhoneEntity, {
        ...template,
        id: newPhone,
        number: '+33655555555',
        createdAt: FIELD_NOW,
        updatedAt: FIELD_NOW,
        version: 1
      })
    )
    await laptopA.call('case:add-note', { caseId: c0.caseId, text: 'Note terrain sur un dossier intact' })
    const fieldJournal = await count(laptopA, 'SELECT COUNT(*) AS n FROM journal_entry WHERE case_id = ?', [cx.caseId])

    // The office meanwhile undoes the import cx came from: its claims, the case, its debtor go.
    await office.app.db.write(async (m) => {
      await office.app.services.search.removeCase(m, cx.caseId)
      await m.query('DELETE FROM claim WHERE case_id = ?', [cx.caseId])
      await m.query('DELETE FROM collection_case WHERE id = ?', [cx.caseId])
      await m.query('DELETE FROM debtor_address WHERE debtor_id = ?', [cx.debtorId])
      await m.query('DELETE FROM debtor_phone WHERE debtor_id = ?', [cx.debtorId])
      await m.query('DELETE FROM debtor WHERE id = ?', [cx.debtorId])
    })

    // The sync is not blocked: the note on c0 goes; cx's records wait, listed on the case's conflict.
    const run = await laptopA.services.sync.run()
    expect(
      await count(office.app, "SELECT COUNT(*) AS n FROM journal_entry WHERE summary LIKE '%dossier intact%'")
    ).toBe(1)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM journal_entry WHERE case_id = ?', [cx.caseId])).toBe(0)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment WHERE id = ?', [paid.payment.id])).toBe(0)
    // note + payment entry + payment + its allocation(s) + the phone
    expect(run.waiting).toBeGreaterThanOrEqual(fieldJournal + 3)
    const status = await laptopA.call('sync:status', {})
    if (!status.fieldCopy) throw new Error('not a field copy')
    expect(status.pendingWaiting).toBe(run.waiting)
    const open = status.conflicts.filter((c) => c.status === 'open')
    expect(open.every((c) => c.kind === 'office-deleted')).toBe(true)
    const caseConflict = open.find((c) => c.tableName === 'collection_case' && c.rowId === cx.caseId)!
    expect(caseConflict.waitingLine).toMatch(/en attente de ce conflit \(.*entrée du journal.*paiement/)
    expect(open.map((c) => c.tableName)).toEqual(expect.arrayContaining(['debtor', 'claim']))
    expect(open.reduce((n, c) => n + c.waitingRecords, 0)).toBe(run.waiting)
    // A second sync holds them still, sends nothing twice, drops nothing.
    const again = await laptopA.services.sync.run()
    expect({ sent: again.sent, waiting: again.waiting }).toEqual({ sent: 0, waiting: run.waiting })
    expect(await count(laptopA, 'SELECT COUNT(*) AS n FROM payment WHERE id = ?', [paid.payment.id])).toBe(1)

    // Accepting the deletion would lose the field's evidence: refused, naming it.
    await expect(laptopA.call('sync:resolve', { conflictId: caseConflict.id, choice: 'office' })).rejects.toThrow(
      /Garder et recréer/
    )
    // Kept: the case with its debtor and claims, then everything that waited on it.
    await laptopA.call('sync:resolve', { conflictId: caseConflict.id, choice: 'mine' })
    const resolved = await laptopA.call('sync:status', {})
    if (!resolved.fieldCopy) throw new Error('not a field copy')
    expect(resolved.conflicts.filter((c) => c.status === 'open')).toEqual([])
    const final = await laptopA.services.sync.run()
    expect({ openConflicts: final.openConflicts, waiting: final.waiting }).toEqual({ openConflicts: 0, waiting: 0 })
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM collection_case WHERE id = ?', [cx.caseId])).toBe(1)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM debtor_phone WHERE id = ?', [newPhone])).toBe(1)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM payment WHERE id = ?', [paid.payment.id])).toBe(1)
    expect(await count(office.app, 'SELECT paid_cents AS n FROM collection_case WHERE id = ?', [cx.caseId])).toBe(5_000)
    expect(await count(office.app, 'SELECT COUNT(*) AS n FROM journal_entry WHERE case_id = ?', [cx.caseId])).toBe(
      await count(laptopA, 'SELECT COUNT(*) AS n FROM journal_entry WHERE case_id = ?', [cx.caseId])
    )
    // Nothing twice, and both sides equal.
    expect(
      await count(
        office.app,
        'SELECT COUNT(*) AS n FROM (SELECT summary, occurred_at, case_id FROM journal_entry GROUP BY summary, occurred_at, case_id HAVING COUNT(*) > 1)'
      )
    ).toBe(0)
    const ids = [...cases.map((c) => c.caseId), cx.caseId]
    expect(await rowSets(laptopA, ids)).toEqual(await rowSets(office.app, ids))
    const idle = await laptopA.services.sync.run()
    expect({ sent: idle.sent, pulled: idle.pulled, waiting: idle.waiting }).toEqual({ sent: 0, pulled: 0, waiting: 0 })
  })

  it('a debtor the office deleted with its case, that only got a phone in the field: its deletion is accepted, the phone goes with it', async () => {
    const [c0] = cases as [WorkspaceCase]
    const laptopA = laptops.find((app) => app.db.dataDir === dirA)!
    const cy = await seedWorkspaceCase(office.app, {
      collectorId: collectorA,
      client: { clientId: c0.clientId, mandateId: c0.mandateId }
    })
    const checkoutId = (await laptopA.db.read((m) => m.findOneByOrFail(SyncMarkerEntity, {}))).id
    await office.app.db.write((m) => m.insert(SyncCheckoutCaseEntity, { checkoutId, caseId: cy.caseId }))
    await laptopA.services.sync.run()
    const newPhone = uuid7()
    const template = await laptopA.db.read((m) => m.findOneByOrFail(DebtorPhoneEntity, { id: cy.phoneIds[0]! }))
    await laptopA.db.write((m) =>
      m.insert(DebtorPhoneEntity, { ...template, id: newPhone, number: '+33677777777', version: 1 })
    )
    await office.app.db.write(async (m) => {
      await office.app.services.search.removeCase(m, cy.caseId)
      await m.query('DELETE FROM claim WHERE case_id = ?', [cy.caseId])
      await m.query('DELETE FROM collection_case WHERE id = ?', [cy.caseId])
      await m.query('DELETE FROM debtor_address WHERE debtor_id = ?', [cy.debtorId])
      await m.query('DELETE FROM debtor_phone WHERE debtor_id = ?', [cy.debtorId])
      await m.query('DELETE FROM debtor WHERE id = ?', [cy.debtorId])
    })
    const run = await laptopA.services.sync.run()
    expect(run.openConflicts).toBe(1)
    const status = await laptopA.call('sync:status', {})
    if (!status.fieldCopy) throw new Error('not a field copy')
    const conflict = status.conflicts.find((c) => c.status === 'open')!
    expect([conflict.tableName, conflict.rowId]).toEqual(['debtor', cy.debtorId])
    // The case is gone on the laptop too (nothing of the field on it): the debtor cannot be kept alone.
    await expect(laptopA.call('sync:resolve', { conflictId: conflict.id, choice: 'mine' })).rejects.toThrow(
      /Acceptez la suppression/
    )
    await laptopA.call('sync:resolve', { conflictId: conflict.id, choice: 'office' })
    for (const app of [laptopA, office.app]) {
      expect(await count(app, 'SELECT COUNT(*) AS n FROM debtor_phone WHERE id = ?', [newPhone])).toBe(0)
      expect(await count(app, 'SELECT COUNT(*) AS n FROM debtor WHERE id = ?', [cy.debtorId])).toBe(0)
    }
    const final = await laptopA.services.sync.run()
    expect({ openConflicts: final.openConflicts, waiting: final.waiting }).toEqual({ openConflicts: 0, waiting: 0 })
    const ids = cases.map((c) => c.caseId)
    expect(await rowSets(laptopA, ids)).toEqual(await rowSets(office.app, ids))
  })
})

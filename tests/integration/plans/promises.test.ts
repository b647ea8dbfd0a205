import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCents } from '@shared/format/french'
import type { RecouvraApp } from '../../../src-main/app/create-app'
import { JournalEntryEntity } from '../../../src-main/modules/journal/journal-entry.entity'
import { PromiseEntity } from '../../../src-main/modules/plans/plan.entities'
import { SettingEntity } from '../../../src-main/modules/settings/setting.entity'
import { TEST_NOW, openTempApp } from '../helpers/temp-app'
import { refusal, seedCase } from '../money/fixtures'

let app: RecouvraApp
let dispose: () => Promise<void>

beforeAll(async () => {
  ;({ app, dispose } = await openTempApp())
})
afterAll(() => dispose())

// Today is 2026-11-23 on the test clock; claims bear no interest.
const aCase = () => seedCase(app, { claims: [{ principalCents: 100_000, dueOn: '2026-01-15' }] })
const pay = (caseId: string, receivedOn: string, amountCents: number) =>
  app.call('money:record-payment', { caseId, receivedOn, amountCents, method: 'card', receivedBy: 'agency' })

describe('promises to pay', () => {
  it('are recorded with a journal entry, then kept, partly kept or broken by the payments that arrive', async () => {
    const seeded = await aCase()
    // 300 € by 30 November, promised on the 20th.
    const promise = await app.call('promises:create', {
      caseId: seeded.caseId,
      amountCents: 30_000,
      dueOn: '2026-11-30',
      madeOn: '2026-11-20'
    })
    expect(promise).toMatchObject({ status: 'pending', paidCents: 0, madeOn: '2026-11-20' })
    const entry = await app.db.read((m) => m.findOneByOrFail(JournalEntryEntity, { id: promise.journalEntryId! }))
    expect(entry).toMatchObject({ kind: 'promise', relatedId: promise.id })
    expect(entry.summary).toBe(`Promesse de paiement : ${formatCents(30_000)} au plus tard le 30/11/2026`)

    // 100 € on the 21st: counted, still pending (the date has not come).
    const first = await pay(seeded.caseId, '2026-11-21', 10_000)
    expect(first.promises).toEqual([expect.objectContaining({ id: promise.id, status: 'pending', paidCents: 10_000 })])

    // The daily check on 1 December: 100 € of 300 € came → partly kept.
    const evaluation = await app.call('promises:evaluate', { at: '2026-12-01' })
    expect(evaluation.changed).toContainEqual(
      expect.objectContaining({
        id: promise.id,
        caseReference: seeded.reference,
        previousStatus: 'pending',
        status: 'partially_kept',
        paidCents: 10_000
      })
    )
    expect(await app.call('promises:list', { caseId: seeded.caseId })).toEqual([
      expect.objectContaining({ id: promise.id, status: 'partially_kept', paidCents: 10_000 })
    ])
  })

  it('a promise with no payment by its date is broken; a full payment keeps it at once, a reversal undoes that', async () => {
    const seeded = await aCase()
    // Recorded today for 10 November, with nothing paid since the 1st: broken as soon as it is recorded.
    const missed = await app.call('promises:create', {
      caseId: seeded.caseId,
      amountCents: 20_000,
      dueOn: '2026-11-10',
      madeOn: '2026-11-01'
    })
    expect(missed).toMatchObject({ status: 'broken', paidCents: 0 })
    const evaluation = await app.call('promises:evaluate', {})
    expect(evaluation.at).toBe('2026-11-23')
    expect(evaluation.changed.find((c) => c.id === missed.id)).toBeUndefined()

    const kept = await app.call('promises:create', { caseId: seeded.caseId, amountCents: 5_000, dueOn: '2026-11-25' })
    expect(kept.madeOn).toBe('2026-11-23')
    // A payment on the 11th (after the broken promise's date) does not rescue it; today's does keep the new one.
    const late = await pay(seeded.caseId, '2026-11-11', 20_000)
    expect(late.promises.find((p) => p.id === missed.id)).toMatchObject({ status: 'broken', paidCents: 0 })
    const paid = await pay(seeded.caseId, '2026-11-23', 5_000)
    expect(paid.promises.find((p) => p.id === kept.id)).toMatchObject({ status: 'kept', paidCents: 5_000 })

    const reversed = await app.call('money:reverse-payment', {
      paymentId: paid.payment.id,
      reversedOn: '2026-11-23',
      reason: 'Opposition carte'
    })
    expect(reversed.promises.find((p) => p.id === kept.id)).toMatchObject({ status: 'pending', paidCents: 0 })
    const row = await app.db.read((m) => m.findOneByOrFail(PromiseEntity, { id: kept.id }))
    expect(row).toMatchObject({ status: 'pending', version: 3 })
  })

  it('count payments made within the grace days (setting) after the date', async () => {
    const seeded = await aCase()
    await app.db.write((m) =>
      m.save(SettingEntity, { key: 'promises.graceDays', value: '3', updatedAt: TEST_NOW, updatedBy: null })
    )
    try {
      const promise = await app.call('promises:create', {
        caseId: seeded.caseId,
        amountCents: 10_000,
        dueOn: '2026-11-15',
        madeOn: '2026-11-10'
      })
      const result = await pay(seeded.caseId, '2026-11-17', 10_000)
      expect(result.promises.find((p) => p.id === promise.id)).toMatchObject({ status: 'kept' })
      const evaluation = await app.call('promises:evaluate', { at: '2026-12-01' })
      expect(evaluation.graceDays).toBe(3)
    } finally {
      await app.db.write((m) => m.delete(SettingEntity, { key: 'promises.graceDays' }))
    }
  })

  it('link to the call where they were made, and refuse inconsistent input in French', async () => {
    const seeded = await aCase()
    const other = await aCase()
    const call = await app.call('promises:create', { caseId: seeded.caseId, amountCents: 1_000, dueOn: '2026-12-01' })
    const linked = await app.call('promises:create', {
      caseId: seeded.caseId,
      amountCents: 2_000,
      dueOn: '2026-12-15',
      journalEntryId: call.journalEntryId!
    })
    expect(linked.journalEntryId).toBe(call.journalEntryId)
    expect(
      await refusal(app, 'promises:create', {
        caseId: other.caseId,
        amountCents: 1_000,
        dueOn: '2026-12-01',
        journalEntryId: call.journalEntryId!
      })
    ).toEqual({ code: 'BUSINESS_RULE', message: 'L’entrée de journal indiquée n’appartient pas à ce dossier.' })
    const before = await refusal(app, 'promises:create', {
      caseId: seeded.caseId,
      amountCents: 1_000,
      dueOn: '2026-11-01',
      madeOn: '2026-11-05'
    })
    expect(before.code).toBe('VALIDATION')
    expect(before.message).toContain('L’échéance de la promesse précède le jour où elle a été faite')
    expect(
      await refusal(app, 'promises:create', {
        caseId: seeded.caseId,
        amountCents: 1_000,
        dueOn: '2026-12-01',
        madeOn: '2026-11-24'
      })
    ).toEqual({ code: 'BUSINESS_RULE', message: 'Une promesse ne peut pas être datée de demain.' })
    expect(
      (await refusal(app, 'promises:create', { caseId: seeded.caseId, amountCents: 0, dueOn: '2026-12-01' })).code
    ).toBe('VALIDATION')
    expect(await refusal(app, 'promises:list', { caseId: '0192f000-0000-7000-8000-000000000000' })).toEqual({
      code: 'NOT_FOUND',
      message: 'Dossier introuvable.'
    })
  })
})
